import { readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { S3AccessOptions } from '../aws/bucket-run/s3-access.js';
import type { ShardObjects } from '../aws/bucket-run/shard-objects.js';
import { type BatchEntry, NOT_AN_IMAGE_EXTENSION } from '../backfill/shard-batch.js';
import { InputError } from '../codec/input-error.js';
import type { PipelineSettings } from '../pipeline/types.js';
import { buildDatasetManifest, MANIFEST_NAME, manifestJson, WIDS_INDEX_NAME } from '../shards/manifest.js';
import { DEFAULT_SHARD_SIZE, type ShardIndex, shardIndexJson, shardIndexName } from '../shards/shard.js';
import { writeFileAtomic } from './atomic-write.js';
import { compareCodePoints } from './code-point-order.js';
import { folderListing, type InputListing } from './input-listing.js';
import type { RunObserver } from './run-dataset.js';
import {
  describeOutput,
  type RunInput,
  type RunOutput,
  RunUsageError,
  resolveRunInput,
  resolveRunOutput,
} from './run-targets.js';
import { formatS3Url } from './s3-location.js';
import { type RunSummary, summarize } from './summary.js';
import { walkInputs } from './walk.js';

/** Most inputs per shard `--shard-size` accepts (the Distributed Map's batches are bounded the same way). */
export const MAX_SHARD_SIZE = 100_000;

export interface RunShardsOptions {
  readonly input: string;
  readonly output: string;
  readonly settings: PipelineSettings;
  readonly s3?: S3AccessOptions;
  /** Inputs per shard. @default DEFAULT_SHARD_SIZE */
  readonly shardSize?: number;
  /** Image threads. @default os.availableParallelism() */
  readonly concurrency?: number;
  readonly extensions?: readonly string[];
  readonly tool: string;
  /** Aborting stops after the shard being written. */
  readonly signal?: AbortSignal;
  readonly observer?: RunObserver;
  /** The image threads' module. @default IMAGE_THREAD_URL (next to the batch mode, built) */
  readonly threadUrl?: URL;
}

/**
 * `augmix run --layout shards`: the backfill's shards, made locally. The input is listed (a folder walked, or
 * a bucket prefix listed) into one code-point-ordered list of keys — images, and the keys that are not (so a
 * key's position is its position in the S3 listing of the same files) — cut into batches of `shardSize`, and
 * each batch becomes one shard through the same step as the batch mode (`shardOfBatch`), named by its first
 * position: the same batch gives the same shard, byte for byte, here and in the state machine. Shards and their
 * indexes are written one after the other (files atomically, or one PutObject each), then `manifest.json` and
 * `wids-index.json`. A rerun rewrites the same bytes; there is no resume.
 */
export async function runShards(options: RunShardsOptions): Promise<RunSummary> {
  const started = performance.now();
  const { settings, observer = {} } = options;
  const shardSize = options.shardSize ?? DEFAULT_SHARD_SIZE;
  if (!Number.isSafeInteger(shardSize) || shardSize < 1 || shardSize > MAX_SHARD_SIZE) {
    throw new RunUsageError(`--shard-size must be an integer in 1..${MAX_SHARD_SIZE}, got ${shardSize}`);
  }
  const input = await resolveRunInput(options.input);
  const output = await resolveRunOutput(options.output, input, {});
  let s3: ShardObjects | null = null;
  let listing: InputListing;
  if (input.kind === 'bucket' || output.kind === 'bucket') {
    // the AWS SDK is loaded only for runs that use S3
    const bucketRun = await import('../aws/bucket-run/bucket-run.js');
    const { openShardObjects } = await import('../aws/bucket-run/shard-objects.js');
    const s3Settings = await bucketRun.s3ClientSettings(options.s3 ?? {});
    listing = await bucketRun.listWithS3(input, output, s3Settings, options.extensions);
    s3 = openShardObjects(s3Settings);
  } else {
    listing = folderListing(
      await walkInputs(input.root, { extensions: options.extensions, exclude: [output.root] }),
    );
  }
  const { createImageThreads } = await import('../backfill/image-threads.js');
  const { configureSharp } = await import('../codec/index.js');
  configureSharp({ concurrency: 1, cache: false });
  const entries = listedEntries(listing, input, settings, s3);
  const threads = createImageThreads(
    options.threadUrl,
    Math.max(1, Math.min(options.concurrency ?? availableParallelism(), entries.length)),
  );
  const { shardOfBatch } = await import('../backfill/shard-batch.js');
  const indexes: ShardIndex[] = [];
  let done = 0;
  let failed = 0;
  let variants = 0;
  let interrupted = false;
  const workStarted = performance.now();
  const progress = (): void =>
    observer.progress?.({
      done,
      total: listing.images.length,
      variants,
      failed,
      elapsedMs: performance.now() - workStarted,
    });
  progress();
  try {
    for (let first = 0; first < entries.length; first += shardSize) {
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      const batch = entries.slice(first, first + shardSize).map((make) => make());
      const { bytes, index } = await shardOfBatch(first, batch, {
        augment: threads.augment,
        concurrency: Math.max(2, threads.size * 2),
        settings,
        tool: options.tool,
      });
      await write(output, s3, index.shard, bytes);
      await write(output, s3, shardIndexName(index.shard), shardIndexJson(index));
      indexes.push(index);
      for (const failure of index.failures)
        observer.message?.(`failed: ${failure.source.key}: ${failure.code}: ${failure.message}`);
      done += index.samples.length + index.failures.length;
      failed += index.failures.length;
      variants += index.samples.reduce(
        (sum, sample) => sum + sample.members.length - 1 - (settings.jsd ? 1 : 0),
        0,
      );
      progress();
    }
  } finally {
    await threads.close();
  }
  let manifestPlace = '';
  if (indexes.length > 0 && !interrupted) {
    const { manifest, wids } = buildDatasetManifest(
      indexes,
      describeOutput(output),
      options.tool,
      entries.length,
    );
    await write(output, s3, MANIFEST_NAME, manifestJson(manifest));
    await write(output, s3, WIDS_INDEX_NAME, manifestJson(wids));
    manifestPlace =
      output.kind === 'folder'
        ? path.join(output.root, MANIFEST_NAME)
        : formatS3Url(output.location, MANIFEST_NAME);
  }
  s3?.destroy();
  return summarize({
    walk: listing,
    todo: listing.images.length,
    done,
    failed,
    variants,
    interrupted,
    elapsedMs: performance.now() - started,
    workMs: performance.now() - workStarted,
    concurrency: Math.max(1, threads.size),
    manifest: manifestPlace,
  });
}

/**
 * Every listed key in code-point order, as a function making its batch entry (files are looked at only when
 * their batch comes): images, keys that are not images (ignored), and keys that cannot be relative keys (failed).
 */
function listedEntries(
  listing: InputListing,
  input: RunInput,
  settings: PipelineSettings,
  s3: ShardObjects | null,
): (() => BatchEntry)[] {
  const fullKey = (relative: string): string =>
    input.kind === 'bucket' ? input.location.prefix + relative : relative;
  const keyed: { key: string; make: () => BatchEntry }[] = [];
  for (const image of listing.images) {
    const { source, key: relativeKey } = image;
    if (source.kind === 'file') {
      keyed.push({
        key: relativeKey,
        make: () => {
          const size = statSync(source.path).size;
          return {
            kind: 'input',
            relativeKey,
            source: { key: relativeKey, eTag: null, size },
            read: async () => readFile(source.path, relativeKey, size, settings.maxBytes),
          };
        },
      });
    } else {
      keyed.push({
        key: relativeKey,
        make: () => {
          return {
            kind: 'input',
            relativeKey,
            source: {
              key: source.key,
              eTag: source.eTag === null ? null : `"${source.eTag}"`,
              size: source.size ?? 0,
            },
            read: () => (s3 as ShardObjects).read(source, relativeKey, settings.maxBytes),
          };
        },
      });
    }
  }
  for (const key of listing.ignored) {
    keyed.push({
      key,
      make: () => ({ kind: 'ignored', key: fullKey(key), reason: NOT_AN_IMAGE_EXTENSION }),
    });
  }
  for (const problem of listing.problems) {
    keyed.push({
      key: problem.key,
      make: () => ({
        kind: 'failed',
        source: { key: fullKey(problem.key), eTag: null, size: 0 },
        code: 'invalid-parameter',
        message: `${fullKey(problem.key)}: ${problem.reason}`,
      }),
    });
  }
  keyed.sort((a, b) => compareCodePoints(a.key, b.key));
  return keyed.map((entry) => entry.make);
}

function readFile(file: string, key: string, size: number, maxBytes: number): Uint8Array {
  if (size > maxBytes)
    throw new InputError('too-many-bytes', key, `${size} bytes exceeds the limit of ${maxBytes} bytes`);
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError('gone', key, 'the file disappeared after the folder was listed', { cause: error });
    }
    throw error;
  }
}

/** Writes one output: a file (atomically, folders made) or an object (one PutObject). */
async function write(
  output: RunOutput,
  s3: ShardObjects | null,
  name: string,
  body: Uint8Array | string,
): Promise<void> {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  if (output.kind === 'folder') {
    const target = path.join(output.root, name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFileAtomic(target, bytes);
    return;
  }
  const contentType = name.endsWith('.tar') ? 'application/x-tar' : 'application/json';
  await (s3 as ShardObjects).put(output.location.bucket, output.location.prefix + name, bytes, contentType);
}
