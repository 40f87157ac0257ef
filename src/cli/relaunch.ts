import { spawn } from 'node:child_process';

/** libuv's default thread-pool size. */
const DEFAULT_POOL_SIZE = 4;
/** Set in the relaunched process, so that it never relaunches again. */
const RELAUNCHED = 'AUGMIX_RELAUNCHED';

/**
 * The libuv pool a run needs: one thread per image in flight (each makes at most one sharp call at a time),
 * at least libuv's default. sharp runs every decode and encode on this pool, which all worker threads share.
 */
export function neededPoolSize(imagesInFlight: number): number {
  return Math.max(DEFAULT_POOL_SIZE, imagesInFlight);
}

/**
 * Whether this process must be started again to get a larger libuv pool: `UV_THREADPOOL_SIZE` is read once,
 * when the pool starts, which in an ES module program has already happened (the module loader reads files on
 * it) — so it can only be given to a new process. Not when the user set it, nor when it is large enough.
 */
export function shouldRelaunch(env: NodeJS.ProcessEnv, needed: number): boolean {
  return env.UV_THREADPOOL_SIZE === undefined && env[RELAUNCHED] === undefined && needed > DEFAULT_POOL_SIZE;
}

/**
 * Runs this same command line in a child process with `UV_THREADPOOL_SIZE=size` and resolves with its exit
 * code. The child gets its own process group, so a Ctrl-C reaches it once, through this process, which
 * forwards SIGINT, SIGTERM and SIGHUP; when this process dies without forwarding (SIGKILL), the child sees its
 * IPC channel close and stops as on Ctrl-C.
 */
export function relaunch(size: number): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, UV_THREADPOOL_SIZE: String(size), [RELAUNCHED]: '1' },
    detached: true,
  });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  for (const signal of signals) process.on(signal, forward);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      for (const name of signals) process.off(name, forward);
      resolve(code ?? 128 + signalNumber(signal));
    });
  });
}

/**
 * In a relaunched process: calls `onOrphaned` when the parent goes away without a signal (its IPC channel
 * closes). The channel is not kept open on its own account, so it never delays the process's exit.
 */
export function watchParent(onOrphaned: () => void): void {
  if (process.env[RELAUNCHED] === undefined) return;
  const channel = process.channel;
  if (channel === undefined) return; // no IPC channel: not started by `relaunch`
  if (channel === null) {
    // the channel is already closed: the parent was gone before this process got here
    onOrphaned();
    return;
  }
  channel.unref();
  process.on('disconnect', onOrphaned);
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return (signal && numbers[signal]) ?? 1;
}
