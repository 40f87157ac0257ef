import type { S3Client } from '@aws-sdk/client-s3';
import { failureRecord } from '../../pipeline/failure.js';
import type { SourceVersion } from '../../pipeline/provenance.js';
import type { ImageHandlerData, ImageResult, ImageTask, InputSource } from '../../run/image-task.js';
import type { SourceFingerprint } from '../../run/manifest-lines.js';
import { writtenImageOf } from '../../run/write-outputs.js';
import { type AugmentOutcome, augmentBytes, augmentObject, readObject } from '../worker/augment-object.js';
import type { S3ObjectEvent } from '../worker/s3-event.js';
import type { WorkerConfig } from '../worker/worker-config.js';
import { createRunS3Client } from './s3-access.js';
import { isWriteError, tagFailedCommands } from './s3-write-errors.js';

// The S3 side of an `augmix run` worker thread, loaded only when the input or the output is a bucket: objects
// are read and written through the deployed worker's own per-object functions.

/** What a worker does with S3. */
export interface WorkerS3 {
  /** An image into the output bucket: exactly what the deployed worker does, failure record included. */
  toBucket(
    task: ImageTask,
    readFile: (path: string, key: string) => { bytes: Uint8Array; mtimeMs: number },
  ): Promise<ImageResult>;
  /** The bytes of an input object's current version (size checked first) and that version. */
  read(
    source: Extract<InputSource, { kind: 'object' }>,
    key: string,
  ): Promise<{ bytes: Uint8Array; source: SourceVersion }>;
}

/** The worker's S3 client (one per thread) and the deployed worker's configuration for this run. */
export function createWorkerS3(data: ImageHandlerData): WorkerS3 {
  if (data.s3 === null) throw new Error('createWorkerS3 needs S3 client settings');
  const s3: S3Client = tagFailedCommands(createRunS3Client(data.s3));
  const { output, settings } = data;
  const config: WorkerConfig | null =
    output.kind === 'bucket'
      ? {
          outputBucket: output.bucket,
          inputPrefix: data.inputPrefix,
          outputPrefix: output.prefix,
          settings,
          imageConcurrency: 1,
          vipsConcurrency: null,
          deleteOutputsOnInputDelete: false,
          imageTimeReserveMs: 0,
        }
      : null;
  return {
    async toBucket(task, readFile) {
      if (config === null) throw new Error('the output is not a bucket');
      const options = { s3, config };
      const { source } = task;
      let fingerprint: SourceFingerprint | null = null;
      const readLocal = async (path: string): Promise<Uint8Array> => {
        const file = readFile(path, task.key);
        fingerprint = { size: file.bytes.length, mtimeMs: file.mtimeMs };
        return file.bytes;
      };
      try {
        const outcome: AugmentOutcome =
          source.kind === 'object'
            ? await augmentObject(eventOf(source), options)
            : await augmentBytes(() => readLocal(source.path), task.key, options);
        if (outcome.status === 'augmented') {
          if (source.kind === 'object') {
            fingerprint = { size: outcome.source.size, eTag: outcome.source.eTag };
          }
          return { kind: 'done', written: writtenImageOf(outcome.processed, fingerprint) };
        }
        if (outcome.status === 'failed') {
          return { kind: 'failed', error: failureRecord(task.key, outcome.error).error };
        }
        if (outcome.status === 'gone') {
          return {
            kind: 'failed',
            error: { code: 'gone', message: `${task.key}: the object was deleted after it was listed` },
          };
        }
        // the listing leaves out what the worker skips (outputs, folder markers, other prefixes), and a run
        // (not a first receive) never stops at a superseded event: not reached
        return {
          kind: 'failed',
          error: { code: 'internal', message: `${task.key}: not processed (${outcome.status})` },
        };
      } catch (error) {
        return retryable(task, error);
      }
    },
    read(source, key) {
      return readObject(eventOf(source), key, s3, settings.maxBytes);
    },
  };
}

/**
 * An error the deployed worker would leave to SQS to retry (no input's fault): a PutObject that failed after
 * the SDK's retries stops the run (exit 3, the output cannot be written); anything else (a read) fails this
 * input, which the manifest records and a rerun tries again.
 */
function retryable(task: ImageTask, error: unknown): ImageResult {
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
