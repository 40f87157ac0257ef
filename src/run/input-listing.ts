import type { InputSource } from './image-task.js';
import type { WalkResult } from './walk.js';

/** One image candidate of a run's input, a file or an object. */
export interface InputEntry {
  /** Relative key: the core's seed and layout key (path below the input folder, key minus the input prefix). */
  readonly key: string;
  readonly source: InputSource;
  /** How messages name it: the file's path or the object's `s3://` URL. */
  readonly display: string;
  /** Done before from other content (the manifest's fingerprint differs): its old outputs are replaced. */
  readonly redo?: boolean;
}

/** What a run found in its input, in a deterministic order (the counts of {@link WalkResult}). */
export interface InputListing {
  /** Image candidates sorted by key in code-point order. */
  readonly images: readonly InputEntry[];
  /** Relative keys of files or objects that are not image candidates, sorted. */
  readonly ignored: readonly string[];
  /** Hidden entries skipped (folders only: a bucket has no hidden keys). */
  readonly hidden: number;
  /** Symbolic links skipped (folders only). */
  readonly symlinks: number;
  /** Entries that could not be read or named, with the reason. */
  readonly problems: readonly { readonly key: string; readonly reason: string }[];
  /** Relative keys of the output folder or prefix, left out because it lies inside the input. */
  readonly excluded: readonly string[];
}

/** A folder walk as a listing: each image read from its file. */
export function folderListing(walk: WalkResult): InputListing {
  return {
    ...walk,
    images: walk.images.map((entry) => ({
      key: entry.key,
      source: { kind: 'file', path: entry.path },
      display: entry.path,
    })),
  };
}
