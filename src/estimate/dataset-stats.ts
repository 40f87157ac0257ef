import { readFile, stat } from 'node:fs/promises';
import { INPUT_IMAGE_SUFFIXES } from '../codec/formats.js';
import { walkInputs } from '../run/walk.js';

/** Count and sizes of a dataset's images, and a way to read a sample of them (S3 ones: src/aws/operator/dataset-listing.ts). */
export interface DatasetStats {
  /** `s3://bucket/prefix/` or the folder. */
  readonly source: string;
  readonly images: number;
  readonly totalBytes: number;
  /** Up to `sampleSize` image names spread evenly over the listing, with a reader for each. */
  readonly sample: readonly { readonly key: string; readonly read: () => Promise<Uint8Array> }[];
}

export function isImageKey(key: string): boolean {
  const lower = key.toLowerCase();
  return !key.endsWith('/') && INPUT_IMAGE_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

/** Every `step`-th of `items`, at most `size` of them, starting at the first. */
export function spread<T>(items: readonly T[], size: number): T[] {
  if (size <= 0 || items.length === 0) return [];
  const step = Math.max(1, Math.floor(items.length / size));
  const picked: T[] = [];
  for (let i = 0; i < items.length && picked.length < size; i += step) picked.push(items[i]!);
  return picked;
}

/** Walks a local folder's images (the same walk as `augmix run`). */
export async function folderDatasetStats(folder: string, sampleSize = 0): Promise<DatasetStats> {
  const walked = await walkInputs(folder);
  let totalBytes = 0;
  for (const entry of walked.images) totalBytes += (await stat(entry.path)).size;
  const sample = spread(walked.images, sampleSize).map((entry) => ({
    key: entry.key,
    read: async () => new Uint8Array(await readFile(entry.path)),
  }));
  return { source: folder, images: walked.images.length, totalBytes, sample };
}
