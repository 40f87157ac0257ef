import { type Dirent, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { threadId } from 'node:worker_threads';

/** Prefix of the temporary files `writeFileAtomic` creates (hidden, so walks skip them). */
export const TEMP_PREFIX = '.augmix-tmp-';

const TEMP_PATTERN = /^\.augmix-tmp-\d+-\d+-\d+-/;

/** Temporary files being written right now, so an interrupted process can delete them on its way out. */
const liveTempFiles = new Set<string>();
let tempCounter = 0;

/**
 * `<dir>/.augmix-tmp-<pid>-<thread>-<n>-`: unique per process, thread and write, and short (under 50 bytes)
 * whatever the target's name, so a name the file system can store never fails because of its temporary file.
 */
function tempPathFor(target: string): string {
  tempCounter += 1;
  return path.join(path.dirname(target), `${TEMP_PREFIX}${process.pid}-${threadId}-${tempCounter}-`);
}

/**
 * Writes `bytes` to `target` so that readers only ever see the old file or the whole new one: the bytes go to
 * a hidden temporary file in the same folder (`.augmix-tmp-<pid>-<thread>-<n>-`), which is then renamed over the
 * target. Missing folders are created. The temporary file is removed when anything fails.
 *
 * The rename is atomic on POSIX file systems and on NTFS, which is all that Ctrl-C and kill need: the kernel
 * keeps every write a killed process made, so a final name only ever holds a whole file. Nothing is fsynced,
 * on purpose: an fsync per file (about 1.5 ms on the dev machine's disk, two files per variant) would cost
 * more than making a variant of a 224 px image, and it only matters after a power cut or a kernel crash,
 * which this promise does not cover — there the newest files may come back empty or missing (a rename can
 * reach the disk before the data) while the manifest names them; a run after a power cut should be checked
 * or redone, not resumed.
 */
export async function writeFileAtomic(target: string, bytes: Uint8Array | string): Promise<void> {
  const dir = path.dirname(target);
  const temp = tempPathFor(target);
  liveTempFiles.add(temp);
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    liveTempFiles.delete(temp);
  }
}

/**
 * {@link writeFileAtomic} with blocking calls, for worker threads that own their thread: no hand-offs to the
 * libuv pool (each costs two context switches, which dominate small files on virtual machines), and the folder
 * is only created when the first write finds it missing.
 */
export function writeFileAtomicSync(target: string, bytes: Uint8Array | string): void {
  const temp = tempPathFor(target);
  liveTempFiles.add(temp);
  try {
    try {
      writeFileSync(temp, bytes);
    } catch (error) {
      // the folder is missing: make it (only then, which saves a call per file) and write again
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(temp, bytes);
    }
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  } finally {
    liveTempFiles.delete(temp);
  }
}

/** Synchronously deletes every temporary file still being written (for signal and exit handlers). */
export function removeLiveTempFiles(): void {
  for (const temp of liveTempFiles) {
    rmSync(temp, { force: true });
  }
  liveTempFiles.clear();
}

/** How many temporary files are being written right now. */
export function liveTempFileCount(): number {
  return liveTempFiles.size;
}

/**
 * Deletes temporary files that an earlier, killed run left under `root` (any depth, hidden folders
 * skipped). Only call it while holding the output folder's lock. Returns how many were removed.
 */
export async function removeStaleTempFiles(root: string): Promise<number> {
  let removed = 0;
  const pending = [root];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isFile() && TEMP_PATTERN.test(entry.name) && !liveTempFiles.has(full)) {
        await rm(full, { force: true });
        removed += 1;
      } else if (entry.isDirectory() && !entry.isSymbolicLink() && !entry.name.startsWith('.')) {
        pending.push(full);
      }
    }
  }
  return removed;
}
