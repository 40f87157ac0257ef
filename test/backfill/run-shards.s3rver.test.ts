import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { augmentBatch } from '../../src/aws/backfill/augment-batch.js';
import { createImageThreads, type ImageThreads } from '../../src/backfill/image-threads.js';
import type { DatasetManifest } from '../../src/shards/manifest.js';
import { readTar } from '../../src/shards/tar-read.js';
import { CLI } from '../cli/run-fixtures.js';
import { type S3TestServer, startS3TestServer } from '../lambda/s3-test-server.js';
import {
  batchEvent,
  batchInput,
  INPUT_BUCKET,
  INPUT_PREFIX,
  inputObjects,
  listItems,
  OUTPUT_BUCKET,
  readOutput,
  THREAD_URL,
  uploadInputs,
} from './batch-fixtures.js';

const run = promisify(execFile);

let server: S3TestServer;
let s3: S3Client;
let threads: ImageThreads;
let work: string;

beforeAll(async () => {
  server = await startS3TestServer([INPUT_BUCKET, OUTPUT_BUCKET]);
  s3 = server.client();
  await uploadInputs(s3, inputObjects());
  threads = createImageThreads(THREAD_URL, 2);
  work = mkdtempSync(path.join(tmpdir(), 'augmix-run-shards-'));
});

afterAll(async () => {
  await threads?.close();
  s3?.destroy();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

function augmix(args: readonly string[]) {
  const endpoint = args.some((arg) => arg.startsWith('s3://')) ? ['--endpoint-url', server.endpoint] : [];
  return run(process.execPath, [CLI, 'run', ...args, ...endpoint], {
    env: { ...process.env, ...server.workerEnv, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    cwd: work,
  });
}

describe('augmix run --layout shards', () => {
  it('writes, from a bucket, the shards the batch mode writes for the same batches, byte for byte', async () => {
    const items = await listItems(s3);
    for (let first = 0; first < items.length; first += 3) {
      await augmentBatch(batchEvent(items.slice(first, first + 3), batchInput('batch/')), {
        s3,
        augment: threads.augment,
        concurrency: 4,
        tool: 'test',
      });
    }
    const out = path.join(work, 'local');
    const cli = await augmix([
      `s3://${INPUT_BUCKET}/${INPUT_PREFIX}`,
      out,
      '--layout',
      'shards',
      '--shard-size',
      '3',
      '--variants',
      '2',
      '--seed',
      '5',
      '--concurrency',
      '2',
      '--quiet',
    ]).catch((error: { code: number; stdout: string; stderr: string }) => error);
    // two poison images: exit status 1 (some inputs failed), shards written all the same
    expect(cli).toMatchObject({ code: 1 });
    const shards = readdirSync(out)
      .filter((name) => name.endsWith('.tar'))
      .sort();
    expect(shards).toEqual(['shard-000000000.tar', 'shard-000000003.tar', 'shard-000000006.tar']);
    for (const name of shards) {
      const local = readFileSync(path.join(out, name));
      expect(local.equals(Buffer.from(await readOutput(s3, `batch/${name}`)))).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as DatasetManifest;
    expect(manifest).toMatchObject({ samples: 5, settings: { variants: 2, seed: 5 } });
    expect(manifest.failures.map((f) => f.input)).toEqual(['dog/readme.jpg', 'dog/truncated.jpg']);
    expect(manifest.ignored.map((i) => [i.key, i.shard])).toEqual([
      [`${INPUT_PREFIX}labels.csv`, 'shard-000000006.tar'],
    ]);
  });

  it('writes the same shards from a folder into a folder and into a bucket (one PutObject each)', async () => {
    const folder = path.join(work, 'in');
    for (const [key, bytes] of Object.entries(inputObjects())) {
      mkdirSync(path.dirname(path.join(folder, key)), { recursive: true });
      writeFileSync(path.join(folder, key), bytes);
    }
    const args = ['--layout', 'shards', '--shard-size', '4', '--variants', '1', '--jsd', '--quiet'];
    // exit status 1: the two poison images failed (recorded in the manifest)
    for (const target of [path.join(work, 'from-folder'), `s3://${OUTPUT_BUCKET}/from-folder/`]) {
      expect(await augmix([folder, target, ...args]).catch((error) => error)).toMatchObject({ code: 1 });
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: OUTPUT_BUCKET, Prefix: 'from-folder/' }));
    const keys = (listed.Contents ?? []).map((o) => (o.Key ?? '').slice('from-folder/'.length));
    expect(keys.sort()).toEqual(readdirSync(path.join(work, 'from-folder')).sort());
    expect(keys).toContain('wids-index.json');
    // everything but the wids index's name (the output's path or URL) is the same
    for (const name of keys.filter((key) => key !== 'wids-index.json')) {
      const local = readFileSync(path.join(work, 'from-folder', name));
      expect(local.toString('latin1'), name).toBe(
        Buffer.from(await readOutput(s3, `from-folder/${name}`)).toString('latin1'),
      );
    }
    // JSD members: the clean view and one pair, then the provenance
    const members = readTar(readFileSync(path.join(work, 'from-folder', 'shard-000000000.tar')));
    expect(members.slice(0, 4).map((m) => m.name)).toEqual([
      'cat/001%2Epng.aug0a.png',
      'cat/001%2Epng.aug0b.png',
      'cat/001%2Epng.clean.png',
      'cat/001%2Epng.json',
    ]);
    const document = JSON.parse(new TextDecoder().decode(members[3]?.bytes));
    expect(document).toMatchObject({
      input: 'cat/001.png',
      source: { key: 'cat/001.png', eTag: null },
      clean: 'clean.png',
    });
  });

  it('refuses options that do not fit the layout', async () => {
    const error = await augmix([path.join(work, 'in'), path.join(work, 'x'), '--shard-size', '3']).catch(
      (e) => e,
    );
    expect(error).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--shard-size applies to --layout shards/),
    });
    const zero = await augmix([
      path.join(work, 'in'),
      path.join(work, 'x'),
      '--layout',
      'shards',
      '--shard-size',
      '0',
    ]).catch((e) => e);
    expect(zero).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--shard-size must be in 1\.\.100000, got 0/),
    });
  });
});
