/**
 * The backfill worker: the batch mode (one child of the Distributed Map: `handler`) and the last step
 * (`finalizeHandler`), from one bundle.
 *
 * Created once per container: the S3 client and, on first use, the image threads (one per vCPU, or none on a
 * one-vCPU function). The threads run this same file: loaded in a worker thread, it serves image tasks
 * instead, so the ESM bundle needs no second entry. Environment: the S3 part of the worker environment
 * contract (`src/aws/s3-client.ts`), `AUGMIX_SETTINGS` (the stack's settings; the event's win),
 * `BATCH_THREADS` (image threads; default: every vCPU), `AUGMIX_TOOL_VERSION` (recorded in indexes and the
 * manifest; default: `augmix-pipeline unknown`; the bundle has no package.json).
 */
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import { augmentBatch } from '../src/aws/backfill/augment-batch.js';
import { finalizeBackfill } from '../src/aws/backfill/finalize.js';
import { createS3Client } from '../src/aws/worker/s3-client.js';
import { ConfigError } from '../src/aws/worker/worker-config.js';
import type {
  BackfillBatchEvent,
  BackfillBatchResult,
  BackfillFinalizeEvent,
  BackfillFinalizeResult,
} from '../src/backfill/batch-event.js';
import { serveImageTasks } from '../src/backfill/image-thread.js';
import { createImageThreads, type ImageThreads } from '../src/backfill/image-threads.js';
import { configureSharp } from '../src/codec/configure.js';
import type { PipelineSettings } from '../src/pipeline/types.js';

if (!isMainThread) serveImageTasks();

const env = process.env;
const s3 = isMainThread ? createS3Client(env) : null;
const threadCount = readThreads(env.BATCH_THREADS);
const defaults = readDefaults(env.AUGMIX_SETTINGS);
// the bundle has no package.json: the stack passes the version (`augmix-pipeline <version>`)
const tool = env.AUGMIX_TOOL_VERSION || 'augmix-pipeline unknown';
let threads: ImageThreads | null = null;

/** One child of the Distributed Map: augment the batch, write its shard (or objects), return the summary. */
export async function handler(event: BackfillBatchEvent, _context?: Context): Promise<BackfillBatchResult> {
  if (threads === null) {
    configureSharp({ concurrency: 1, cache: false });
    threads = createImageThreads(new URL(import.meta.url), threadCount);
  }
  return augmentBatch(event, {
    s3: s3 as NonNullable<typeof s3>,
    augment: threads.augment,
    // two images per thread, plus as many downloading
    concurrency: Math.max(2, threads.size * 4),
    defaults,
    tool,
  });
}

/** The last step: the dataset manifest and wids index from the shard indexes. */
export async function finalizeHandler(event: BackfillFinalizeEvent): Promise<BackfillFinalizeResult> {
  return finalizeBackfill(event, { s3: s3 as NonNullable<typeof s3>, tool });
}

function readThreads(raw: string | undefined): number {
  if (raw === undefined || raw === '') return availableParallelism();
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(`Expected BATCH_THREADS to be an integer >= 1 but received ${JSON.stringify(raw)}`);
  }
  return value;
}

function readDefaults(raw: string | undefined): Partial<PipelineSettings> {
  if (raw === undefined || raw.trim() === '') return {};
  try {
    const value = JSON.parse(raw) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Partial<PipelineSettings>;
  } catch (error) {
    throw new ConfigError(`Expected AUGMIX_SETTINGS to be a JSON object but received ${raw}`, {
      cause: error,
    });
  }
}
