import { type Transferable, Worker } from 'node:worker_threads';

/**
 * A message a pool worker posts back for task `id` (several replies may come in one message, as an array).
 * `busyMs` is how long the handler ran, when the worker measures it.
 */
export type WorkerReply<TResult> =
  | { readonly id: number; readonly ok: true; readonly result: TResult; readonly busyMs?: number }
  | { readonly id: number; readonly ok: false; readonly error: string; readonly busyMs?: number };

/** What a pool worker posts once, when its module has loaded and it takes tasks. */
export interface WorkerReady {
  readonly ready: true;
}

/** A worker thread died before it was ready (its module failed to load): no worker of this pool can work. */
export class WorkerStartError extends Error {
  override readonly name = 'WorkerStartError';
}

/** A queued task that {@link WorkerPool.cancelQueued} withdrew before any worker got it. */
export class TaskCancelledError extends Error {
  override readonly name = 'TaskCancelledError';
}

/** The message a pool worker receives: one task, or a {@link WorkerBatch}. */
export interface WorkerRequest<TTask> {
  readonly id: number;
  readonly task: TTask;
}

/**
 * Several tasks in one message (small, fast tasks: one message instead of one per task). The worker runs at
 * most `parallel` of its tasks at once and queues the rest.
 */
export interface WorkerBatch<TTask> {
  readonly batch: readonly WorkerRequest<TTask>[];
  readonly parallel: number;
}

export interface WorkerPoolOptions {
  /** Number of worker threads. */
  readonly size: number;
  /** Passed to every worker as `workerData`. */
  readonly workerData?: unknown;
  /** Extra environment for the workers (merged over `process.env`). @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Tasks sent to one worker before it answers. With 2, a worker starts its next task while the previous
   * one waits on I/O or on the libuv pool (sharp), and never waits for the main thread between tasks. Slow
   * tasks (over {@link SLOW_TASK_MS} on average), and every task until the first reply, go one at a time.
   * @default 1
   */
  readonly tasksPerWorker?: number;
  /**
   * Tasks a worker may hold while its tasks are quick (handlers that ran under {@link QUICK_TASK_MS} on
   * average, as workers report them): they go in batches, one message for several tasks and one for their
   * replies, instead of one each way per task; the worker still runs `tasksPerWorker` at a time. Slow tasks
   * (large images) go as before, so memory and the spread over workers are unchanged for them.
   * @default tasksPerWorker (no batching)
   */
  readonly quickTasksPerWorker?: number;
  /**
   * How many more tasks the caller will `run` after those it has queued (e.g. inputs not yet handed over).
   * Near the end of the work, quick batches then shrink to half a fair share of what is left, so the workers
   * finish together instead of one working through a full batch while the others wait.
   * @default none (quick batches stay full)
   */
  readonly backlog?: () => number;
}

/**
 * Handlers quicker than this on average (ms) are batched ({@link WorkerPoolOptions.quickTasksPerWorker}): a
 * 32x32 image takes about 0.5 ms warm (up to 20 ms for the first ones, before the code is optimised), a
 * 224x224 one about 10 ms, a 1 MP one about 100 ms. Each message costs both threads a wake-up, and on one core
 * a switch between them (about 0.5 ms in all, measured around the worker's `postMessage`): 224 px images one
 * per message took about 5% more time on one worker and 8% more on two than in batches.
 */
export const QUICK_TASK_MS = 40;

/**
 * Handlers slower than this on average (ms) run one at a time per worker, as do the first ones, before any
 * worker has reported a time: large images. Each one in flight holds its decoded image, its chains and its
 * variants (about 50 MiB at 4 MP), and a second one would only share the worker's thread with it: at 2.8-4 MP
 * one at a time took 1 worker's peak RSS from about 290 to 245 MiB and its run from 1.71 to 1.63 s. A 224x224
 * image takes about 10 ms, a 1 MP one about 100 ms.
 */
export const SLOW_TASK_MS = 200;

/** What a run needs of a pool: {@link WorkerPool}, or an `InlinePool` that runs the tasks in this thread. */
export interface TaskPool<TTask, TResult> {
  /** The most tasks one worker holds at once: callers keep that many queued per worker. */
  readonly maxTasksPerWorker: number;
  /** Runs `task`; `transfer` lists buffers to move instead of copy (when it goes to another thread). */
  run(task: TTask, transfer?: readonly Transferable[]): Promise<TResult>;
  /** Rejects every task not yet started with a {@link TaskCancelledError}; started ones go on. */
  cancelQueued(): void;
  /** Stops: queued tasks are rejected. */
  close(): Promise<void>;
}

