/** Exit codes shared by every command. */
export const EXIT = { ok: 0, someFailed: 1, usage: 2, fatal: 3 } as const;

/** A usage error: the command prints it with its usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
