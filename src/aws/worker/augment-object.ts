import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { failureName } from '../../augmix/layout.js';
import { assertRelativeKey } from '../../augmix/seed.js';
import { InputError } from '../../codec/input-error.js';
import { failureRecord } from '../../pipeline/failure.js';
import { processImage } from '../../pipeline/process-image.js';
import { recordJson } from '../../pipeline/record-json.js';
import type { EncodedOutput, ProcessedImage } from '../../pipeline/types.js';
import { isObjectGone, isPreconditionFailed } from './s3-errors.js';
import type { S3ObjectEvent } from './s3-event.js';
import type { WorkerConfig } from './worker-config.js';

/** What `augmentObject` needs: the container's S3 client and configuration. */
export interface AugmentObjectOptions {
  readonly s3: S3Client;
  readonly config: WorkerConfig;
}

/** The result for one object. Transient errors are not an outcome: they are thrown. */
export type AugmentOutcome =
  /** Variants, sidecars (and the clean view in JSD mode) written. */
  | {
      readonly status: 'augmented';
      readonly relativeKey: string;
      readonly processed: ProcessedImage;
      /** Every key written, in the output bucket. */
      readonly keys: readonly string[];
    }
  /** A permanent failure: the failure record was written at `failureKey` (or `null` when the key is unusable). */
  | {
      readonly status: 'failed';
      readonly relativeKey: string | null;
      readonly error: InputError;
      readonly failureKey: string | null;
    }
  /** Not an input of this pipeline (outside INPUT_PREFIX, our own output, a folder marker): nothing done. */
  | { readonly status: 'skipped'; readonly reason: string };

export const JSON_CONTENT_TYPE = 'application/json';

/**
 * Augments one object named by an S3 ObjectCreated event and writes its outputs to the output bucket:
 *
 * 1. size check against `settings.maxBytes` before downloading (event size, else HeadObject);
 * 2. GetObject guarded by the event's ETag (`If-Match`): 412 → `superseded`, 404 → `gone`, so an object that
 *    changed or disappeared since the event never produces stale variants;
 * 3. `processImage` on the relative key (the object key minus INPUT_PREFIX), the same path as `augmix run`, so
 *    names and bytes are deterministic and a re-delivered event rewrites identical objects;
 * 4. every variant, its provenance sidecar and the clean view (JSD mode) under OUTPUT_PREFIX.
 *
 * A permanent failure (`InputError`) writes `failureRecord` at `failureName(relativeKey)` and is returned;
 * any other error (throttling, 5xx, timeouts, network, access denied) is thrown for SQS to retry.
 */
export async function augmentObject(
  event: S3ObjectEvent,
  options: AugmentObjectOptions,
): Promise<AugmentOutcome> {
  const { s3, config } = options;
  const target = relativeKeyOf(event, config);
  if (target.status !== 'input') return target.outcome;
  const { relativeKey } = target;
  return augmentBytes(
    () => readObject(event, relativeKey, s3, config.settings.maxBytes),
    relativeKey,
    options,
  );
}

/**
 * Steps 3 and 4 of {@link augmentObject} for an input read by `read` (an S3 object, or a local file when
 * `augmix run` writes a folder into a bucket): `processImage` on `relativeKey`, the outputs under OUTPUT_PREFIX,
 * and for an `InputError` (thrown by `read` or by decoding) the failure record. Other errors are thrown.
 */
export async function augmentBytes(
  read: () => Promise<Uint8Array>,
  relativeKey: string,
  options: AugmentObjectOptions,
): Promise<AugmentOutcome> {
  const { s3, config } = options;
  try {
    const bytes = await read();
    const processed = await processImage(bytes, relativeKey, config.settings);
    const keys = await writeOutputs(processed, s3, config);
    return { status: 'augmented', relativeKey, processed, keys };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const failureKey = config.outputPrefix + failureName(relativeKey);
    await putObject(s3, config.outputBucket, {
      name: failureKey,
      bytes: utf8(recordJson(failureRecord(relativeKey, error))),
      contentType: JSON_CONTENT_TYPE,
    });
    return { status: 'failed', relativeKey, error, failureKey };
  }
}

