import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BackfillBatchEvent, BackfillBatchInput, BackfillItem } from '../../src/backfill/batch-event.js';
import { pattern, rgbPng } from '../codec/inputs.js';
import { objectBytes } from '../lambda/event-fixtures.js';

export const INPUT_BUCKET = 'augmix-input';
export const OUTPUT_BUCKET = 'augmix-output';
export const INPUT_PREFIX = 'dataset/';

/** The image threads' entry, built to `dist/` by the global setup. */
export const THREAD_URL = new URL('../../dist/src/backfill/image-thread-main.js', import.meta.url);

/**
 * The input objects: small images in class folders (names with dots, spaces and non-ASCII letters), a
 * truncated JPEG and a text file named .jpg (the poison images), and a CSV (not an image extension).
 */
export function inputObjects(): Record<string, Uint8Array> {
  return {
    'cat/001.png': rgbPng(pattern(20, 14)),
    'cat/002.v2.png': rgbPng(pattern(16, 16)),
    'cat/100%.png': rgbPng(pattern(12, 18)),
    'dog/photo one.jpg': objectBytes('photo.jpg'),
    'dog/truncated.jpg': objectBytes('truncated.jpg'),
    'dog/readme.jpg': objectBytes('readme.jpg'),
    'oiseau/café.png': objectBytes('cup.png'),
    'labels.csv': new TextEncoder().encode('file,label\ncat/001.png,cat\n'),
  };
}

export async function uploadInputs(
  s3: S3Client,
  objects: Record<string, Uint8Array>,
  prefix = INPUT_PREFIX,
): Promise<void> {
  for (const [key, body] of Object.entries(objects)) {
    await s3.send(new PutObjectCommand({ Bucket: INPUT_BUCKET, Key: prefix + key, Body: body }));
  }
}

/** The listing as the Distributed Map's ItemSelector passes it: Key, Size, ETag and position. */
export async function listItems(s3: S3Client, prefix = INPUT_PREFIX): Promise<BackfillItem[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: INPUT_BUCKET, Prefix: prefix }));
  return (listed.Contents ?? []).map((object, Index) => ({
    Key: object.Key ?? '',
    Size: object.Size ?? 0,
    ETag: object.ETag ?? '',
    Index,
  }));
}

export function batchInput(
  outputPrefix: string,
  overrides: Partial<BackfillBatchInput> = {},
): BackfillBatchInput {
  return {
    inputBucket: INPUT_BUCKET,
    inputPrefix: INPUT_PREFIX,
    outputBucket: OUTPUT_BUCKET,
    outputPrefix,
    layout: 'shards',
    settings: { variants: 2, seed: 5 },
    ...overrides,
  };
}

export function batchEvent(items: readonly BackfillItem[], input: BackfillBatchInput): BackfillBatchEvent {
  return { BatchInput: input, Items: items };
}

export async function readOutput(s3: S3Client, key: string): Promise<Uint8Array> {
  const response = await s3.send(new GetObjectCommand({ Bucket: OUTPUT_BUCKET, Key: key }));
  return response.Body!.transformToByteArray();
}
