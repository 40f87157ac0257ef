/**
 * Parsing of S3 event notifications as they arrive in SQS message bodies.
 *
 * S3 sends `{"Records":[...]}` with one or more records (URL-encoded keys: `+` is a space), or, once when a
 * notification configuration is enabled, an `s3:TestEvent` without `Records`. A body relayed through SNS
 * without raw message delivery wraps the same JSON in an SNS envelope (`Type: Notification`, `Message`),
 * which is unwrapped here too.
 */

/** One ObjectCreated record of a notification, with its key decoded. */
export interface S3ObjectEvent {
  /** e.g. `ObjectCreated:Put` (any `s3:` prefix removed). */
  readonly eventName: string;
  readonly bucket: string;
  /** The object key, URL-decoded (`+` → space, then `decodeURIComponent`). */
  readonly key: string;
  /** Size in bytes when the event carries it (ObjectCreated events do). */
  readonly size: number | null;
  /** The object's ETag as sent by S3 (without quotes), or `null`. */
  readonly eTag: string | null;
  readonly versionId: string | null;
  readonly sequencer: string | null;
}

/** A record that is neither ObjectCreated nor ObjectRemoved (restore, lifecycle …): acknowledged, not processed. */
export interface IgnoredS3Event {
  readonly eventName: string;
  readonly bucket: string;
  /** The decoded key, or the raw key when it could not be decoded. */
  readonly key: string;
}

/** What one SQS message body holds. */
export type S3Notification =
  | { readonly kind: 'test-event' }
  | {
      readonly kind: 'records';
      readonly created: readonly S3ObjectEvent[];
      /** ObjectRemoved events (delete, delete marker): their key's outputs may have to be deleted. */
      readonly removed: readonly S3ObjectEvent[];
      readonly ignored: readonly IgnoredS3Event[];
    };

/**
 * The body is not an S3 notification (not JSON, no `Records`, a record without bucket or key, a key that is not
 * valid URL encoding). Permanent: the same body can never parse, so the worker logs it and acknowledges the
 * message instead of retrying it into the DLQ.
 */
export class MalformedMessageError extends Error {
  override readonly name = 'MalformedMessageError';
}

/**
 * Decodes an S3 event key: `+` is a space, then percent-decoding (UTF-8).
 * @throws MalformedMessageError when the key holds an invalid percent escape.
 */
export function decodeS3Key(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch (error) {
    throw new MalformedMessageError(
      `Expected s3.object.key to be URL-encoded but received ${JSON.stringify(encoded)}`,
      { cause: error },
    );
  }
}

/**
 * Parses an SQS message body that should hold an S3 event notification.
 * @throws MalformedMessageError when it does not.
 */
export function parseS3Notification(body: string): S3Notification {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new MalformedMessageError('Expected the message body to be JSON', { cause: error });
  }
  json = unwrapSnsEnvelope(json);
  if (!isObject(json)) {
    throw new MalformedMessageError(
      `Expected the message body to be a JSON object but received ${kindOf(json)}`,
    );
  }
  if (json.Event === 's3:TestEvent' && json.Records === undefined) {
    return { kind: 'test-event' };
  }
  const records = json.Records;
  if (!Array.isArray(records)) {
    throw new MalformedMessageError(
      'Expected the message body to hold an S3 notification with a Records array',
    );
  }
  const created: S3ObjectEvent[] = [];
  const removed: S3ObjectEvent[] = [];
  const ignored: IgnoredS3Event[] = [];
  records.forEach((record: unknown, index) => {
    const event = parseRecord(record, index);
    if (event.eventName.startsWith('ObjectCreated:')) {
      created.push(event);
    } else if (event.eventName.startsWith('ObjectRemoved:')) {
      removed.push(event);
    } else {
      ignored.push({ eventName: event.eventName, bucket: event.bucket, key: event.key });
    }
  });
  return { kind: 'records', created, removed, ignored };
}

function parseRecord(record: unknown, index: number): S3ObjectEvent {
  const where = `Records[${index}]`;
  if (!isObject(record)) {
    throw new MalformedMessageError(`Expected ${where} to be an object but received ${kindOf(record)}`);
  }
  const eventName = record.eventName;
  if (typeof eventName !== 'string') {
    throw new MalformedMessageError(`Expected ${where}.eventName to be a string`);
  }
  const s3 = record.s3;
  const bucket = isObject(s3) && isObject(s3.bucket) ? s3.bucket.name : undefined;
  const object = isObject(s3) ? s3.object : undefined;
  if (typeof bucket !== 'string' || bucket === '') {
    throw new MalformedMessageError(`Expected ${where}.s3.bucket.name to be a non-empty string`);
  }
  if (!isObject(object) || typeof object.key !== 'string' || object.key === '') {
    throw new MalformedMessageError(`Expected ${where}.s3.object.key to be a non-empty string`);
  }
  return {
    eventName: eventName.replace(/^s3:/, ''),
    bucket,
    key: decodeS3Key(object.key),
    size: typeof object.size === 'number' && Number.isSafeInteger(object.size) ? object.size : null,
    eTag: typeof object.eTag === 'string' && object.eTag !== '' ? object.eTag : null,
    versionId: typeof object.versionId === 'string' && object.versionId !== '' ? object.versionId : null,
    sequencer: typeof object.sequencer === 'string' ? object.sequencer : null,
  };
}

function unwrapSnsEnvelope(json: unknown): unknown {
  if (isObject(json) && json.Type === 'Notification' && typeof json.Message === 'string') {
    try {
      return JSON.parse(json.Message);
    } catch (error) {
      throw new MalformedMessageError('Expected the SNS envelope’s Message to be JSON', { cause: error });
    }
  }
  return json;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}
