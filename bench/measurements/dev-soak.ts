import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { encode } from '../../src/codec/index.js';
import type { CaseResult, Measurement, MeasureOptions } from '../measurement.js';
import { syntheticPhoto } from '../synthetic-input.js';
import { fmt, table } from '../table.js';

const CLI = fileURLToPath(new URL('../../bin/augmix.js', import.meta.url));
/** Uploads in flight at once. */
const UPLOAD_CONCURRENCY = 32;

interface SoakCase {
  readonly images: number;
  readonly quickImages: number;
  readonly size: number;
}

const CASES: Readonly<Record<string, SoakCase>> = {
  '32px-png': { images: 2000, quickImages: 100, size: 32 },
};

interface SoakResult {
  readonly case: string;
  readonly images: number;
  readonly outputImages: number;
  readonly variants: number;
  readonly concurrency: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly invocations: number;
  readonly dlq: number;
  readonly serverPeakRssMb: number;
  readonly functionPeakRssMb: number;
}

/**
 * A soak of `augmix dev` (the bucket pipeline with the worker's own handler, stack defaults: K = 4, batch
 * size 10, batching window 1 s), 2 invocations at once on CPUs 0-1: thousands of small PNGs uploaded 32 at a
 * time with the SDK. Latency per image: from its PutObject's response to the last of its K variants written
 * (the output file's mtime in the data directory). Peak memory: the `augmix dev` process and the largest
 * function process (their maxRSS).
 */
export const devSoak: Measurement = {
  name: 'dev-soak',
  title: 'augmix dev soak: small images uploaded concurrently, all processed by the worker handler',
  cases: Object.keys(CASES),
  async measure(caseName: string, { quick }: MeasureOptions): Promise<CaseResult> {
    const spec = CASES[caseName];
    if (spec === undefined) throw new Error(`unknown case ${caseName}`);
    const count = quick ? spec.quickImages : spec.images;
    const work = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'augmix-soak-'));
    const dev = await startDev(work);
    try {
      const s3 = new S3Client({
        endpoint: dev.info.endpoint,
        region: dev.info.region,
        forcePathStyle: true,
        credentials: { accessKeyId: dev.info.accessKeyId, secretAccessKey: dev.info.secretAccessKey },
        requestChecksumCalculation: 'WHEN_REQUIRED',
      });
      const sqs = new SQSClient({
        endpoint: dev.info.endpoint,
        region: dev.info.region,
        credentials: { accessKeyId: dev.info.accessKeyId, secretAccessKey: dev.info.secretAccessKey },
      });
      const bytes = await encode(syntheticPhoto(spec.size, spec.size), 'png');
      const keys = Array.from({ length: count }, (_, i) => `soak/img-${String(i).padStart(6, '0')}.png`);
      const uploaded = new Map<string, number>();
      const started = Date.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: UPLOAD_CONCURRENCY }, async () => {
          while (next < keys.length) {
            const key = keys[next++]!;
            await s3.send(new PutObjectCommand({ Bucket: dev.info.inputBucket, Key: key, Body: bytes }));
            uploaded.set(key, Date.now());
          }
        }),
      );
      await waitForDrain(sqs, dev.info.queueUrl, count * 200 + 60_000);
      const dlq = await visible(sqs, dev.info.dlqUrl);
      const finished = await lastOutputTimes(join(work, 's3', dev.info.outputBucket, 'soak'));
      s3.destroy();
      sqs.destroy();
      const stats = await dev.stop();
      const latencies = keys.map((key) => {
        const last = finished.get(key.slice('soak/'.length));
        if (last === undefined || last.images < dev.info.variants) {
          throw new Error(`${key}: ${last?.images ?? 0} of ${dev.info.variants} variants written`);
        }
        return last.mtimeMs - uploaded.get(key)!;
      });
      latencies.sort((a, b) => a - b);
      const end = Math.max(...[...finished.values()].map((f) => f.mtimeMs));
      const seconds = (end - started) / 1000;
      const result: SoakResult = {
        case: caseName,
        images: count,
        outputImages: [...finished.values()].reduce((sum, f) => sum + f.images, 0),
        variants: dev.info.variants,
        concurrency: dev.info.concurrency,
        seconds,
        imagesPerSecond: count / seconds,
        p50Ms: quantile(latencies, 0.5),
        p99Ms: quantile(latencies, 0.99),
        maxMs: latencies.at(-1) ?? 0,
        invocations: stats.invocations,
        dlq,
        serverPeakRssMb: stats.peakRssBytes.server / 2 ** 20,
        functionPeakRssMb: stats.peakRssBytes.functionMax / 2 ** 20,
      };
      return result as unknown as CaseResult;
    } finally {
      dev.kill();
      await rm(work, { recursive: true, force: true });
    }
  },
  report(results: readonly CaseResult[]): string[] {
    const rows = (results as unknown as SoakResult[]).map((r) => [
      `${r.images} x ${r.case}`,
      `${r.outputImages}/${r.images * r.variants}`,
      String(r.dlq),
      fmt(r.seconds),
      fmt(r.imagesPerSecond),
      fmt(r.imagesPerSecond * r.variants),
      fmt(r.p50Ms),
      fmt(r.p99Ms),
      fmt(r.maxMs),
      String(r.invocations),
      fmt(r.serverPeakRssMb),
      fmt(r.functionPeakRssMb),
    ]);
    return [
      ...table(
        [
          'inputs',
          'variants written',
          'DLQ',
          'seconds',
          'images/s',
          'variants/s',
          'p50 ms',
          'p99 ms',
          'max ms',
          'invocations',
          'dev peak MB',
          'function peak MB',
        ],
        rows,
      ),
      '',
      'Latency = upload response to the last variant written; seconds = first upload to last variant. The stack',
      'defaults (batch size 10, batching window 1 s, IMAGE_CONCURRENCY from 3008 MB) with 2 invocations at once',
      '(augmix dev --concurrency 2) on CPUs 0-1; peak MB = maxRSS of the augmix dev process and of the largest',
      'function process. S3 and SQS are local servers in the dev process: this measures the pipeline on one',
      'machine, not AWS.',
    ];
  },
};