interface Pending {
  readonly resolve: (value: never) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  /** Tasks sent to this worker and not answered yet, by id. */
  readonly current: Map<number, Pending>;
}

interface Queued<TTask> {
  readonly id: number;
  readonly task: TTask;
  readonly transfer: readonly Transferable[];
  readonly resolve: (value: never) => void;
  readonly reject: (error: Error) => void;
}

/**
 * A fixed set of worker threads running one module. `run` queues a task and resolves with the worker's
 * result; each worker is sent up to `tasksPerWorker` tasks at a time. A worker that dies (uncaught error, `process.exit`) fails its
 * current task with an error and is replaced, so the pool keeps its size.
 *
 * The worker module posts {@link WorkerReady} once loaded, then answers `{ id, task }` messages with a
 * {@link WorkerReply} (see `serveTasks`). A worker that dies before it is ready means the module cannot load:
 * every task is then rejected with a {@link WorkerStartError} and no worker is replaced.
 */
export class WorkerPool<TTask, TResult> implements TaskPool<TTask, TResult> {
  private readonly slots: Slot[] = [];
  private readonly queue: Queued<TTask>[] = [];
  private readonly url: URL;
  private readonly options: WorkerPoolOptions;
  private readonly perWorker: number;
  private readonly quickPerWorker: number;
  /** Running mean of the workers' handler times (ms), or null before the first reply that carries one. */
  private taskMs: number | null = null;
  private dispatchQueued = false;
  private nextId = 0;
  private closed = false;
  private startFailure: WorkerStartError | null = null;

  constructor(url: URL, options: WorkerPoolOptions) {
    if (!Number.isSafeInteger(options.size) || options.size < 1) {
      throw new RangeError(`Expected size to be an integer >= 1 but received ${options.size}`);
    }
    this.url = url;
    this.options = options;
    this.perWorker = options.tasksPerWorker ?? 1;
    if (!Number.isSafeInteger(this.perWorker) || this.perWorker < 1) {
      throw new RangeError(`Expected tasksPerWorker to be an integer >= 1 but received ${this.perWorker}`);
    }
    this.quickPerWorker = options.quickTasksPerWorker ?? this.perWorker;
    if (!Number.isSafeInteger(this.quickPerWorker) || this.quickPerWorker < this.perWorker) {
      throw new RangeError(
        `Expected quickTasksPerWorker to be an integer >= tasksPerWorker (${this.perWorker}) but received ${this.quickPerWorker}`,
      );
    }
    for (let i = 0; i < options.size; i += 1) this.slots.push(this.spawn());
  }

  /** Number of worker threads. */
  get size(): number {
    return this.slots.length;
  }

  /** The most tasks one worker holds at once (quick tasks included): callers keep that many queued per worker. */
  get maxTasksPerWorker(): number {
    return this.quickPerWorker;
  }

  /** Tasks queued or running. */
  get pending(): number {
    return this.queue.length + this.slots.reduce((sum, slot) => sum + slot.current.size, 0);
  }

  /** Runs `task` on the next free worker; `transfer` lists buffers to move instead of copy. */
  run(task: TTask, transfer: readonly Transferable[] = []): Promise<TResult> {
    if (this.startFailure !== null) return Promise.reject(this.startFailure);
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise<TResult>((resolve, reject) => {
      this.nextId += 1;
      this.queue.push({
        id: this.nextId,
        task,
        transfer,
        resolve: resolve as (value: never) => void,
        reject,
      });
      this.scheduleDispatch();
    });
  }

  /**
   * Withdraws every task not yet sent to a worker: each is rejected with a {@link TaskCancelledError} (it never
   * ran). Tasks the workers hold go on. For a run that stops: it finishes what is in flight and no more.
   */
  cancelQueued(): void {
    for (const queued of this.queue.splice(0)) {
      queued.reject(new TaskCancelledError('the task was withdrawn before a worker took it'));
    }
  }

