import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureName } from '../../src/augmix/layout.js';
import { processImage } from '../../src/pipeline/process-image.js';
import { resolveSettings } from '../../src/pipeline/settings.js';
import { runCli } from '../cli/status-dlq-helpers.js';
import { objectBytes } from '../lambda/event-fixtures.js';
import { depth, type RunningDev, snapshot, startDev, upload, waitForIdle } from './dev-harness.js';

/**
 * The stack settings every run here uses: small outputs, small images only (so that the worst-case image
 * fits a short function timeout), a short timeout.
 */
const CONTEXT = ['-c', 'variants=2', '-c', 'seed=7', '-c', 'maxPixels=100000', '-c', 'timeoutSeconds=8'];
const SETTINGS = resolveSettings({ variants: 2, seed: 7, maxPixels: 100_000 });

/** Keys that S3 events encode (space as `+`, `+` as %2B, UTF-8), and a deep prefix. */
const GOOD_KEYS = [
  'plain.png',
  'with space/my photo (1).jpg',
  'plus+sign/a+b.png',
  'unicode/café ☕/ünï.png',
  'deep/1/2/3/4/5/6/7/8/9/leaf.png',
] as const;
/** Inputs that can never be augmented: each must end as a failure record, never in the DLQ. */
const POISON = { 'poison/truncated.jpg': 'truncated.jpg', 'poison/readme.jpg': 'readme.jpg' } as const;

let root: string;
const inputs = new Map<string, Uint8Array>();

async function noiseImage(index: number, format: 'png' | 'jpeg'): Promise<Uint8Array> {
  const width = 20 + index;
  const height = 14;
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37 + index * 101 + ((i * i) % 23)) & 0xff;
  const image = sharp(pixels, { raw: { width, height, channels: 3 } });
  return new Uint8Array(await (format === 'png' ? image.png() : image.jpeg({ quality: 90 })).toBuffer());
}

