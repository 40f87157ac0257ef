import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { processImage } from '../../src/pipeline/process-image.js';
import { provenanceDocument } from '../../src/pipeline/provenance.js';
import { recordJson } from '../../src/pipeline/record-json.js';
import { resolveSettings } from '../../src/pipeline/settings.js';
import type { PipelineSettings } from '../../src/pipeline/types.js';
import { batchOf, lambdaContext, loadEvent, objectBytes } from './event-fixtures.js';
import { type S3TestServer, startS3TestServer } from './s3-test-server.js';

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const INPUT_BUCKET = 'augmix-input';
const OUTPUT_BUCKET = 'augmix-output';

/**
 * Objects in the input bucket (the overwritten one holds other bytes than its event's ETag says). The
 * multipart-upload record of `multiple-records` (`003 (large).jpg`, ETag `…-1`) is not asserted here: s3rver
 * gives multipart objects a plain MD5 ETag, unlike S3, so its conditional read cannot match; the unit tests
 * cover it.
 */
const UPLOADS = {
  'uploads/my photo(1).jpg': 'photo.jpg',
  'uploads/café/☕.png': 'cup.png',
  'uploads/train/cat/001.png': 'cup.png',
  'uploads/train/dog/002.jpg': 'photo.jpg',
  'uploads/readme.jpg': 'readme.jpg',
  'uploads/truncated.jpg': 'truncated.jpg',
  'uploads/overwritten.jpg': 'photo.jpg',
} as const;

const SETTINGS = { variants: 2, seed: 7 };

let server: S3TestServer;
let s3: S3Client;

/** Imports a fresh copy of the worker (a cold start) with this environment. */
async function coldStart(env: Record<string, string>): Promise<Handler> {
  Object.assign(process.env, env);
  vi.resetModules();
  const { handler } = await import('../../lambda/augment-worker.js');
  return handler as Handler;
}

async function read(key: string): Promise<{
  bytes: Uint8Array;
  contentType: string | undefined;
  metadata: Record<string, string> | undefined;
}> {
  const response = await s3.send(new GetObjectCommand({ Bucket: OUTPUT_BUCKET, Key: key }));
  return {
    bytes: await response.Body!.transformToByteArray(),
    contentType: response.ContentType,
    metadata: response.Metadata,
  };
}

async function exists(key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: OUTPUT_BUCKET, Key: key }));
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  server = await startS3TestServer([INPUT_BUCKET, OUTPUT_BUCKET]);
  // The worker's environment (src/aws/worker/worker-config.ts), pointed at the local server (the arm64 smoke
  // test sets the same).
  Object.assign(process.env, {
    ...server.workerEnv,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: 'augmix-worker',
    POWERTOOLS_METRICS_NAMESPACE: 'AugmixPipeline',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  s3 = server.client();
  for (const [key, file] of Object.entries(UPLOADS)) {
    await s3.send(new PutObjectCommand({ Bucket: INPUT_BUCKET, Key: key, Body: objectBytes(file) }));
  }
});

afterAll(async () => {
  s3?.destroy();
  await server?.close();
});

const FILES = { photo: 'photo.jpg', cup: 'cup.png' } as const;

/** What `augmix run` makes of the same bytes and relative key: the worker must write exactly this. */
function expectedOutputs(file: keyof typeof FILES, relativeKey: string, settings: PipelineSettings) {
  return processImage(objectBytes(FILES[file]), relativeKey, settings);
}