type Target =
  | { readonly status: 'input'; readonly relativeKey: string }
  | { readonly status: 'other'; readonly outcome: AugmentOutcome };

/** The relative key of an event's object, or why the object is not processed. */
export function relativeKeyOf(event: S3ObjectEvent, config: WorkerConfig): Target {
  const { key, bucket } = event;
  if (bucket === config.outputBucket && key.startsWith(config.outputPrefix)) {
    const reason = `s3://${bucket}/${key} is under the output prefix; not augmenting outputs (recursive loop)`;
    return { status: 'other', outcome: { status: 'skipped', reason } };
  }
  if (!key.startsWith(config.inputPrefix)) {
    const reason = `s3://${bucket}/${key} is outside INPUT_PREFIX ${JSON.stringify(config.inputPrefix)}`;
    return { status: 'other', outcome: { status: 'skipped', reason } };
  }
  if (key.endsWith('/')) {
    return {
      status: 'other',
      outcome: { status: 'skipped', reason: `s3://${bucket}/${key} is a folder marker` },
    };
  }
  const relativeKey = key.slice(config.inputPrefix.length);
  try {
    assertRelativeKey(relativeKey);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const error = new InputError(
      'invalid-parameter',
      relativeKey,
      `cannot be mirrored to outputs: ${message}`,
      {
        cause,
      },
    );
    return { status: 'other', outcome: { status: 'failed', relativeKey: null, error, failureKey: null } };
  }
  return { status: 'input', relativeKey };
}

/**
 * Reads an event's object: the size check against `maxBytes` (the event's size, else HeadObject), then GetObject
 * guarded by the event's ETag. Throws `InputError` `too-many-bytes`, `superseded` (412) or `gone` (404); any
 * other error as it comes.
 */
export async function readObject(
  event: S3ObjectEvent,
  relativeKey: string,
  s3: S3Client,
  maxBytes: number,
): Promise<Uint8Array> {
  const request = { Bucket: event.bucket, Key: event.key, IfMatch: ifMatchOf(event.eTag) };
  try {
    const size = event.size ?? (await s3.send(new HeadObjectCommand(request))).ContentLength;
    if (size !== undefined && size > maxBytes) {
      throw new InputError(
        'too-many-bytes',
        relativeKey,
        `the object is ${size} bytes; maxBytes is ${maxBytes}`,
      );
    }
    const response = await s3.send(new GetObjectCommand(request));
    if (response.Body === undefined) {
      throw new Error(`GetObject s3://${event.bucket}/${event.key} returned no body`);
    }
    return await response.Body.transformToByteArray();
  } catch (error) {
    if (isPreconditionFailed(error)) {
      throw new InputError(
        'superseded',
        relativeKey,
        `the object changed after the event (event ETag ${event.eTag}); its own event augments the new object`,
        { cause: error },
      );
    }
    if (isObjectGone(error)) {
      throw new InputError('gone', relativeKey, 'the object was deleted after the event', { cause: error });
    }
    throw error;
  }
}

async function writeOutputs(
  processed: ProcessedImage,
  s3: S3Client,
  config: WorkerConfig,
): Promise<string[]> {
  const outputs: EncodedOutput[] = [];
  for (const variant of processed.variants) {
    outputs.push(variant, {
      name: variant.recordName,
      bytes: utf8(recordJson(variant.record)),
      contentType: JSON_CONTENT_TYPE,
    });
  }
  if (processed.clean !== null) outputs.push(processed.clean);
  const keyed = outputs.map((output) => ({ ...output, name: config.outputPrefix + output.name }));
  await Promise.all(keyed.map((output) => putObject(s3, config.outputBucket, output)));
  return keyed.map((output) => output.name);
}

async function putObject(s3: S3Client, bucket: string, output: EncodedOutput): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: output.name,
      Body: output.bytes,
      ContentType: output.contentType,
      ContentLength: output.bytes.byteLength,
    }),
  );
}

/** S3 compares `If-Match` with the quoted entity tag; events carry it without quotes. */
function ifMatchOf(eTag: string | null): string | undefined {
  if (eTag === null) return undefined;
  return eTag.startsWith('"') ? eTag : `"${eTag}"`;
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
