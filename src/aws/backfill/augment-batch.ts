import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { assertRelativeKey } from '../../augmix/seed.js';
import type { BackfillBatchEvent, BackfillBatchResult, BackfillItem } from '../../backfill/batch-event.js';
import type { AugmentImage } from '../../backfill/image-outcome.js';
import {
  type BatchEntry,
  createSlots,
  FOLDER_MARKER,
  NOT_AN_IMAGE_EXTENSION,
  quotedETag,
  shardOfBatch,
} from '../../backfill/shard-batch.js';
import { InputError } from '../../codec/input-error.js';
import { resolveSettings } from '../../pipeline/settings.js';
import type { PipelineSettings } from '../../pipeline/types.js';
import { DEFAULT_IMAGE_EXTENSIONS } from '../../run/walk.js';
import { shardIndexJson, shardIndexName } from '../../shards/shard.js';
import { augmentBytes } from '../worker/augment-object.js';
import { isObjectGone, isPreconditionFailed } from '../worker/s3-errors.js';

/** What the batch mode needs besides its event: created once per container. */
export interface AugmentBatchOptions {
  readonly s3: S3Client;
  /** `processImage` on the function's vCPUs (image threads) or on the calling thread. */
  readonly augment: AugmentImage;
  /** Inputs read and augmented at once (enough to keep every image thread busy while others download). */
  readonly concurrency: number;
  /** Settings under the event's (the stack's defaults); the event's `settings` win. @default {} */
  readonly defaults?: Partial<PipelineSettings>;
  /** `augmix-pipeline <version>`, recorded in shard indexes. */
  readonly tool: string;
}

export const TAR_CONTENT_TYPE = 'application/x-tar';
const JSON_CONTENT_TYPE = 'application/json';

/**
 * The worker's batch mode: one child of the backfill's Distributed Map.
 *
 * Every item is read (its listed size checked against `maxBytes` first, then GetObject guarded by its listed
 * ETag) and augmented with the per-image path, `processImage`. Then, by `BatchInput.layout`:
 * - `shards`: ONE WebDataset shard of the whole batch, written with one PutObject (never multipart), then its
 *   index (`shard-N.index.json`) with a second one; `N` is the first item's listing position, so a rerun
 *   or a redrive of the batch rewrites the same names with the same bytes;
 * - `objects`: each input's outputs as the event path writes them (`augmentBytes`).
 *
 * A bad input (not an image, too big, changed or deleted since the listing, a key that cannot be a relative
 * key) is a recorded failure; keys that are folder markers or lack an image extension are recorded as ignored.
 * Neither fails the batch. Any other error (S3 throttling, 5xx, network, access denied) is thrown, so the
 * state machine retries the child or a redrive runs it again.
 */
export async function augmentBatch(
  event: BackfillBatchEvent,
  options: AugmentBatchOptions,
): Promise<BackfillBatchResult> {
  const input = event.BatchInput;
  const settings = resolveSettings({ ...options.defaults, ...input.settings });
  const items = [...event.Items].sort((a, b) => a.Index - b.Index);
  const first = items[0];
  if (first === undefined)
    throw new RangeError('Expected a backfill batch with at least one item but Items is empty');
  if (input.layout === 'objects') return objectsBatch(items, settings, options, event);
  if (input.layout !== 'shards') {
    throw new RangeError(
      `Expected BatchInput.layout to be "shards" or "objects" but received ${JSON.stringify(input.layout)}`,
    );
  }

  const entries = items.map((item) =>
    entryOf(item, input.inputBucket, input.inputPrefix, settings, options.s3),
  );
  const { bytes, index } = await shardOfBatch(first.Index, entries, {
    augment: options.augment,
    concurrency: options.concurrency,
    settings,
    tool: options.tool,
  });
  const shardKey = input.outputPrefix + index.shard;
  await putObject(options.s3, input.outputBucket, shardKey, bytes, TAR_CONTENT_TYPE);
  const indexBytes = new TextEncoder().encode(shardIndexJson(index));
  await putObject(
    options.s3,
    input.outputBucket,
    input.outputPrefix + shardIndexName(index.shard),
    indexBytes,
    JSON_CONTENT_TYPE,
  );
  return {
    shard: shardKey,
    images: index.samples.length,
    variants: index.samples.length * (settings.jsd ? settings.variants * 2 : settings.variants),
    puts: 2,
    ignored: index.ignored.length,
    failures: index.failures.map((failure) => ({
      key: failure.source.key,
      code: failure.code,
      message: failure.message,
    })),
  };
}