describe('augment worker against s3rver (real SDK, sharp and processImage)', () => {
  let handler: Handler;
  let response: SQSBatchResponse;
  const event = batchOf(
    'put-encoded-key',
    'put-unicode-key',
    'multiple-records',
    'duplicate-delivery',
    'truncated-image',
    'not-an-image',
    'deleted-object',
    'overwritten-object',
    'object-removed',
    'test-event',
    'malformed-body',
    'unavailable-bucket',
  );

  beforeAll(async () => {
    handler = await coldStart({
      OUTPUT_BUCKET,
      INPUT_PREFIX: 'uploads/',
      OUTPUT_PREFIX: 'augmented/',
      AUGMIX_SETTINGS: JSON.stringify(SETTINGS),
      IMAGE_CONCURRENCY: '2',
      VIPS_CONCURRENCY: '1',
      IMAGE_TIME_RESERVE_MS: '10000',
    });
    response = await handler(event, lambdaContext());
  });

  it('reports only the message whose bucket is unavailable (503) as a batch item failure', () => {
    const unavailable = loadEvent('unavailable-bucket').Records[0]?.messageId;
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: unavailable }] });
  });

  it.each([
    ['photo', 'my photo(1).jpg', 'jpg', 'image/jpeg'],
    ['cup', 'café/☕.png', 'png', 'image/png'],
    ['cup', 'train/cat/001.png', 'png', 'image/png'],
    ['photo', 'train/dog/002.jpg', 'jpg', 'image/jpeg'],
  ] as const)(
    'writes the variants augmix run makes of %s at %s',
    async (file, relativeKey, ext, contentType) => {
      const expected = await expectedOutputs(file, relativeKey, resolveSettings(SETTINGS));
      expect(expected.variants.map((variant) => variant.name)).toEqual([
        `${relativeKey}.augmix-00.${ext}`,
        `${relativeKey}.augmix-01.${ext}`,
      ]);
      const source = await s3.send(
        new HeadObjectCommand({ Bucket: INPUT_BUCKET, Key: `uploads/${relativeKey}` }),
      );
      const eTag = source.ETag!.replace(/"/g, '');
      for (const variant of expected.variants) {
        const stored = await read(`augmented/${variant.name}`);
        expect(stored.contentType).toBe(contentType);
        expect(Buffer.from(stored.bytes).equals(Buffer.from(variant.bytes))).toBe(true);
        expect(stored.metadata).toEqual({ 'augmix-source-etag': eTag });
      }
      const document = await read(`augmented/${relativeKey}.augmix.json`);
      expect(document.contentType).toBe('application/json');
      expect(new TextDecoder().decode(document.bytes)).toBe(
        recordJson(
          provenanceDocument(expected, {
            key: `uploads/${relativeKey}`,
            eTag,
            size: source.ContentLength!,
          }),
        ),
      );
      expect(await exists(`augmented/${relativeKey}.augmix-error.json`)).toBe(false);
    },
  );

  it.each([
    ['truncated.jpg', 'truncated'],
    ['readme.jpg', 'not-an-image'],
  ])('writes a failure record for %s (%s) and no variant', async (relativeKey, code) => {
    const stored = await read(`augmented/${relativeKey}.augmix-error.json`);
    expect(stored.contentType).toBe('application/json');
    expect(JSON.parse(new TextDecoder().decode(stored.bytes))).toEqual({
      version: 1,
      input: relativeKey,
      error: { code, message: expect.stringContaining(relativeKey) },
      source: { key: `uploads/${relativeKey}`, eTag: expect.any(String), size: expect.any(Number) },
    });
    expect(await exists(`augmented/${relativeKey}.augmix-00.jpg`)).toBe(false);
    expect(await exists(`augmented/${relativeKey}.augmix.json`)).toBe(false);
  });

  it.each([
    'deleted.jpg', // deleted after its event: kept as it is (DELETE_OUTPUTS_ON_INPUT_DELETE off)
    'overwritten.jpg', // replaced after its event (first receive): the newer object's event makes its outputs
  ])('writes nothing for %s', async (relativeKey) => {
    expect(await exists(`augmented/${relativeKey}.augmix-error.json`)).toBe(false);
    expect(await exists(`augmented/${relativeKey}.augmix.json`)).toBe(false);
    expect(await exists(`augmented/${relativeKey}.augmix-00.jpg`)).toBe(false);
  });

  it('rewrites byte-identical objects when the same events are delivered again', async () => {
    // Prepare
    const keys = [
      'augmented/my photo(1).jpg.augmix-00.jpg',
      'augmented/my photo(1).jpg.augmix.json',
      'augmented/café/☕.png.augmix-01.png',
      'augmented/truncated.jpg.augmix-error.json',
    ];
    const before = await Promise.all(keys.map(read));
    // Act
    const again = await handler(
      batchOf('put-encoded-key', 'put-unicode-key', 'truncated-image'),
      lambdaContext(),
    );
    // Assess
    expect(again).toEqual({ batchItemFailures: [] });
    const after = await Promise.all(keys.map(read));
    after.forEach((object, i) => {
      expect(Buffer.from(object.bytes).equals(Buffer.from(before[i]?.bytes ?? []))).toBe(true);
    });
  });
});

describe('augment worker in JSD mode against s3rver', () => {
  it('writes the clean view and the pairs of views', async () => {
    // Prepare
    const settings = { variants: 1, jsd: true, format: 'png' as const };
    const handler = await coldStart({
      OUTPUT_BUCKET,
      INPUT_PREFIX: 'uploads',
      OUTPUT_PREFIX: 'jsd',
      AUGMIX_SETTINGS: JSON.stringify(settings),
      IMAGE_CONCURRENCY: '1',
      IMAGE_TIME_RESERVE_MS: '10000',
    });
    // Act
    const response = await handler(loadEvent('put-encoded-key'), lambdaContext());
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const expected = await expectedOutputs('photo', 'my photo(1).jpg', resolveSettings(settings));
    const names = [...expected.variants.map((variant) => variant.name), expected.clean?.name];
    expect(names).toEqual([
      'my photo(1).jpg.jsd-00a.png',
      'my photo(1).jpg.jsd-00b.png',
      'my photo(1).jpg.clean.png',
    ]);
    for (const output of [...expected.variants, expected.clean]) {
      if (output === null) continue;
      const stored = await read(`jsd/${output.name}`);
      expect(stored.contentType).toBe('image/png');
      expect(Buffer.from(stored.bytes).equals(Buffer.from(output.bytes))).toBe(true);
    }
  });
});

describe('augment worker out of time against s3rver', () => {
  it('hands back the images it cannot start in the time left; the others are written', async () => {
    // Prepare: one image at a time, 10 s kept in reserve; the invocation has plenty of time for the first
    // image and 5 s left after it
    const handler = await coldStart({
      OUTPUT_BUCKET,
      INPUT_PREFIX: 'uploads/',
      OUTPUT_PREFIX: 'late/',
      AUGMIX_SETTINGS: JSON.stringify(SETTINGS),
      IMAGE_CONCURRENCY: '1',
      IMAGE_TIME_RESERVE_MS: '10000',
    });
    let calls = 0;
    const context = { ...lambdaContext(), getRemainingTimeInMillis: () => (calls++ === 0 ? 120_000 : 5_000) };
    const event = batchOf('put-encoded-key', 'put-unicode-key');
    // Act
    const response = await handler(event, context);
    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[1]?.messageId }] });
    expect(await exists('late/my photo(1).jpg.augmix.json')).toBe(true);
    expect(await exists('late/café/☕.png.augmix.json')).toBe(false);
  });
});
