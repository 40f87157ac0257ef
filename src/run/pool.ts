import { type Transferable, Worker } from 'node:worker_threads';

/** A message a pool worker posts back for task `id`. */
export type WorkerReply<TResult> =
  | { readonly id: number; readonly ok: true; readonly result: TResult }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** What a pool worker posts once, when its module has loaded and it takes tasks. */
export interface WorkerReady {
  readonly ready: true;
}

/** A worker thread died before it was ready (its module failed to load): no worker of this pool can work. */
export class WorkerStartError extends Error {
  override readonly name = 'WorkerStartError';
}

/** The message a pool worker receives. */
export interface WorkerRequest<TTask> {
  readonly id: number;
  readonly task: TTask;
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
   * one waits on I/O or on the libuv pool (sharp), and never waits for the main thread between tasks.
   * @default 1
   */
  readonly tasksPerWorker?: number;
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
export class WorkerPool<TTask, TResult> {
  private readonly slots: Slot[] = [];
  private readonly queue: Queued<TTask>[] = [];
  private readonly url: URL;
  private readonly options: WorkerPoolOptions;
  private readonly perWorker: number;
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
    for (let i = 0; i < options.size; i += 1) this.slots.push(this.spawn());
  }

  /** Number of worker threads. */
  get size(): number {
    return this.slots.length;
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
      this.dispatch();
    });
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
    worker.on('message', (reply: WorkerReply<TResult> | WorkerReady) => {
      if ('ready' in reply) {
        slot.ready = true;
        return;
      }
      const pending = slot.current.get(reply.id);
      if (pending === undefined) return;
      slot.current.delete(reply.id);
      if (reply.ok) pending.resolve(reply.result as never);
      else pending.reject(new Error(reply.error));
      this.dispatch();
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

  private dispatch(): void {
    // fill every worker to one task first, then to `tasksPerWorker`, so work spreads before it stacks
    for (let depth = 1; depth <= this.perWorker; depth += 1) {
      for (const slot of this.slots) {
        if (slot.current.size >= depth) continue;
        const next = this.queue.shift();
        if (next === undefined) return;
        slot.current.set(next.id, { resolve: next.resolve, reject: next.reject });
        const request: WorkerRequest<TTask> = { id: next.id, task: next.task };
        slot.worker.postMessage(request, next.transfer as Transferable[]);
      }
    }
  }
}