/** The `objects` layout: every input through the event path's per-object code, on the calling thread. */
async function objectsBatch(
  items: readonly BackfillItem[],
  settings: PipelineSettings,
  options: AugmentBatchOptions,
  event: BackfillBatchEvent,
): Promise<BackfillBatchResult> {
  const input = event.BatchInput;
  const config = {
    outputBucket: input.outputBucket,
    inputPrefix: input.inputPrefix,
    outputPrefix: input.outputPrefix,
    settings,
    imageConcurrency: options.concurrency,
    vipsConcurrency: null,
    deleteOutputsOnInputDelete: false,
    imageTimeReserveMs: 0,
  };
  let images = 0;
  let variants = 0;
  let puts = 0;
  let ignored = 0;
  const failures: BackfillBatchResult['failures'][number][] = [];
  const limit = createSlots(options.concurrency);
  await Promise.all(
    items.map((item) =>
      limit(async () => {
        const target = classify(item, input.inputPrefix);
        if (target.kind === 'ignored') {
          ignored += 1;
          return;
        }
        if (target.kind === 'failed') return void failures.push({ key: item.Key, ...target.failure });
        const outcome = await augmentBytes(
          () => readItem(options.s3, input.inputBucket, item, target.relativeKey, settings.maxBytes),
          target.relativeKey,
          { s3: options.s3, config },
          item.Key,
        );
        if (outcome.status === 'augmented') {
          images += 1;
          variants += outcome.processed.variants.length;
          puts += outcome.keys.length;
        } else if (outcome.status === 'failed') {
          puts += outcome.failureKey === null ? 0 : 1;
          failures.push({ key: item.Key, code: outcome.error.code, message: outcome.error.message });
        }
      }),
    ),
  );
  failures.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { shard: null, images, variants, puts, ignored, failures };
}

/** A listed item as a batch entry: an input read from S3, an ignored key, or a key that cannot be an input. */
function entryOf(
  item: BackfillItem,
  bucket: string,
  inputPrefix: string,
  settings: PipelineSettings,
  s3: S3Client,
): BatchEntry {
  const target = classify(item, inputPrefix);
  if (target.kind === 'ignored') return { kind: 'ignored', key: item.Key, reason: target.reason };
  const source = { key: item.Key, eTag: quotedETag(item.ETag), size: item.Size };
  if (target.kind === 'failed') return { kind: 'failed', source, ...target.failure };
  const { relativeKey } = target;
  return {
    kind: 'input',
    source,
    relativeKey,
    read: () => readItem(s3, bucket, item, relativeKey, settings.maxBytes),
  };
}

type Target =
  | { readonly kind: 'input'; readonly relativeKey: string }
  | { readonly kind: 'ignored'; readonly reason: string }
  | {
      readonly kind: 'failed';
      readonly failure: { readonly code: 'invalid-parameter'; readonly message: string };
    };

const IMAGE_SUFFIXES = DEFAULT_IMAGE_EXTENSIONS.map((ext) => `.${ext}`);

/** Whether an item is an input (as `augmix run` lists a bucket: an image extension, not a folder marker). */
function classify(item: BackfillItem, inputPrefix: string): Target {
  const { Key: key } = item;
  if (key.endsWith('/')) return { kind: 'ignored', reason: FOLDER_MARKER };
  if (!IMAGE_SUFFIXES.some((suffix) => key.toLowerCase().endsWith(suffix))) {
    return { kind: 'ignored', reason: NOT_AN_IMAGE_EXTENSION };
  }
  if (!key.startsWith(inputPrefix)) {
    const message = `${key}: outside the input prefix ${JSON.stringify(inputPrefix)}`;
    return { kind: 'failed', failure: { code: 'invalid-parameter', message } };
  }
  const relativeKey = key.slice(inputPrefix.length);
  try {
    assertRelativeKey(relativeKey);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      kind: 'failed',
      failure: { code: 'invalid-parameter', message: `${key}: cannot be a relative key: ${reason}` },
    };
  }
  return { kind: 'input', relativeKey };
}

/**
 * Reads a listed object: refused before the download when its listed size is over `maxBytes`, then GetObject
 * with `If-Match` on the listed ETag. 412 → `superseded`, 404 → `gone` (both InputError); others are thrown.
 */
export async function readItem(
  s3: S3Client,
  bucket: string,
  item: BackfillItem,
  relativeKey: string,
  maxBytes: number,
): Promise<Uint8Array> {
  if (item.Size > maxBytes) {
    throw new InputError(
      'too-many-bytes',
      relativeKey,
      `the object is ${item.Size} bytes; maxBytes is ${maxBytes}`,
    );
  }
  const eTag = quotedETag(item.ETag);
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: item.Key, IfMatch: eTag }));
    if (response.Body === undefined) throw new Error(`GetObject s3://${bucket}/${item.Key} returned no body`);
    return await response.Body.transformToByteArray();
  } catch (error) {
    if (isPreconditionFailed(error)) {
      throw new InputError(
        'superseded',
        relativeKey,
        `the object changed after it was listed (listed ETag ${item.ETag})`,
        {
          cause: error,
        },
      );
    }
    if (isObjectGone(error)) {
      throw new InputError('gone', relativeKey, 'the object was deleted after it was listed', {
        cause: error,
      });
    }
    throw error;
  }
}

/** One PutObject with the whole body (never a multipart upload). */
/** One plain PutObject of the whole body (never multipart: a shard is one request). */
export async function putObject(
  s3: S3Client,
  bucket: string,
  key: string,
  body: Uint8Array,
  contentType: string,
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: contentType,
      ContentLength: body.byteLength,
    }),
  );
}
