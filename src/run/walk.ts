import type { Dirent } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { assertRelativeKey } from '../augmix/seed.js';
import { INPUT_IMAGE_EXTENSIONS } from '../codec/formats.js';
import { compareCodePoints } from './code-point-order.js';

/** Extensions (lower case, no dot) of the files `augmix run` treats as images. */
export const DEFAULT_IMAGE_EXTENSIONS = INPUT_IMAGE_EXTENSIONS;

/** One image candidate of the input tree. */
export interface WalkEntry {
  /** Relative key: the path below the input root, `/`-separated (the core's seed and layout key). */
  readonly key: string;
  /** Absolute path on this machine. */
  readonly path: string;
}

/** What a walk found, in a deterministic order. */
export interface WalkResult {
  /** Image candidates sorted by key in code-point order. */
  readonly images: readonly WalkEntry[];
  /** Keys of files that are not image candidates (other extensions, sockets, FIFOs, ...), sorted. */
  readonly ignored: readonly string[];
  /** Number of hidden entries skipped (names starting with `.`; a hidden folder counts once). */
  readonly hidden: number;
  /** Number of symbolic links skipped (never followed). */
  readonly symlinks: number;
  /** Entries that could not be read or named, with the reason (unreadable folders, names that are not keys). */
  readonly problems: readonly { readonly key: string; readonly reason: string }[];
  /** Folders left out because they are the output folder (relative keys). */
  readonly excluded: readonly string[];
}

export interface WalkOptions {
  /**
   * File extensions (case-insensitive, without the dot) that are image candidates.
   * @default DEFAULT_IMAGE_EXTENSIONS
   */
  readonly extensions?: readonly string[];
  /**
   * Absolute folder paths (after resolving symlinks) that the walk must not enter, e.g. the output folder
   * when it lies inside the input folder.
   * @default []
   */
  readonly exclude?: readonly string[];
}

/**
 * Walks `root` recursively with the same rules on every OS:
 *
 * - entries whose name starts with `.` are skipped (and counted in `hidden`), folders included;
 * - symbolic links are never followed, to files or folders (counted in `symlinks`);
 * - a regular file whose extension (after the last `.`, case-insensitive) is in `extensions` is an image
 *   candidate; every other regular file or special file is `ignored` (counted, never silently dropped);
 * - keys are the path below the root joined with `/`; a name that cannot be part of a key (it contains `\`)
 *   is reported in `problems`, like a folder that cannot be read;
 * - results are sorted by key in Unicode code-point order (not locale, not UTF-16 units), so the order is
 *   the same whatever the file system returns.
 */
export async function walkInputs(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  const extensions = new Set(
    (options.extensions ?? DEFAULT_IMAGE_EXTENSIONS).map((ext) => ext.toLowerCase().replace(/^\./, '')),
  );
  const exclude = new Set(options.exclude ?? []);
  const images: WalkEntry[] = [];
  const ignored: string[] = [];
  const problems: { key: string; reason: string }[] = [];
  const excluded: string[] = [];
  let hidden = 0;
  let symlinks = 0;

  const rootPath = await realpath(root);
  const pending: { dir: string; prefix: string }[] = [{ dir: rootPath, prefix: '' }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { dir, prefix } = next;
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (prefix === '') throw error;
      problems.push({ key: prefix.slice(0, -1), reason: `cannot read folder: ${errorText(error)}` });
      continue;
    }
    for (const entry of entries) {
      const key = `${prefix}${entry.name}`;
      const full = path.join(dir, entry.name);
      if (entry.name.startsWith('.')) {
        hidden += 1;
      } else if (entry.isSymbolicLink()) {
        symlinks += 1;
      } else if (!isKeyable(key)) {
        problems.push({ key, reason: 'the name cannot be part of a relative key (it contains "\\")' });
      } else if (entry.isDirectory()) {
        if (exclude.has(full)) excluded.push(key);
        else pending.push({ dir: full, prefix: `${key}/` });
      } else if (entry.isFile() && extensions.has(extensionOf(entry.name))) {
        images.push({ key, path: full });
      } else {
        ignored.push(key);
      }
    }
  }
  images.sort((a, b) => compareCodePoints(a.key, b.key));
  ignored.sort(compareCodePoints);
  problems.sort((a, b) => compareCodePoints(a.key, b.key));
  excluded.sort(compareCodePoints);
  return { images, ignored, hidden, symlinks, problems, excluded };
}

/**
 * The absolute, symlink-resolved form of a folder that may not exist yet (its nearest existing ancestor is
 * resolved and the rest appended), for comparing it with the folders a walk visits.
 */
export async function resolveFolder(folder: string): Promise<string> {
  const absolute = path.resolve(folder);
  try {
    return await realpath(absolute);
  } catch {
    const parent = path.dirname(absolute);
    if (parent === absolute) return absolute;
    return path.join(await resolveFolder(parent), path.basename(absolute));
  }
}

/** The extension after the last `.` of a file name, lower case, or '' (names like `README`). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

function isKeyable(key: string): boolean {
  try {
    assertRelativeKey(key);
    return true;
  } catch {
    return false;
  }
}

function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : String(error));
}
