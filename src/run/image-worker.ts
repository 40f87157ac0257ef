import { readFileSync, statSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import type { S3Client } from '@aws-sdk/client-s3';
import { type AugmentOutcome, augmentBytes, augmentObject, readObject } from '../aws/augment-object.js';
import type { S3ObjectEvent } from '../aws/s3-event.js';
import type { WorkerConfig } from '../aws/worker-config.js';
import { configureSharp } from '../codec/index.js';
import { InputError } from '../pipeline/errors.js';
import { failureRecord } from '../pipeline/failure.js';
import { processImage } from '../pipeline/process-image.js';
import type { ProcessedImage } from '../pipeline/types.js';
import type { ImageResult, ImageTask, ImageWorkerData, InputSource } from './image-task.js';
import { createRunS3Client } from './s3-access.js';
import { isWriteError, tagFailedCommands } from './s3-write-errors.js';
import { serveTasks } from './serve-tasks.js';
import { writeImageFiles, writtenImageOf } from './write-outputs.js';

// A worker thread of `augmix run`: reads one image (a file, or an S3 object as the deployed worker reads it),
// decodes it once and makes all its variants (processImage), writes them with their sidecars — files atomically
// with blocking calls (this thread has nothing else to do), or objects through the deployed worker's own
// per-object functions (augmentObject / augmentBytes), failure records included — and tells the main thread what
// it wrote; the main thread keeps the manifest. libvips runs one thread per operation, since the pool already
// runs one image per core.
configureSharp({ concurrency: 1, cache: false });
const { settings, output, inputPrefix, s3: s3Settings } = workerData as ImageWorkerData;
const s3: S3Client | null = s3Settings === null ? null : tagFailedCommands(createRunS3Client(s3Settings));
const bucketConfig: WorkerConfig | null =
  output.kind === 'bucket'
    ? {
        outputBucket: output.bucket,
        inputPrefix,
        outputPrefix: output.prefix,
        settings,
        imageConcurrency: 1,
        vipsConcurrency: null,
      }
    : null;

serveTasks<ImageTask, ImageResult>(async (task) => {
  try {
    return { result: bucketConfig === null ? await toFolder(task) : await toBucket(task, bucketConfig) };
  } catch (error) {
    return { result: unexpected(task, error) };
  }
});

/** Into a local folder: read, process, write the files; a bad input is a `failed` result (the manifest keeps it). */
async function toFolder(task: ImageTask): Promise<ImageResult> {
  let image: ProcessedImage;
  try {
    image = await processImage(await readInput(task), task.key, settings);
  } catch (error) {
    // a bad image, or a read that failed (a file's permissions, S3 after the SDK's retries): this input failed
    return { kind: 'failed', error: failureRecord(task.key, error).error };
  }
  try {
    return { kind: 'done', written: writeImageFiles(image, (output as { root: string }).root) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? null;
    return { kind: 'write-failed', code, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Into a bucket: exactly what the deployed worker does for one object, failure record included. */
async function toBucket(task: ImageTask, config: WorkerConfig): Promise<ImageResult> {
  const options = { s3: s3 as S3Client, config };
  const { source } = task;
  const outcome: AugmentOutcome =
    source.kind === 'object'
      ? await augmentObject(eventOf(source), options)
      : await augmentBytes(async () => readFile(source.path, task.key), task.key, options);
  if (outcome.status === 'augmented') return { kind: 'done', written: writtenImageOf(outcome.processed) };
  if (outcome.status === 'failed')
    return { kind: 'failed', error: failureRecord(task.key, outcome.error).error };
  // the listing leaves out what the worker skips (outputs, folder markers, other prefixes): not reached
  return { kind: 'failed', error: { code: 'internal', message: `${task.key}: skipped: ${outcome.reason}` } };
}

/** The input's bytes, from its file or its object (size checked first either way). */
async function readInput(task: ImageTask): Promise<Uint8Array> {
  const { source } = task;
  if (source.kind === 'file') return readFile(source.path, task.key);
  return readObject(eventOf(source), task.key, s3 as S3Client, settings.maxBytes);
}

/**
 * An error the deployed worker would retry (it is no input's fault): a PutObject that failed after the SDK's
 * retries stops the run (exit 3, the output cannot be written); anything else (a read) fails this input, which
 * the manifest records and a rerun tries again.
 */
function unexpected(task: ImageTask, error: unknown): ImageResult {
  if (isWriteError(error)) {
    const code = (error as { name?: unknown }).name;
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'write-failed', code: typeof code === 'string' ? code : null, message };
  }
  return { kind: 'failed', error: failureRecord(task.key, error).error };
}

/** The S3 event the deployed worker would get for a listed object. */
function eventOf(source: Extract<InputSource, { kind: 'object' }>): S3ObjectEvent {
  return {
    eventName: 'ObjectCreated:Put',
    bucket: source.bucket,
    key: source.key,
    size: source.size,
    eTag: source.eTag,
    versionId: null,
    sequencer: null,
  };
}

/** Reads an input file; a file over the byte limit is refused before it is read. */
function readFile(file: string, key: string): Uint8Array {
  try {
    const { size } = statSync(file);
    if (size > settings.maxBytes) {
      throw new InputError(
        'too-many-bytes',
        key,
        `${size} bytes exceeds the limit of ${settings.maxBytes} bytes`,
      );
    }
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError('gone', key, 'the file disappeared after the folder was listed', {
        cause: error,
      });
    }
    throw error;
  }
}
