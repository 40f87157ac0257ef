import type { Readable } from 'node:stream';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { everyOutputName, failureName } from '../../augmix/layout.js';
import { InputError } from '../../codec/input-error.js';
import { failureRecord } from '../../pipeline/failure.js';
import { processImage } from '../../pipeline/process-image.js';
import { md5Hex, provenanceDocument, type SourceVersion } from '../../pipeline/provenance.js';
import { recordJson } from '../../pipeline/record-json.js';
import type { EncodedOutput, ProcessedImage } from '../../pipeline/types.js';
import { checkObjectKey, type KeyCheck } from './object-names.js';
import { isObjectGone } from './s3-errors.js';
import type { S3ObjectEvent } from './s3-event.js';
import type { WorkerConfig } from './worker-config.js';

/** What `augmentObject` needs: the container's S3 client and configuration. */
export interface AugmentObjectOptions {
  readonly s3: S3Client;
  readonly config: WorkerConfig;
  /**
   * How many times the message has been received (SQS `ApproximateReceiveCount`). On the first receive an
   * event whose object has since been replaced (or, for a removal, re-created) is left to the newer object's
   * own event; on a later one (a retry, after a timeout, a crash or a redrive) the key is always reconciled,
   * since the earlier attempt may have written outputs. @default 2
   */
  readonly receiveCount?: number;
  /** Called when a round's outputs were made from a version that is no longer the source's. */
  readonly onRedo?: (written: string | null, current: string | null) => void;
}

/** The result for one object. Transient errors are not an outcome: they are thrown. */
export type AugmentOutcome =
  /** Variants, the provenance document (and the clean view in JSD mode) written; stale objects removed. */
  | {
      readonly status: 'augmented';
      readonly relativeKey: string;
      readonly processed: ProcessedImage;
      readonly source: SourceVersion;
      /** Every key written, in the output bucket. */
      readonly keys: readonly string[];
      /** Rounds it took: more than 1 when the source changed while its outputs were written. */
      readonly rounds: number;
    }
  /**
   * A permanent failure: the failure record was written at `failureKey` (the input's, or a hashed name for a
   * key that has none), or `null` when not even that could be named.
   */
  | {
      readonly status: 'failed';
      readonly relativeKey: string | null;
      readonly error: InputError;
      readonly failureKey: string | null;
    }
  /** The event's object was replaced since the event, whose own event makes the outputs (first receive only). */
  | { readonly status: 'superseded'; readonly relativeKey: string; readonly reason: string }
  /**
   * The object no longer exists: its outputs were deleted (`deleteOutputsOnInputDelete`, `deleted` > 0 or the
   * names were already free) or kept (`deleted` = `null`).
   */
  | { readonly status: 'gone'; readonly relativeKey: string; readonly deleted: number | null }
  /** Not an input of this pipeline (outside INPUT_PREFIX, our own output, a folder marker): nothing done. */
  | { readonly status: 'skipped'; readonly reason: string };

export const JSON_CONTENT_TYPE = 'application/json';

/** User metadata every output carries (`x-amz-meta-augmix-source-etag`): the source ETag it was made from. */
export const SOURCE_ETAG_METADATA = 'augmix-source-etag';

/** Rounds of read → write → re-check before giving up (the message is then retried by SQS). */
export const MAX_ROUNDS = 3;

/** DeleteObjects takes at most this many keys per request. */
const DELETE_BATCH = 1000;

/** The source kept changing while its outputs were written; thrown so that SQS retries the message later. */
export class SourceChangingError extends Error {
  override readonly name = 'SourceChangingError';
}

