import { parentPort, type Transferable } from 'node:worker_threads';
import type { WorkerReady, WorkerReply, WorkerRequest } from './pool.js';

/** What a task handler returns: the result and the buffers to move (not copy) back to the main thread. */
export interface TaskOutcome<TResult> {
  readonly result: TResult;
  readonly transfer?: readonly Transferable[];
}

/**
 * Serves a {@link WorkerPool}'s tasks in a worker thread: posts `{ ready: true }`, then answers each
 * `{ id, task }` message by running `handler`: `{ id, ok: true, result }`, or `{ id, ok: false, error }` when the
 * handler throws. Call it after the worker's imports (so `ready` means the module loaded).
 */
export function serveTasks<TTask, TResult>(handler: (task: TTask) => Promise<TaskOutcome<TResult>>): void {
  const port = parentPort;
  if (port === null) throw new Error('serveTasks must run in a worker thread');
  port.on('message', (request: WorkerRequest<TTask>) => {
    handler(request.task).then(
      ({ result, transfer }) => {
        const reply: WorkerReply<TResult> = { id: request.id, ok: true, result };
        try {
          port.postMessage(reply, (transfer ?? []) as Transferable[]);
        } catch {
          // a buffer that cannot be moved (external memory): copy everything instead
          port.postMessage(reply);
        }
      },
      (error: unknown) => {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        const reply: WorkerReply<TResult> = { id: request.id, ok: false, error: message };
        port.postMessage(reply);
      },
    );
  });
  const ready: WorkerReady = { ready: true };
  port.postMessage(ready);
}
