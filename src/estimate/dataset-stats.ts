import { readFile, stat } from 'node:fs/promises';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { INPUT_IMAGE_SUFFIXES } from '../codec/formats.js';
import { walkInputs } from '../run/walk.js';

/** Count and sizes of a dataset's images, and a way to read a sample of them. */
export interface DatasetStats {
  /** `s3://bucket/prefix/` or the folder. */
  readonly source: string;
  readonly images: number;
  readonly totalBytes: number;
  /** Up to `sampleSize` image names spread evenly over the listing, with a reader for each. */
  readonly sample: readonly { readonly key: string; readonly read: () => Promise<Uint8Array> }[];
}

function isImageKey(key: string): boolean {
  const lower = key.toLowerCase();
  return !key.endsWith('/') && INPUT_IMAGE_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

/** Every `step`-th of `items`, at most `size` of them, starting at the first. */
function spread<T>(items: readonly T[], size: number): T[] {
  if (size <= 0 || items.length === 0) return [];
  const step = Math.max(1, Math.floor(items.length / size));
  const picked: T[] = [];
  for (let i = 0; i < items.length && picked.length < size; i += step) picked.push(items[i]!);
  return picked;
}

/** Lists the images under an S3 prefix (keys with an image suffix, case-insensitive). */
export async function s3DatasetStats(
  s3: S3Client,
  bucket: string,
  prefix: string,
  sampleSize = 0,
): Promise<DatasetStats> {
  const keys: string[] = [];
  let totalBytes = 0;
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const object of page.Contents ?? []) {
      if (object.Key === undefined || !isImageKey(object.Key)) continue;
      keys.push(object.Key);
      totalBytes += object.Size ?? 0;
    }
  }
  const sample = spread(keys, sampleSize).map((key) => ({
    key,
    read: async () => {
      const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return response.Body!.transformToByteArray();
    },
  }));
  return { source: `s3://${bucket}/${prefix}`, images: keys.length, totalBytes, sample };
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