interface DevInfo {
  readonly endpoint: string;
  readonly region: string;
  readonly inputBucket: string;
  readonly outputBucket: string;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly variants: number;
  readonly concurrency: number;
}

interface DevStats {
  readonly invocations: number;
  readonly peakRssBytes: { readonly server: number; readonly functionMax: number };
}

interface Dev {
  readonly info: DevInfo;
  stop(): Promise<DevStats>;
  kill(): void;
}

async function startDev(dataDir: string): Promise<Dev> {
  const args = [CLI, 'dev', '--port', '0', '--data-dir', dataDir, '--concurrency', '2'];
  const env = { ...process.env };
  delete env.UV_THREADPOOL_SIZE;
  delete env.VIPS_CONCURRENCY;
  const child: ChildProcess = hasTaskset()
    ? spawn('taskset', ['-c', '0,1', process.execPath, ...args], { env, stdio: ['ignore', 'pipe', 'ignore'] })
    : spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    // Keep the lines the soak reads; the worker's per-image logs would grow without bound.
    output += chunk
      .split('\n')
      .filter((line) => line.startsWith('ready ') || line.startsWith('stopped '))
      .map((line) => `${line}\n`)
      .join('');
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  for (;;) {
    const line = output.split('\n').find((l) => l.startsWith('ready '));
    if (line !== undefined) {
      const info = JSON.parse(line.slice('ready '.length)) as DevInfo;
      return {
        info,
        async stop() {
          child.kill('SIGINT');
          await exited;
          const stopped = output.split('\n').find((l) => l.startsWith('stopped '));
          return JSON.parse(stopped?.slice('stopped '.length) ?? 'null') as DevStats;
        },
        kill: () => child.kill('SIGKILL'),
      };
    }
    if (child.exitCode !== null) throw new Error(`augmix dev exited with ${child.exitCode}`);
    await sleep(50);
  }
}

async function visible(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

async function waitForDrain(sqs: SQSClient, queueUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < deadline) {
    quiet = (await visible(sqs, queueUrl)) === 0 ? quiet + 1 : 0;
    if (quiet >= 10) return;
    await sleep(200);
  }
  throw new Error(`the work queue did not drain within ${timeoutMs} ms`);
}

/** Per input name: the number of variant images written and the newest one's mtime (s3rver's files). */
async function lastOutputTimes(folder: string): Promise<Map<string, { images: number; mtimeMs: number }>> {
  const suffix = '._S3rver_object';
  const times = new Map<string, { images: number; mtimeMs: number }>();
  for (const name of await readdir(folder)) {
    const match = /^(img-\d{6}\.png)\..*\.png\._S3rver_object$/.exec(name);
    if (match === null || !name.endsWith(suffix)) continue;
    const { mtimeMs } = await stat(join(folder, name));
    const input = match[1]!;
    const seen = times.get(input) ?? { images: 0, mtimeMs: 0 };
    times.set(input, { images: seen.images + 1, mtimeMs: Math.max(seen.mtimeMs, mtimeMs) });
  }
  return times;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

let taskset: boolean | undefined;
function hasTaskset(): boolean {
  if (taskset === undefined) {
    try {
      execFileSync('taskset', ['-c', '0,1', 'true'], { stdio: 'ignore' });
      taskset = true;
    } catch {
      taskset = false;
    }
  }
  return taskset;
}
