import { createHash } from 'node:crypto';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { batchOf, lambdaContext, loadEvent, objectBytes } from './event-fixtures.js';

// The worker reads its environment once, at import (cold start), as on Lambda.
Object.assign(process.env, {
  OUTPUT_BUCKET: 'augmix-output',
  INPUT_PREFIX: 'uploads/',
  OUTPUT_PREFIX: 'augmented/',
  AUGMIX_SETTINGS: JSON.stringify({ variants: 2, maxBytes: 8192 }),
  IMAGE_CONCURRENCY: '2',
  IMAGE_TIME_RESERVE_MS: '30000',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'unit',
  AWS_SECRET_ACCESS_KEY: 'unit',
  POWERTOOLS_SERVICE_NAME: 'augmix-worker',
  POWERTOOLS_METRICS_NAMESPACE: 'AugmixPipeline',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

const s3 = mockClient(S3Client);
let handler: (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;

/** The objects the fixtures' events name, by key. */
const OBJECTS: Record<string, Buffer> = {
  'uploads/my photo(1).jpg': objectBytes('photo.jpg'),
  'uploads/café/☕.png': objectBytes('cup.png'),
  'uploads/train/cat/001.png': objectBytes('cup.png'),
  'uploads/train/dog/002.jpg': objectBytes('photo.jpg'),
  'uploads/train/dog/003 (large).jpg': objectBytes('photo.jpg'),
  'uploads/readme.jpg': objectBytes('readme.jpg'),
  'uploads/truncated.jpg': objectBytes('truncated.jpg'),
};

/** ETags by key: the MD5 of the bytes (a single PutObject), the multipart one as its event says. */
function eTagOf(key: string, bytes: Uint8Array): string {
  if (key === 'uploads/train/dog/003 (large).jpg') return '"a9f2736d4390d10d588c10da00f7cc2e-1"';
  return `"${createHash('md5').update(bytes).digest('hex')}"`;
}

function deletedKeys(): string[] {
  return s3
    .commandCalls(DeleteObjectsCommand)
    .flatMap((call) => call.args[0].input.Delete?.Objects?.map((object) => object.Key ?? '') ?? []);
}

function bodyOf(bytes: Uint8Array): GetObjectCommandOutput['Body'] {
  return {
    transformToByteArray: async () => new Uint8Array(bytes),
  } as unknown as GetObjectCommandOutput['Body'];
}

function serviceError(name: string, httpStatusCode: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
  });
}

function puts(): PutObjectCommandInput[] {
  return s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
}

function putJson(key: string): unknown {
  const put = puts().find((input) => input.Key === key);
  if (put === undefined)
    throw new Error(
      `no PutObject for ${key}; written: ${puts()
        .map((p) => p.Key)
        .join(', ')}`,
    );
  return JSON.parse(new TextDecoder().decode(put.Body as Uint8Array));
}

/** Everything Powertools printed (JSON log lines and EMF metric blobs). */
let printed: string[] = [];

beforeAll(async () => {
  ({ handler } = await import('../../lambda/augment-worker.js'));
});

beforeEach(() => {
  s3.reset();
  s3.on(GetObjectCommand).callsFake(async (input: { Key: string }) => {
    const bytes = OBJECTS[input.Key];
    if (bytes === undefined) throw serviceError('NoSuchKey', 404);
    return { Body: bodyOf(bytes), ContentLength: bytes.length, ETag: eTagOf(input.Key, bytes) };
  });
  s3.on(HeadObjectCommand).callsFake(async (input: { Key: string }) => {
    const bytes = OBJECTS[input.Key];
    if (bytes === undefined) throw serviceError('NotFound', 404);
    return { ContentLength: bytes.length, ETag: eTagOf(input.Key, bytes) };
  });
  s3.on(PutObjectCommand).resolves({});
  s3.on(DeleteObjectsCommand).resolves({});
  printed = [];
  const capture = (chunk: unknown): boolean => {
    printed.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(() => {
  s3.restore();
});

function logLines(): Record<string, unknown>[] {
  return printed
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Sum of each metric over the EMF blobs printed. */
function metricTotals(): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const line of logLines()) {
    const aws = line._aws as { CloudWatchMetrics?: { Metrics: { Name: string }[] }[] } | undefined;
    for (const { Name } of aws?.CloudWatchMetrics?.[0]?.Metrics ?? []) {
      const value = line[Name] as number | number[];
      totals[Name] = (totals[Name] ?? 0) + (Array.isArray(value) ? value.reduce((a, b) => a + b, 0) : value);
    }
  }
  return totals;
}

describe('augment worker handler (S3 mocked)', () => {
  it('reads the URL-decoded key, writes the variants then one provenance document, deletes the other names and re-checks the source', async () => {
    // Act
    const response = await handler(loadEvent('put-encoded-key'), lambdaContext());
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'augmix-input', Key: 'uploads/my photo(1).jpg' },
    ]);
    expect(s3.commandCalls(HeadObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'augmix-input', Key: 'uploads/my photo(1).jpg' },
    ]);
    expect(puts().map(({ Bucket, Key, ContentType }) => [Bucket, Key, ContentType])).toEqual([
      ['augmix-output', 'augmented/my photo(1).jpg.augmix-00.jpg', 'image/jpeg'],
      ['augmix-output', 'augmented/my photo(1).jpg.augmix-01.jpg', 'image/jpeg'],
      ['augmix-output', 'augmented/my photo(1).jpg.augmix.json', 'application/json'],
    ]);
    for (const put of puts()) {
      expect(put.Metadata).toEqual({ 'augmix-source-etag': '2492b93411269fbdbd454eca893b29b0' });
      expect(put.ContentLength).toBe((put.Body as Uint8Array).byteLength);
    }
    expect(putJson('augmented/my photo(1).jpg.augmix.json')).toMatchObject({
      document: 'augmix-pipeline/provenance/v1',
      input: 'my photo(1).jpg',
      source: {
        key: 'uploads/my photo(1).jpg',
        eTag: '2492b93411269fbdbd454eca893b29b0',
        size: OBJECTS['uploads/my photo(1).jpg']!.length,
      },
      variants: [
        {
          variant: 0,
          output: 'my photo(1).jpg.augmix-00.jpg',
          record: { version: 1, width: 3, severity: 3 },
        },
        {
          variant: 1,
          output: 'my photo(1).jpg.augmix-01.jpg',
          record: { version: 1, width: 3, severity: 3 },
        },
      ],
      clean: null,
    });
    const deleted = deletedKeys();
    expect(deleted).toContain('augmented/my photo(1).jpg.augmix-error.json');
    expect(deleted).toContain('augmented/my photo(1).jpg.augmix-00.png');
    expect(deleted).not.toContain('augmented/my photo(1).jpg.augmix-00.jpg');
    expect(deleted).not.toContain('augmented/my photo(1).jpg.augmix.json');
    expect(deleted).toHaveLength(4 * 2 - 2 + 1);
  });

  it('handles unicode keys', async () => {
    const response = await handler(loadEvent('put-unicode-key'), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input.Key).toBe('uploads/café/☕.png');
    expect(puts().map((put) => put.Key)).toContain('augmented/café/☕.png.augmix-00.png');
    expect(puts().find((put) => put.Key === 'augmented/café/☕.png.augmix-00.png')?.ContentType).toBe(
      'image/png',
    );
  });

  it('processes every record of a body with several records', async () => {
    const response = await handler(loadEvent('multiple-records'), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [] });
    expect(
      s3
        .commandCalls(GetObjectCommand)
        .map((call) => call.args[0].input.Key)
        .sort(),
    ).toEqual([
      'uploads/train/cat/001.png',
      'uploads/train/dog/002.jpg',
      'uploads/train/dog/003 (large).jpg',
    ]);
    expect(puts()).toHaveLength(3 * 3);
    expect(metricTotals()).toMatchObject({ ImagesProcessed: 3, VariantsWritten: 6 });
  });

  it('processes an object delivered twice in one batch once and acknowledges both messages', async () => {
    const response = await handler(loadEvent('duplicate-delivery'), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
    expect(puts()).toHaveLength(3);
  });

  it('writes identical objects when an event is delivered again', async () => {
    await handler(loadEvent('put-encoded-key'), lambdaContext());
    const first = puts();
    s3.resetHistory();
    await handler(loadEvent('put-encoded-key'), lambdaContext());
    expect(puts()).toEqual(first);
  });

  it.each([
    ['test-event', 's3:TestEvent acknowledged'],
    ['object-removed', 'Input deleted; its outputs are kept (DELETE_OUTPUTS_ON_INPUT_DELETE is off)'],
    ['malformed-body', 'Message body is not an S3 notification; acknowledged without processing'],
  ] as const)('acknowledges %s without touching S3', async (fixture, message) => {
    const response = await handler(loadEvent(fixture), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [] });
    expect(s3.calls()).toHaveLength(0);
    expect(logLines().map((line) => line.message)).toContain(message);
  });

  it('leaves an event whose object was replaced to the newer object’s event on the first receive: nothing written', async () => {
    // Prepare: the event says ETag 9b2c…, the object now holds photo.jpg
    OBJECTS['uploads/overwritten.jpg'] = objectBytes('photo.jpg');
    try {
      // Act
      const response = await handler(loadEvent('overwritten-object'), lambdaContext());
      // Assess
      expect(response).toEqual({ batchItemFailures: [] });
      expect(puts()).toEqual([]);
      expect(deletedKeys()).toEqual([]);
      expect(metricTotals()).toMatchObject({ EventsSuperseded: 1 });
    } finally {
      delete OBJECTS['uploads/overwritten.jpg'];
    }
  });

  it('reconciles a redelivered event with the object as it is now (an earlier attempt may have written)', async () => {
    OBJECTS['uploads/overwritten.jpg'] = objectBytes('photo.jpg');
    try {
      const event = loadEvent('overwritten-object');
      event.Records[0]!.attributes.ApproximateReceiveCount = '2';
      const response = await handler(event, lambdaContext());
      expect(response).toEqual({ batchItemFailures: [] });
      expect(putJson('augmented/overwritten.jpg.augmix.json')).toMatchObject({
        source: { eTag: '2492b93411269fbdbd454eca893b29b0' },
      });
    } finally {
      delete OBJECTS['uploads/overwritten.jpg'];
    }
  });

  it('writes nothing for an object deleted since its event, and keeps its outputs by default', async () => {
    const response = await handler(loadEvent('deleted-object'), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [] });
    expect(puts()).toEqual([]);
    expect(deletedKeys()).toEqual([]);
    expect(metricTotals()).toMatchObject({ InputsGone: 1 });
    expect(logLines().map((line) => line.message)).toContain(
      'The input no longer exists; its outputs are kept',
    );
  });

  it.each([
    ['not-an-image', 'readme.jpg', 'not-an-image'],
    ['truncated-image', 'truncated.jpg', 'truncated'],
  ] as const)('writes the processing failure of %s as a failure record', async (fixture, key, code) => {
    const response = await handler(loadEvent(fixture), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [] });
    expect(puts().map((put) => put.Key)).toEqual([`augmented/${key}.augmix-error.json`]);
    expect(putJson(`augmented/${key}.augmix-error.json`)).toMatchObject({
      version: 1,
      input: key,
      error: { code },
      source: { key: `uploads/${key}`, size: OBJECTS[`uploads/${key}`]!.length },
    });
    // a failure removes every other output name: variants of every format and the provenance document
    expect(deletedKeys()).toContain(`augmented/${key}.augmix.json`);
    expect(deletedKeys()).toContain(`augmented/${key}.augmix-01.jpg`);
    expect(deletedKeys()).not.toContain(`augmented/${key}.augmix-error.json`);
  });

  it('refuses an object whose Content-Length is over maxBytes without reading its body', async () => {
    // Prepare: the object is 10000 bytes (maxBytes is 8192 here)
    let bodyRead = false;
    s3.on(GetObjectCommand, { Key: 'uploads/café/☕.png' }).callsFake(async () => ({
      Body: {
        transformToByteArray: async () => {
          bodyRead = true;
          return new Uint8Array(10000);
        },
      },
      ContentLength: 10000,
      ETag: '"b7987d32b9ccf19e9fbfc6219916178c"',
    }));
    // Act
    const response = await handler(loadEvent('put-unicode-key'), lambdaContext());
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(bodyRead).toBe(false);
    expect(putJson('augmented/café/☕.png.augmix-error.json')).toMatchObject({
      error: { code: 'too-many-bytes' },
      source: { eTag: 'b7987d32b9ccf19e9fbfc6219916178c', size: 10000 },
    });
  });

  it('hands back the images it has no time left to finish, without touching S3 for them', async () => {
    // Prepare: IMAGE_TIME_RESERVE_MS is 30 s here; leave less than that
    const context = { ...lambdaContext(), getRemainingTimeInMillis: () => 29_000 };
    const event = batchOf('put-encoded-key', 'put-unicode-key', 'test-event');
    // Act
    const response = await handler(event, context);
    // Assess
    expect(response).toEqual({
      batchItemFailures: [
        { itemIdentifier: event.Records[0]?.messageId },
        { itemIdentifier: event.Records[1]?.messageId },
      ],
    });
    expect(s3.calls()).toHaveLength(0);
    expect(metricTotals()).toMatchObject({ ImagesHandedBack: 2 });
  });

  it('reports only the transiently failing message as a batch item failure', async () => {
    // Prepare: S3 throttles reads of one object; writing the truncated image's failure record works
    s3.on(GetObjectCommand, { Key: 'uploads/café/☕.png' }).rejects(serviceError('SlowDown', 503));
    const event = batchOf('put-encoded-key', 'put-unicode-key', 'truncated-image', 'test-event');
    // Act
    const response = await handler(event, lambdaContext());
    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[1]?.messageId }] });
    expect(puts().map((put) => put.Key)).toContain('augmented/my photo(1).jpg.augmix.json');
    expect(puts().map((put) => put.Key)).toContain('augmented/truncated.jpg.augmix-error.json');
    expect(metricTotals()).toMatchObject({ ImagesProcessed: 1, ImagesFailed: 1, ImagesRetried: 1 });
  });

  it('retries a message when writing its outputs fails', async () => {
    s3.on(PutObjectCommand).rejects(serviceError('InternalError', 500));
    const event = batchOf('put-encoded-key', 'test-event');
    const response = await handler(event, lambdaContext());
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0]?.messageId }] });
  });

  it('fails the invocation when every message fails transiently, so Lambda backs off', async () => {
    s3.on(GetObjectCommand).rejects(serviceError('SlowDown', 503));
    await expect(handler(batchOf('put-encoded-key', 'put-unicode-key'), lambdaContext())).rejects.toThrow(
      'All records failed processing',
    );
    expect(logLines().map((line) => line.message)).toContain(
      'Every message of the batch failed transiently; failing the invocation',
    );
  });

  it('logs each object with its key in the log context', async () => {
    await handler(batchOf('put-unicode-key', 'truncated-image'), lambdaContext());
    const lines = logLines();
    expect(lines).toContainEqual(
      expect.objectContaining({
        message: 'Augmented',
        objectKey: 'uploads/café/☕.png',
        bucket: 'augmix-input',
        relativeKey: 'café/☕.png',
        variants: 2,
        function_name: 'AugmixPipeline-Worker',
        service: 'augmix-worker',
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        message: 'Permanent failure; failure record written, acknowledged',
        objectKey: 'uploads/truncated.jpg',
        code: 'truncated',
      }),
    );
  });
});