  /** Stops every worker; queued and running tasks are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const queued of this.queue.splice(0)) queued.reject(new Error('the worker pool was closed'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(this.url, {
      workerData: this.options.workerData,
      env: { ...process.env, ...this.options.env },
    });
    const slot: Slot = { worker, ready: false, current: new Map() };
    worker.on('message', (message: WorkerReply<TResult> | readonly WorkerReply<TResult>[] | WorkerReady) => {
      if ('ready' in message) {
        slot.ready = true;
        return;
      }
      for (const reply of Array.isArray(message) ? message : [message as WorkerReply<TResult>]) {
        const pending = slot.current.get(reply.id);
        if (pending === undefined) continue;
        slot.current.delete(reply.id);
        if (reply.busyMs !== undefined) {
          this.taskMs = this.taskMs === null ? reply.busyMs : 0.8 * this.taskMs + 0.2 * reply.busyMs;
        }
        if (reply.ok) pending.resolve(reply.result as never);
        else pending.reject(new Error(reply.error));
      }
      this.scheduleDispatch();
    });
    worker.on('error', (error) => this.replace(slot, error));
    worker.on('exit', (code) => this.replace(slot, new Error(`worker exited with code ${code}`)));
    return slot;
  }

  private replace(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    const current = [...slot.current.values()];
    slot.current.clear();
    if (this.closed) {
      for (const pending of current) pending.reject(new Error('the worker pool was closed'));
      return;
    }
    if (!slot.ready) {
      // the module never loaded: a replacement would fail the same way
      this.startFailure ??= new WorkerStartError(`a worker thread could not start: ${error.message}`, {
        cause: error,
      });
      for (const pending of current) pending.reject(this.startFailure);
      for (const queued of this.queue.splice(0)) queued.reject(this.startFailure);
      return;
    }
    this.slots[index] = this.spawn();
    void slot.worker.terminate();
    for (const pending of current) pending.reject(new Error(`worker thread failed: ${error.message}`));
    this.dispatch();
  }

  /**
   * Dispatches once the current turn's callers have queued their tasks (callers answered by one batch of
   * replies queue their next tasks together), so that quick tasks leave in batches.
   */
  private scheduleDispatch(): void {
    if (this.dispatchQueued) return;
    this.dispatchQueued = true;
    setImmediate(() => {
      this.dispatchQueued = false;
      if (!this.closed) this.dispatch();
    });
  }

  private dispatch(): void {
    const quick = this.taskMs !== null && this.taskMs < QUICK_TASK_MS && this.quickPerWorker > this.perWorker;
    const slow = this.taskMs === null || this.taskMs >= SLOW_TASK_MS;
    let limit = quick ? this.quickPerWorker : slow ? 1 : this.perWorker;
    if (quick && this.options.backlog !== undefined) {
      const left = this.queue.length + this.options.backlog();
      limit = Math.max(this.perWorker, Math.min(limit, Math.ceil(left / (2 * this.slots.length))));
    }
    // quick tasks: a worker is topped up only once it has worked through half of what it holds
    const refillAt = quick ? Math.floor(limit / 2) : limit - 1;
    const outgoing = new Map<Slot, Queued<TTask>[]>();
    // fill every worker to one task first, then one more each round, so work spreads before it stacks
    for (let depth = 1; depth <= limit && this.queue.length > 0; depth += 1) {
      for (const slot of this.slots) {
        const sending = outgoing.get(slot)?.length ?? 0;
        if (slot.current.size > refillAt && sending === 0) continue;
        if (slot.current.size + sending >= depth) continue;
        const next = this.queue.shift();
        if (next === undefined) break;
        const batch = outgoing.get(slot);
        if (batch === undefined) outgoing.set(slot, [next]);
        else batch.push(next);
      }
    }
    for (const [slot, tasks] of outgoing) {
      for (const task of tasks) slot.current.set(task.id, { resolve: task.resolve, reject: task.reject });
      if (!quick || tasks.length === 1) {
        for (const { id, task, transfer } of tasks) {
          const request: WorkerRequest<TTask> = { id, task };
          slot.worker.postMessage(request, transfer as Transferable[]);
        }
      } else {
        const batch: WorkerBatch<TTask> = {
          batch: tasks.map(({ id, task }) => ({ id, task })),
          parallel: this.perWorker,
        };
        slot.worker.postMessage(batch, tasks.flatMap((task) => task.transfer) as Transferable[]);
      }
    }
  }
}