/**
 * Makes the outputs of the key an S3 event names describe that key's current content (the event is a hint,
 * the source is the truth). Each round:
 *
 * 1. GetObject (no condition): the current version (ETag, size) and bytes. Larger than `maxBytes` (its
 *    Content-Length): the body is dropped unread and the input fails `too-many-bytes`. Missing: the input is
 *    gone, and with `deleteOutputsOnInputDelete` every output name of the key is deleted, else nothing is done;
 * 2. on the first receive, an event whose ETag is not the current one stops here (`superseded`): the newer
 *    version's own event reconciles the key, and this attempt has written nothing;
 * 3. `processImage` on the relative key; then the variant images (with the source ETag as object metadata),
 *    then the provenance document `K.augmix.json` (source key, ETag, size, every record), then one
 *    DeleteObjects for every other name the key can have (failure record, other formats' variants). A
 *    permanent failure writes the failure record (with the source version) and deletes every other name;
 * 4. HeadObject on the source: the same ETag → done. Otherwise the outputs may describe an older version (an
 *    overwrite or a delete happened while they were written): the round is repeated on the new content.
 *
 * Why this leaves the newest version's outputs: every mutation of a round happens before its check. A round
 * whose check sees the version it wrote ended before any later version was stored, so the later version's own
 * event reads — and then writes — after it. A round whose check fails is redone, and an attempt that gives
 * up ({@link MAX_ROUNDS}) throws {@link SourceChangingError}, so SQS redelivers the message, which (not the
 * first receive) reconciles again. Outputs are a pure function of the bytes, so two rounds on the same version
 * write the same objects. See docs/consistency.md.
 *
 * Keys that cannot be mirrored (`//`, `.`/`..` segments, a leading `/`, `\`) or whose output names would pass
 * S3's 1,024-byte key limit fail before any write, with a failure record at a hashed name
 * (`augmix-failures/<sha256>.json`). Any other error (throttling, 5xx, timeouts, access denied) is thrown for
 * SQS to retry.
 */
export async function augmentObject(
  event: S3ObjectEvent,
  options: AugmentObjectOptions,
): Promise<AugmentOutcome> {
  const { s3, config } = options;
  const target = relativeKeyOf(event, config);
  if (target.status === 'other') return target.outcome;
  const removal = event.eventName.startsWith('ObjectRemoved:');
  if (target.status === 'unnameable') {
    if (!removal) return recordUnnameable(target.check, s3, config);
    // the deleted object's only output is its hashed failure record
    const { recordKey } = target.check;
    if (recordKey !== null) await deleteKeys(s3, config.outputBucket, [recordKey]);
    return { status: 'gone', relativeKey: target.check.key, deleted: recordKey === null ? 0 : 1 };
  }
  const { relativeKey } = target;
  const firstReceive = (options.receiveCount ?? 2) <= 1;

  for (let round = 1; round <= MAX_ROUNDS; round += 1) {
    const current = await readCurrent(event, relativeKey, s3, config.settings.maxBytes);
    if (round === 1 && firstReceive) {
      const superseded = supersededBy(event, current, removal);
      if (superseded !== null) return { status: 'superseded', relativeKey, reason: superseded };
    }
    let outcome: AugmentOutcome;
    if (current.kind === 'gone') {
      if (!config.deleteOutputsOnInputDelete) return { status: 'gone', relativeKey, deleted: null };
      const names = everyOutputName(relativeKey, config.settings.variants, config.settings.jsd);
      await deleteKeys(
        s3,
        config.outputBucket,
        names.map((name) => config.outputPrefix + name),
      );
      outcome = { status: 'gone', relativeKey, deleted: names.length };
    } else {
      outcome = await settle(current, relativeKey, options, round);
    }
    const now = await currentETag(s3, event.bucket, event.key);
    const written = current.kind === 'gone' ? null : (current.source?.eTag ?? null);
    if (now === written) return outcome;
    options.onRedo?.(written, now);
  }
  throw new SourceChangingError(
    `s3://${event.bucket}/${event.key} changed during each of ${MAX_ROUNDS} rounds of writing its outputs; ` +
      'the message is retried',
  );
}

/**
 * Augments an input read by `read` (a local file that `augmix run` writes into a bucket, an object of a
 * backfill batch) as one round of {@link augmentObject}: the outputs, the provenance document with the source
 * `sourceKey` (default: the relative key) and the MD5 of the bytes as its ETag,
 * stale names deleted; an `InputError` (from `read` or decoding) writes the failure record. `augmix run` is
 * the only writer of its files, so there is no re-check. Other errors are thrown.
 */
export async function augmentBytes(
  read: () => Promise<Uint8Array>,
  relativeKey: string,
  options: AugmentObjectOptions,
  sourceKey: string = relativeKey,
): Promise<AugmentOutcome> {
  const { config } = options;
  const check = checkObjectKey(relativeKey, relativeKey, config);
  if (!check.ok) return recordUnnameable(check, options.s3, config);
  let current: CurrentObject;
  try {
    const bytes = await read();
    current = { kind: 'read', bytes, source: { key: sourceKey, eTag: md5Hex(bytes), size: bytes.length } };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    current = { kind: 'refused', error, source: undefined };
  }
  return settle(current, relativeKey, options, 1);
}

