import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { augmentBatch } from '../../src/aws/backfill/augment-batch.js';
import type { BackfillBatchInput, BackfillItem } from '../../src/backfill/batch-event.js';
import { createImageThreads } from '../../src/backfill/image-threads.js';
import { type BatchEntry, shardOfBatch } from '../../src/backfill/shard-batch.js';
import { encode } from '../../src/codec/index.js';
import { resolveSettings } from '../../src/pipeline/settings.js';
import type { CaseResult, Measurement, MeasureOptions } from '../measurement.js';
import { syntheticPhoto } from '../synthetic-input.js';
import { fmt, table } from '../table.js';

const K = 4;
const IMAGES = 10_000;
const QUICK_IMAGES = 200;
const SHARD_SIZE = 1000;
const OBJECTS_SAMPLE = 100;
const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface CaseSpec {
  /** Image threads (1: the calling thread augments) and the CPUs the process may use. */
  readonly threads: number;
  readonly cpus: string;
  /** Inputs from S3 and shards to S3 (`augmentBatch`), or both in memory (`shardOfBatch` alone). */
  readonly s3: boolean;
}

const CASES: Readonly<Record<string, CaseSpec>> = {
  's3, calling thread': { threads: 1, cpus: '0', s3: true },
  's3, 2 threads': { threads: 2, cpus: '0,1', s3: true },
  'memory, calling thread': { threads: 1, cpus: '0', s3: false },
  'memory, 2 threads': { threads: 2, cpus: '0,1', s3: false },
};

interface BackfillResult {
  readonly case: string;
  readonly cpus: string;
  readonly images: number;
  readonly shards: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  readonly shardPutsPerImage: number;
  readonly objectsPutsPerImage: number;
  readonly peakRssMiB: number;
  readonly shardMiB: number;
}

/**
 * The backfill's batch mode over ≥ 10,000 small images (32x32 PNG, K = 4, default AugMix): batches of 1,000
 * items through `augmentBatch` (GetObject each, one shard PUT and one index PUT per batch) against a local
 * S3-API server (s3rver, its own process, so the peak RSS is the batch path's), on the calling thread pinned
 * to CPU 0 vs on two image threads with CPUs 0-1. PUTs are counted by an SDK middleware; the objects layout's
 * PUTs per image are counted on the first 100 images.
 */
export const backfillBatch: Measurement = {
  name: 'backfill-batch',
  title: `Backfill batch mode, ${IMAGES} images 32x32 png, K = ${K}, shards of ${SHARD_SIZE}: calling thread (CPU 0) vs 2 image threads (CPUs 0-1), with S3 (s3rver) and in memory`,
  cases: Object.keys(CASES),
  async measure(caseName: string, { quick }: MeasureOptions): Promise<CaseResult> {
    const spec = CASES[caseName];
    if (spec === undefined) throw new Error(`unknown case ${caseName}`);
    const cpus = repin(spec.cpus);
    const count = quick ? QUICK_IMAGES : IMAGES;
    if (!spec.s3) return inMemory(caseName, spec, cpus, count);
    const dir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'augmix-bench-backfill-'));
    const server = await startS3rver(dir);
    const s3 = new S3Client({
      endpoint: server.endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    let puts = 0;
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand') puts += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countPuts' },
    );
    const threads = createImageThreads(undefined, spec.threads);
    try {
      for (const bucket of ['bench-in', 'bench-out'])
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const bytes = await encode(syntheticPhoto(32, 32), 'png');
      const items: BackfillItem[] = [];
      for (let i = 0; i < count; i += 1) {
        const Key = `data/class-${i % 10}/${String(i).padStart(5, '0')}.png`;
        const put = await s3.send(new PutObjectCommand({ Bucket: 'bench-in', Key, Body: bytes }));
        items.push({ Key, Size: bytes.byteLength, ETag: put.ETag ?? '', Index: i });
      }
      const input = (layout: 'shards' | 'objects', outputPrefix: string): BackfillBatchInput => ({
        inputBucket: 'bench-in',
        inputPrefix: 'data/',
        outputBucket: 'bench-out',
        outputPrefix,
        layout,
        settings: { variants: K },
      });
      const options = {
        s3,
        augment: threads.augment,
        concurrency: Math.max(2, threads.size * 4),
        tool: 'bench',
      };

      puts = 0;
      let shardBytes = 0;
      const started = performance.now();
      let shards = 0;
      const shardKeys: string[] = [];
      for (let first = 0; first < count; first += SHARD_SIZE) {
        const batch = items.slice(first, first + SHARD_SIZE);
        const result = await augmentBatch({ BatchInput: input('shards', 'shards/'), Items: batch }, options);
        if (result.images !== batch.length)
          throw new Error(`batch at ${first}: ${result.failures.length} failures`);
        shards += 1;
        if (result.shard !== null) shardKeys.push(result.shard);
      }
      const seconds = (performance.now() - started) / 1000;
      const shardPuts = puts;
      for (const Key of shardKeys) {
        shardBytes += (await s3.send(new HeadObjectCommand({ Bucket: 'bench-out', Key }))).ContentLength ?? 0;
      }
      puts = 0;
      const sample = items.slice(0, OBJECTS_SAMPLE);
      await augmentBatch({ BatchInput: input('objects', 'objects/'), Items: sample }, options);
      const result: BackfillResult = {
        case: caseName,
        cpus,
        images: count,
        shards,
        seconds,
        imagesPerSecond: count / seconds,
        shardPutsPerImage: shardPuts / count,
        objectsPutsPerImage: puts / sample.length,
        peakRssMiB: process.resourceUsage().maxRSS / 1024,
        shardMiB: shardBytes / 2 ** 20,
      };
      return result as unknown as CaseResult;
    } finally {
      await threads.close();
      s3.destroy();
      server.process.kill();
      await rm(dir, { recursive: true, force: true });
    }
  },
  report(results: readonly CaseResult[]): string[] {
    const rows = (results as unknown as BackfillResult[]).map((r) => [
      r.case,
      r.cpus,
      String(r.images),
      String(r.shards),
      fmt(r.seconds),
      fmt(r.imagesPerSecond),
      fmt(r.imagesPerSecond * K),
      r.shardPutsPerImage < 0 ? '-' : fmt(r.shardPutsPerImage, 4),
      r.objectsPutsPerImage < 0 ? '-' : fmt(r.objectsPutsPerImage, 3),
      fmt(r.peakRssMiB),
      fmt(r.shardMiB / r.shards),
    ]);
    return [
      ...table(
        [
          'augmenting on',
          'CPUs',
          'images',
          'shards',
          's',
          'images/s',
          'variants/s',
          'PUT/image shards',
          'PUT/image objects',
          'peak RSS MiB',
          'MiB/shard',
        ],
        rows,
      ),
      '',
      'images/s over the batches only. s3: augmentBatch, inputs uploaded before the clock starts, s3rver in its own',
      'process on the same CPUs (its CPU time competes with the batch path); memory: the same batches through',
      'shardOfBatch with the inputs and shards in memory (the AugMix arithmetic, encoding and tar alone).',
      'PUT/image shards: shard + index PUTs per input;',
      `objects: the per-object layout (event path's writer) on the first ${OBJECTS_SAMPLE} inputs. Peak RSS: the`,
      'bench process (image threads included, s3rver not).',
    ];
  },
};

