import type { S3Client } from '@aws-sdk/client-s3';

/** S3 commands that write; an error from one of them means the output cannot be written. */
const WRITE_COMMANDS: ReadonlySet<string> = new Set(['PutObjectCommand']);

/** The command each failed request was (errors are tagged as they leave the client). */
const failedCommands = new WeakMap<object, string>();

/**
 * Adds a middleware to `client` that remembers which command each error came from, so that code calling a
 * function that both reads and writes (the deployed worker's `augmentObject`) can tell a failed write (the run
 * cannot go on) from a failed read (one input failed). Returns the client.
 */
export function tagFailedCommands(client: S3Client): S3Client {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (typeof error === 'object' && error !== null && context.commandName !== undefined) {
          failedCommands.set(error, context.commandName);
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'augmixTagFailedCommand' },
  );
  return client;
}

/** Whether `error` came from a write (PutObject) of a client passed to {@link tagFailedCommands}. */
export function isWriteError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  return WRITE_COMMANDS.has(failedCommands.get(error) ?? '');
}
