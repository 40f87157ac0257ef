import { TaskCancelledError, type TaskPool } from './pool.js';

interface Queued<TTask, TResult> {
  readonly task: TTask;
  readonly resolve: (result: TResult) => void;
  readonly reject: (error: Error) => void;
}

/**
 * A pool of one that runs its tasks in this thread: `handler` is called directly, at most `tasksPerWorker`
 * tasks at a time (a task that waits on I/O lets the next one start). `augmix run --concurrency 1` uses it
 * instead of one worker thread: no second JavaScript thread to start, to compile the same code again and to
 * pass every image and result through (on one core, 224 px runs took 4% less time, 2-4 MP runs 4% less with 7%
 * less peak RSS; 32 px runs, whose images already travelled in batches, the same).
 *
 * Each task starts in a turn of the event loop of its own (`setImmediate`), so the run's manifest writes,
 * progress and signals are served between images, as they are while a worker thread works.
 */
export class InlinePool<TTask, TResult> implements TaskPool<TTask, TResult> {
  readonly maxTasksPerWorker: number;
  private readonly handler: (task: TTask) => Promise<TResult>;
  private readonly queue: Queued<TTask, TResult>[] = [];
  private readonly running = new Set<Promise<void>>();
  private startQueued = false;
  private closed = false;

  constructor(
    handler: (task: TTask) => Promise<TResult>,
    options: { readonly tasksPerWorker?: number } = {},
  ) {
    const perWorker = options.tasksPerWorker ?? 1;
    if (!Number.isSafeInteger(perWorker) || perWorker < 1) {
      throw new RangeError(`Expected tasksPerWorker to be an integer >= 1 but received ${perWorker}`);
    }
    this.handler = handler;
    this.maxTasksPerWorker = perWorker;
  }

  run(task: TTask): Promise<TResult> {
    if (this.closed) return Promise.reject(new Error('the pool is closed'));
    return new Promise<TResult>((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.scheduleStart();
    });
  }

  cancelQueued(): void {
    for (const queued of this.queue.splice(0)) {
      queued.reject(new TaskCancelledError('the task was withdrawn before it started'));
    }
  }

  /** Rejects the queued tasks and waits for the started ones to settle (a task in this thread cannot be cut off). */
  async close(): Promise<void> {
    this.closed = true;
    for (const queued of this.queue.splice(0)) queued.reject(new Error('the pool was closed'));
    await Promise.all(this.running);
  }

  private scheduleStart(): void {
    if (this.startQueued || this.running.size >= this.maxTasksPerWorker || this.queue.length === 0) return;
    this.startQueued = true;
    setImmediate(() => {
      this.startQueued = false;
      this.startNext();
    });
  }

  private startNext(): void {
    if (this.closed || this.running.size >= this.maxTasksPerWorker) return;
    const next = this.queue.shift();
    if (next === undefined) return;
    const settled = this.call(next.task).then(next.resolve, (error: unknown) =>
      next.reject(error instanceof Error ? error : new Error(String(error))),
    );
    const tracked = settled.finally(() => {
      this.running.delete(tracked);
      this.scheduleStart();
    });
    this.running.add(tracked);
    this.scheduleStart();
  }

  /** The handler's promise; a handler that throws before returning one rejects it. */
  private async call(task: TTask): Promise<TResult> {
    return this.handler(task);
  }
}