/** The same batches with no S3: inputs read from memory, shards kept in memory. */
async function inMemory(caseName: string, spec: CaseSpec, cpus: string, count: number): Promise<CaseResult> {
  const threads = createImageThreads(undefined, spec.threads);
  try {
    const bytes = await encode(syntheticPhoto(32, 32), 'png');
    const settings = resolveSettings({ variants: K });
    let shards = 0;
    let shardBytes = 0;
    const started = performance.now();
    for (let first = 0; first < count; first += SHARD_SIZE) {
      const entries: BatchEntry[] = [];
      for (let i = first; i < Math.min(count, first + SHARD_SIZE); i += 1) {
        const relativeKey = `class-${i % 10}/${String(i).padStart(5, '0')}.png`;
        entries.push({
          kind: 'input',
          relativeKey,
          source: { key: relativeKey, eTag: null, size: bytes.byteLength },
          read: async () => bytes.slice(),
        });
      }
      const shard = await shardOfBatch(first, entries, {
        augment: threads.augment,
        concurrency: Math.max(2, threads.size * 4),
        settings,
        tool: 'bench',
      });
      if (shard.index.samples.length !== entries.length) throw new Error(`batch at ${first}: failures`);
      shards += 1;
      shardBytes += shard.bytes.byteLength;
    }
    const seconds = (performance.now() - started) / 1000;
    const result: BackfillResult = {
      case: caseName,
      cpus,
      images: count,
      shards,
      seconds,
      imagesPerSecond: count / seconds,
      shardPutsPerImage: -1,
      objectsPutsPerImage: -1,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      shardMiB: shardBytes / 2 ** 20,
    };
    return result as unknown as CaseResult;
  } finally {
    await threads.close();
  }
}

/** Moves this process (all its threads) to `cpus` when taskset exists; returns what it runs on. */
function repin(cpus: string): string {
  try {
    execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpus, String(process.pid)], {
      stdio: 'ignore',
    });
    return cpus;
  } catch {
    return 'unpinned';
  }
}

/** s3rver in a child process on a free port, storing under `dir`. */
async function startS3rver(dir: string): Promise<{ endpoint: string; process: ChildProcess }> {
  const script =
    "const S3rver = require('s3rver');" +
    `new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: ${JSON.stringify(dir)} })` +
    '.run().then((a) => console.log(a.port));';
  const child = spawn(process.execPath, ['-e', script], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code})`)));
  });
  return { endpoint: `http://127.0.0.1:${port}`, process: child };
}