/** The variant images `processImage` makes for an input: output key → bytes. */
async function expectedVariants(key: string, bytes: Uint8Array): Promise<Map<string, Buffer>> {
  const processed = await processImage(bytes, key, SETTINGS);
  const images = [...processed.variants, ...(processed.clean === null ? [] : [processed.clean])];
  return new Map(images.map((image) => [image.name, Buffer.from(image.bytes)]));
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'augmix-dev-test-'));
  for (const [index, key] of GOOD_KEYS.entries()) {
    inputs.set(key, await noiseImage(index, key.endsWith('.jpg') ? 'jpeg' : 'png'));
  }
  for (const [key, file] of Object.entries(POISON)) inputs.set(key, objectBytes(file));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('augmix dev settings', () => {
  it('refuses the settings the stack refuses, naming each, before it starts anything', async () => {
    const dataDir = path.join(root, 'refused');
    const result = await runCli([
      'dev',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '-c',
      'variants=0',
      '-c',
      'batchSize=0',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/variants/);
    expect(result.stderr).toMatch(/batchSize/);
    expect(result.stdout).not.toMatch(/^ready /m);
  });
});

describe('--dev without augmix dev', () => {
  it('fails with exit status 3 naming the file it looked for', async () => {
    const dir = path.join(root, 'never-started');
    for (const args of [
      ['status', '--once'],
      ['dlq', 'redrive'],
    ]) {
      const result = await runCli([...args, '--dev', '--dev-data-dir', dir]);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(path.join(dir, 'dev.json'));
    }
  });
});

describe('augmix dev redelivery', () => {
  it('retries a message that keeps failing transiently, then the queue parks it in the DLQ after maxReceiveCount', async () => {
    const dev = await startDev([
      ...CONTEXT,
      '-c',
      'maxReceiveCount=2',
      '--data-dir',
      path.join(root, 'always-failing'),
      '--faults',
      '1',
      // Longer than an invocation with its cold start, so that each receive is one attempt.
      '--visibility-timeout',
      '3',
    ]);
    try {
      expect(dev.info.maxReceiveCount).toBe(2);
      await upload(dev, new Map([[GOOD_KEYS[0], inputs.get(GOOD_KEYS[0])!]]));
      const deadline = Date.now() + 30_000;
      while ((await depth(dev, dev.info.dlqUrl)) === 0 && Date.now() < deadline) await sleep(200);
      expect(await depth(dev, dev.info.dlqUrl)).toBe(1);
      expect(await depth(dev, dev.info.queueUrl)).toBe(0);
      const { Contents = [] } = await dev.s3.send(
        new ListObjectsV2Command({ Bucket: dev.info.outputBucket }),
      );
      expect(Contents).toEqual([]);
    } finally {
      const { stats } = await dev.stop();
      // Both receives ended with the message handed back (a batch item failure or a failed invocation).
      expect(stats.messagesReturned).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('augmix dev', () => {
  let dev: RunningDev;
  let baseline: Map<string, Buffer>;
  const dataDir = (): string => path.join(root, 'outer', 'inner', 'data');

  beforeAll(async () => {
    dev = await startDev([...CONTEXT, '--data-dir', dataDir(), '--duplicate-notifications', '0.5']);
  });

  afterAll(async () => {
    await dev?.stop();
  });

  it('prints a ready line that names everything a script needs', () => {
    const { info } = dev;
    expect(info.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.queueUrl.startsWith(info.endpoint)).toBe(true);
    expect(info.dlqUrl.startsWith(info.endpoint)).toBe(true);
    expect(info).toMatchObject({
      variants: 2,
      functionTimeoutSeconds: 8,
      maxReceiveCount: 5,
      region: 'us-east-1',
    });
    expect(typeof info.accessKeyId).toBe('string');
    expect(typeof info.secretAccessKey).toBe('string');
    expect(info.inputBucket).not.toBe(info.outputBucket);
  });

  it('augments tricky keys through the worker’s handler, records poison files, and leaves the DLQ empty', async () => {
    await upload(dev, inputs);
    await waitForIdle(dev, 60_000);
    baseline = await snapshot(dev, dev.info.outputBucket);

    const expectedImages = new Map<string, Buffer>();
    for (const key of GOOD_KEYS) {
      for (const [name, bytes] of await expectedVariants(key, inputs.get(key)!))
        expectedImages.set(name, bytes);
    }
    const images = new Map([...baseline].filter(([key]) => !key.endsWith('.json')));
    expect([...images.keys()].sort()).toEqual([...expectedImages.keys()].sort());
    for (const [key, bytes] of expectedImages) expect(images.get(key)?.equals(bytes), key).toBe(true);
    for (const key of Object.keys(POISON)) {
      const record = baseline.get(failureName(key));
      expect(record, `failure record of ${key}`).toBeDefined();
      expect(JSON.parse(record!.toString('utf8'))).toMatchObject({ input: key });
    }
    expect(await depth(dev, dev.info.dlqUrl)).toBe(0);
    expect(dev.output()).toContain('s3:TestEvent acknowledged');
    expect(dev.output()).toContain('delivered twice');
  });

  it('refuses keys that would be stored outside the data directory, by every route', async () => {
    const bucket = dev.info.inputBucket;
    const before = listFiles(root);
    for (const Key of [
      '../../etc/passwd',
      '../../../escape.png',
      '/abs/olute.png',
      'a/./b.png',
      'a//b.png',
    ]) {
      await expect(
        dev.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'x' })),
        Key,
      ).rejects.toMatchObject({ name: 'InvalidArgument' });
    }
    await expect(
      dev.s3.send(
        new CopyObjectCommand({ Bucket: bucket, Key: 'copy.png', CopySource: `${bucket}/../../../x` }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidArgument' });
    await expect(
      dev.s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: [{ Key: '../../outer/inner/data/dev.json' }] },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidArgument' });
    // A raw request whose dots are percent-encoded, as no SDK sends it.
    const status = await rawPut(dev.info.endpoint, `/${bucket}/%2e%2e/%2e%2e/raw.txt`);
    expect(status).toBe(400);
    expect(listFiles(root)).toEqual(before);
    expect(existsSync(path.join(dataDir(), 'dev.json'))).toBe(true);
  });

  it('works with augmix status and augmix dlq redrive through --dev', async () => {
    const devArgs = ['--dev', '--dev-data-dir', dataDir()];
    const status = await runCli(['status', '--once', '--json', ...devArgs]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      queue: { waiting: 0, inFlight: 0 },
      deadLetterQueue: { waiting: 0 },
    });

    // A message parked in the DLQ (a notification of an input already there) is redriven and processed.
    const key = GOOD_KEYS[0];
    const body = JSON.stringify({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: dev.info.inputBucket }, object: { key, size: inputs.get(key)!.length } },
        },
      ],
    });
    await dev.sqs.send(new SendMessageCommand({ QueueUrl: dev.info.dlqUrl, MessageBody: body }));
    expect(await depth(dev, dev.info.dlqUrl)).toBe(1);
    const redrive = await runCli(['dlq', 'redrive', ...devArgs]);
    expect(redrive.code, redrive.stderr + redrive.stdout).toBe(0);
    await waitForIdle(dev, 30_000);
    expect(await depth(dev, dev.info.dlqUrl)).toBe(0);
    expect(await snapshot(dev, dev.info.outputBucket)).toEqual(baseline);
  });

  it('stops cleanly on Ctrl-C and keeps the objects in the data directory for the next start', async () => {
    const stopped = await dev.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.stats.invocations).toBeGreaterThan(0);
    expect(existsSync(path.join(dataDir(), 'dev.json'))).toBe(false);
    dev = await startDev([...CONTEXT, '--data-dir', dataDir()]);
    const { Contents = [] } = await dev.s3.send(new ListObjectsV2Command({ Bucket: dev.info.outputBucket }));
    expect(Contents.map((c) => c.Key).sort()).toEqual([...baseline.keys()].sort());
  });

  /** Runs the inputs through an `augmix dev` with these fault options; returns what it ended with. */
  async function underFaults(name: string, faults: readonly string[]) {
    // One invocation at a time, no batching window, and messages back 3 s after a failed invocation: each
    // fault costs one receive (a visibility timeout shorter than the gathering of a batch would count more).
    const faulty = await startDev([
      ...CONTEXT,
      '-c',
      'maxBatchingWindowSeconds=0',
      '--data-dir',
      path.join(root, name),
      '--concurrency',
      '1',
      '--visibility-timeout',
      '3',
      ...faults,
    ]);
    try {
      await upload(faulty, inputs);
      await waitForIdle(faulty, 90_000, 2000);
      return {
        outputs: await snapshot(faulty, faulty.info.outputBucket),
        queue: await depth(faulty, faulty.info.queueUrl),
        dlq: await depth(faulty, faulty.info.dlqUrl),
        stats: (await faulty.stop()).stats,
      };
    } catch (error) {
      await faulty.stop();
      throw error;
    }
  }

  it('gives the same outputs under S3 faults and a killed invocation, and with an invocation that runs out of time', async () => {
    const [faults, stalled] = await Promise.all([
      underFaults('faults', ['--faults', '0.15', '--fault-seed', '3', '--kill-invocations', '1']),
      // Its input reads never answer: it runs out of time, and its execution environment with it.
      underFaults('stalled', ['--stall-invocations', '1']),
    ]);
    for (const run of [faults, stalled]) {
      expect([...run.outputs.keys()].sort()).toEqual([...baseline.keys()].sort());
      for (const [key, bytes] of baseline) expect(run.outputs.get(key)?.equals(bytes), key).toBe(true);
      expect(run.queue).toBe(0);
      expect(run.dlq).toBe(0);
    }
    expect(faults.stats.crashed).toBe(1);
    const { slowDown, internalError, reset } = faults.stats.faults!;
    expect(slowDown + internalError + reset).toBeGreaterThan(0);
    expect(stalled.stats.faults!.stalled).toBeGreaterThanOrEqual(1);
    // Ran out of time: killed at the function timeout, or failed by the handler's own early timeout.
    expect(stalled.stats.timedOut + stalled.stats.failed).toBeGreaterThanOrEqual(1);
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => !name.includes(`${path.sep}faults${path.sep}`))
    .sort();
}

/** A PUT with this exact path (a URL string would have its dot segments resolved before sending). */
function rawPut(endpoint: string, rawPath: string): Promise<number> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const options = { hostname, port, path: rawPath, method: 'PUT', headers: { 'content-length': '1' } };
    const request = http.request(options, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end('x');
  });
}
