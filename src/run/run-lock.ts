import { readFileSync, rmSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** Name of the lock file a run holds in its output folder (hidden, so walks skip it). */
export const LOCK_NAME = '.augmix-run.lock';

/** Another live process is writing into the same output folder. */
export class OutputBusyError extends Error {
  override readonly name = 'OutputBusyError';
}

/** A held lock on an output folder. */
export interface RunLock {
  readonly file: string;
  /** Removes the lock file (idempotent). */
  release(): void;
}

/**
 * Takes the output folder's lock: `.augmix-run.lock` holding this process's pid, created exclusively. A lock
 * left by a process that no longer exists (a killed run) is taken over. Two runs never append to one manifest.
 */
export async function acquireRunLock(outputDir: string): Promise<RunLock> {
  return acquireLockFile(path.join(outputDir, LOCK_NAME), outputDir);
}

/**
 * Takes the lock file `file` (this process's pid, created exclusively; a dead holder's lock is taken over).
 * `what` names the locked thing in the {@link OutputBusyError} message.
 */
export async function acquireLockFile(file: string, what: string): Promise<RunLock> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { file, release: () => releaseLock(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    if (Number.isSafeInteger(holder) && holder !== process.pid && isAlive(holder)) {
      throw new OutputBusyError(
        `${what} is being written by another augmix run (pid ${holder}); wait for it or stop it`,
      );
    }
    await rm(file, { force: true });
  }
  throw new OutputBusyError(`could not take the lock ${file}`);
}

function releaseLock(file: string): void {
  try {
    if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