/** What a round found at the source. */
type CurrentObject =
  | { readonly kind: 'read'; readonly source: SourceVersion; readonly bytes: Uint8Array }
  /** Read, but refused before decoding (too large); `source` unknown only for a local file that failed to read. */
  | { readonly kind: 'refused'; readonly source: SourceVersion | undefined; readonly error: InputError }
  | { readonly kind: 'gone' };

/** Step 3 of {@link augmentObject}: the outputs of one version, and the deletes of everything else. */
async function settle(
  current: Exclude<CurrentObject, { kind: 'gone' }>,
  relativeKey: string,
  options: AugmentObjectOptions,
  round: number,
): Promise<AugmentOutcome> {
  const { s3, config } = options;
  const { outputBucket, outputPrefix, settings } = config;
  const every = everyOutputName(relativeKey, settings.variants, settings.jsd);
  let error: InputError;
  if (current.kind === 'read') {
    try {
      const processed = await processImage(current.bytes, relativeKey, settings);
      const keys = await writeOutputs(processed, current.source, s3, config);
      const written = new Set(keys);
      const stale = every.map((name) => outputPrefix + name).filter((key) => !written.has(key));
      await deleteKeys(s3, outputBucket, stale);
      return { status: 'augmented', relativeKey, processed, source: current.source, keys, rounds: round };
    } catch (caught) {
      if (!(caught instanceof InputError)) throw caught;
      error = caught;
    }
  } else {
    error = current.error;
  }
  const failureKey = outputPrefix + failureName(relativeKey);
  await putObject(s3, outputBucket, {
    name: failureKey,
    bytes: utf8(recordJson(failureRecord(relativeKey, error, current.source))),
    contentType: JSON_CONTENT_TYPE,
    metadata: current.source === undefined ? undefined : { [SOURCE_ETAG_METADATA]: current.source.eTag },
  });
  const stale = every.map((name) => outputPrefix + name).filter((key) => key !== failureKey);
  await deleteKeys(s3, outputBucket, stale);
  return { status: 'failed', relativeKey, error, failureKey };
}

type Target =
  | { readonly status: 'input'; readonly relativeKey: string }
  | { readonly status: 'unnameable'; readonly check: Extract<KeyCheck, { ok: false }> }
  | { readonly status: 'other'; readonly outcome: AugmentOutcome };

/** The relative key of an event's object, why it has no usable one, or why the object is not processed. */
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
  const check = checkObjectKey(key, relativeKey, config);
  return check.ok ? { status: 'input', relativeKey } : { status: 'unnameable', check };
}

/**
 * Writes the failure record of a key that has no usable output names at its hashed name, or, when even that
 * cannot be stored, writes nothing (the caller logs the key at ERROR and counts it).
 */
async function recordUnnameable(
  check: Extract<KeyCheck, { ok: false }>,
  s3: S3Client,
  config: WorkerConfig,
): Promise<AugmentOutcome> {
  const { error, recordKey } = check;
  if (recordKey !== null) {
    await putObject(s3, config.outputBucket, {
      name: recordKey,
      bytes: utf8(recordJson(failureRecord(check.key, error))),
      contentType: JSON_CONTENT_TYPE,
    });
  }
  return { status: 'failed', relativeKey: null, error, failureKey: recordKey };
}

/** Why a first-receive event is left to a newer one, or `null` to go on. */
function supersededBy(event: S3ObjectEvent, current: CurrentObject, removal: boolean): string | null {
  if (removal) {
    return current.kind === 'gone'
      ? null
      : 'the object exists again; its ObjectCreated event makes its outputs';
  }
  if (event.eTag === null || current.kind === 'gone') return null;
  const now = current.source?.eTag;
  if (now === undefined || now === unquote(event.eTag)) return null;
  return `the object was replaced after the event (event ETag ${unquote(event.eTag)}, now ${now}); its own event makes the outputs`;
}

