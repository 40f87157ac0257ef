import { parentPort, type Transferable } from 'node:worker_threads';
import type { WorkerBatch, WorkerReady, WorkerReply, WorkerRequest } from './pool.js';

/** What a task handler returns: the result and the buffers to move (not copy) back to the main thread. */
export interface TaskOutcome<TResult> {
  readonly result: TResult;
  readonly transfer?: readonly Transferable[];
}

/**
 * Serves a {@link WorkerPool}'s tasks in a worker thread: posts `{ ready: true }`, then answers each task of
 * a `{ id, task }` message or a {@link WorkerBatch} by running `handler`: `{ id, ok: true, result, busyMs }`, or
 * `{ id, ok: false, error, busyMs }` when the handler throws. A single task starts at once, as it arrives; a
 * batch's tasks run at most `parallel` at a time. Replies finished in the same turn of the event loop go back
 * in one message (an array). Call it after the worker's imports (so `ready` means the module loaded).
 */
export function serveTasks<TTask, TResult>(handler: (task: TTask) => Promise<TaskOutcome<TResult>>): void {
  const port = parentPort;
  if (port === null) throw new Error('serveTasks must run in a worker thread');
  const waiting: WorkerRequest<TTask>[] = [];
  let running = 0;
  let parallel = Number.POSITIVE_INFINITY;
  let replies: WorkerReply<TResult>[] = [];
  let transfers: Transferable[] = [];
  let flushQueued = false;

  const flush = (): void => {
    flushQueued = false;
    const message = replies.length === 1 ? replies[0] : replies;
    const transfer = transfers;
    replies = [];
    transfers = [];
    try {
      port.postMessage(message, transfer);
    } catch {
      // a buffer that cannot be moved (external memory): copy everything instead
      port.postMessage(message);
    }
  };
  const reply = (answer: WorkerReply<TResult>, transfer: readonly Transferable[] = []): void => {
    replies.push(answer);
    transfers.push(...transfer);
    if (!flushQueued) {
      flushQueued = true;
      setImmediate(flush);
    }
  };
  const start = (request: WorkerRequest<TTask>): void => {
    running += 1;
    const started = performance.now();
    handler(request.task)
      .then(
        ({ result, transfer }) => {
          reply({ id: request.id, ok: true, result, busyMs: performance.now() - started }, transfer);
        },
        (error: unknown) => {
          const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
          reply({ id: request.id, ok: false, error: message, busyMs: performance.now() - started });
        },
      )
      .finally(() => {
        running -= 1;
        next();
      });
  };
  const next = (): void => {
    while (running < parallel && waiting.length > 0) start(waiting.shift() as WorkerRequest<TTask>);
  };

  port.on('message', (message: WorkerRequest<TTask> | WorkerBatch<TTask>) => {
    if ('batch' in message) {
      parallel = message.parallel;
      waiting.push(...message.batch);
      next();
    } else if (waiting.length > 0) {
      waiting.push(message);
      next();
    } else {
      start(message);
    }
  });
  const ready: WorkerReady = { ready: true };
  port.postMessage(ready);
}