/**
 * Step 1 of {@link augmentObject}: the object's current version and bytes, `refused` when its Content-Length
 * is over `maxBytes` (the body is not read), or `gone`. Other errors are thrown.
 */
export async function readCurrent(
  event: S3ObjectEvent,
  relativeKey: string,
  s3: S3Client,
  maxBytes: number,
): Promise<CurrentObject> {
  let response: GetObjectCommandOutput;
  try {
    response = await s3.send(new GetObjectCommand({ Bucket: event.bucket, Key: event.key }));
  } catch (error) {
    if (isObjectGone(error)) return { kind: 'gone' };
    throw error;
  }
  if (response.Body === undefined || response.ETag === undefined) {
    throw new Error(`GetObject s3://${event.bucket}/${event.key} returned no body or no ETag`);
  }
  const size = response.ContentLength ?? 0;
  const source: SourceVersion = { key: event.key, eTag: unquote(response.ETag), size };
  if (size > maxBytes) {
    (response.Body as unknown as Readable).destroy?.();
    const error = new InputError(
      'too-many-bytes',
      relativeKey,
      `the object is ${size} bytes; maxBytes is ${maxBytes}`,
    );
    return { kind: 'refused', source, error };
  }
  return { kind: 'read', source, bytes: await response.Body.transformToByteArray() };
}

/**
 * Reads an event's object for `augmix run` (an `s3://` input into a folder): the current version, with the
 * same size check as the worker. Throws `InputError` `too-many-bytes` or `gone`; other errors as they come.
 */
export async function readObject(
  event: S3ObjectEvent,
  relativeKey: string,
  s3: S3Client,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; source: SourceVersion }> {
  const current = await readCurrent(event, relativeKey, s3, maxBytes);
  if (current.kind === 'gone') {
    throw new InputError('gone', relativeKey, 'the object was deleted after it was listed');
  }
  if (current.kind === 'refused') throw current.error;
  return { bytes: current.bytes, source: current.source };
}

/** The source's ETag now (unquoted), or `null` when it does not exist. */
async function currentETag(s3: S3Client, bucket: string, key: string): Promise<string | null> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.ETag === undefined ? null : unquote(head.ETag);
  } catch (error) {
    if (isObjectGone(error)) return null;
    throw error;
  }
}

/** The variants and clean view (in parallel), then the provenance document; every one tagged with the source. */
async function writeOutputs(
  processed: ProcessedImage,
  source: SourceVersion,
  s3: S3Client,
  config: WorkerConfig,
): Promise<string[]> {
  const metadata = { [SOURCE_ETAG_METADATA]: source.eTag };
  const images: EncodedOutput[] = [...processed.variants];
  if (processed.clean !== null) images.push(processed.clean);
  const key = (name: string): string => config.outputPrefix + name;
  await Promise.all(
    images.map((image) => putObject(s3, config.outputBucket, { ...image, name: key(image.name), metadata })),
  );
  const documentKey = key(processed.documentName);
  await putObject(s3, config.outputBucket, {
    name: documentKey,
    bytes: utf8(recordJson(provenanceDocument(processed, source))),
    contentType: JSON_CONTENT_TYPE,
    metadata,
  });
  return [...images.map((image) => key(image.name)), documentKey];
}

async function putObject(
  s3: S3Client,
  bucket: string,
  output: EncodedOutput & { readonly metadata?: Record<string, string> | undefined },
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: output.name,
      Body: output.bytes,
      ContentType: output.contentType,
      ContentLength: output.bytes.byteLength,
      Metadata: output.metadata,
    }),
  );
}

/** Deletes `keys` (missing ones are fine), 1,000 per DeleteObjects request; a key S3 refuses is an error. */
async function deleteKeys(s3: S3Client, bucket: string, keys: readonly string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += DELETE_BATCH) {
    const chunk = keys.slice(start, start + DELETE_BATCH);
    const result = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true },
      }),
    );
    const errors = result.Errors ?? [];
    if (errors.length > 0) {
      const first = errors[0]!;
      throw new Error(
        `DeleteObjects on s3://${bucket} failed for ${errors.length} key(s), e.g. ${first.Key}: ${first.Code} ${first.Message}`,
      );
    }
  }
}

/** An ETag without its quotes (S3 quotes it in headers, events carry it bare). */
export function unquote(eTag: string): string {
  return eTag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
