import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { augmentBatch } from '../../src/aws/backfill/augment-batch.js';
import { finalizeBackfill } from '../../src/aws/backfill/finalize.js';
import type { BackfillItem } from '../../src/backfill/batch-event.js';
import { augmentImage } from '../../src/backfill/image-outcome.js';
import { createImageThreads, type ImageThreads } from '../../src/backfill/image-threads.js';
import { processImage } from '../../src/pipeline/process-image.js';
import { resolveSettings } from '../../src/pipeline/settings.js';
import type { DatasetManifest, WidsIndex } from '../../src/shards/manifest.js';
import { relativeKeyOfSample } from '../../src/shards/sample-key.js';
import type { SampleDocument, ShardIndex } from '../../src/shards/shard.js';
import { readTar } from '../../src/shards/tar-read.js';
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

const TOOL = 'augmix-pipeline test';
const WEBDATASET_KEY = /^((?:.*\/|)[^.]+)[.]([^/]*)$/;

let server: S3TestServer;
let s3: S3Client;
let threads: ImageThreads;
let items: BackfillItem[];

beforeAll(async () => {
  server = await startS3TestServer([INPUT_BUCKET, OUTPUT_BUCKET]);
  s3 = server.client();
  await uploadInputs(s3, inputObjects());
  items = await listItems(s3);
  threads = createImageThreads(THREAD_URL, 2);
});

afterAll(async () => {
  await threads?.close();
  s3?.destroy();
  await server?.close();
});

function options(client: S3Client = s3) {
  return { s3: client, augment: threads.augment, concurrency: 4, tool: TOOL };
}

/** A client whose GetObject of `key` fails as S3 does when it sheds load (503 SlowDown), without SDK retries. */
function slowDownClient(key: string): { client: S3Client; calls: () => number } {
  const client = server.client();
  let calls = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: string };
      if (context.commandName === 'GetObjectCommand' && input.Key === key) {
        calls += 1;
        throw Object.assign(new Error('Please reduce your request rate.'), {
          name: 'SlowDown',
          $fault: 'server',
          $metadata: { httpStatusCode: 503 },
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectSlowDown' },
  );
  return { client, calls: () => calls };
}

async function exists(key: string): Promise<boolean> {
  return s3.send(new HeadObjectCommand({ Bucket: OUTPUT_BUCKET, Key: key })).then(
    () => true,
    () => false,
  );
}

describe('augmentBatch (shards layout)', () => {
  it('writes one shard and its index with two PUTs; bad images and non-images are recorded, not fatal', async () => {
    const result = await augmentBatch(batchEvent(items, batchInput('run-a/')), options());

    expect(result).toMatchObject({
      shard: 'run-a/shard-000000000.tar',
      images: 5,
      variants: 10,
      puts: 2,
      ignored: 1,
    });
    expect(result.failures.map((f) => [f.key, f.code])).toEqual([
      [`${INPUT_PREFIX}dog/readme.jpg`, 'not-an-image'],
      [`${INPUT_PREFIX}dog/truncated.jpg`, 'truncated'],
    ]);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: OUTPUT_BUCKET, Prefix: 'run-a/' }));
    expect((listed.Contents ?? []).map((o) => o.Key)).toEqual([
      'run-a/shard-000000000.index.json',
      'run-a/shard-000000000.tar',
    ]);

    const members = readTar(await readOutput(s3, 'run-a/shard-000000000.tar'));
    // grouped as WebDataset groups them: by key, adjacent members
    const groups: { key: string; fields: string[] }[] = [];
    for (const member of members) {
      const [, key = '', field = ''] = WEBDATASET_KEY.exec(member.name) ?? [];
      if (groups.at(-1)?.key !== key) groups.push({ key, fields: [] });
      groups.at(-1)?.fields.push(field);
    }
    expect(groups.map((g) => relativeKeyOfSample(g.key))).toEqual([
      'cat/001.png',
      'cat/002.v2.png',
      'cat/100%.png',
      'dog/photo one.jpg',
      'oiseau/café.png',
    ]);
    for (const group of groups)
      expect(group.fields).toEqual([`aug0.${ext(group.key)}`, `aug1.${ext(group.key)}`, 'json']);

    // the variant bytes are processImage's, and the json member holds the provenance and the source
    const settings = resolveSettings({ variants: 2, seed: 5 });
    const byName = new Map(members.map((m) => [m.name, m.bytes]));
    for (const [relativeKey, bytes] of Object.entries(inputObjects()).filter(([k]) =>
      /cat\/001|café/.test(k),
    )) {
      const processed = await processImage(bytes, relativeKey, settings);
      const key = groups.find((g) => relativeKeyOfSample(g.key) === relativeKey)?.key ?? '';
      for (const variant of processed.variants) {
        expect(
          Buffer.from(byName.get(`${key}.aug${variant.variant}.png`) ?? []).equals(
            Buffer.from(variant.bytes),
          ),
        ).toBe(true);
      }
      const document = JSON.parse(new TextDecoder().decode(byName.get(`${key}.json`))) as SampleDocument;
      const item = items.find((i) => i.Key === INPUT_PREFIX + relativeKey);
      expect(document).toEqual({
        version: 1,
        input: relativeKey,
        source: { key: item?.Key, eTag: item?.ETag, size: bytes.byteLength },
        variants: processed.variants.map((v) => ({
          field: `aug${v.variant}.png`,
          variant: v.variant,
          seed: v.seed,
          record: v.record,
        })),
        clean: null,
      });
    }

    const index = JSON.parse(
      new TextDecoder().decode(await readOutput(s3, 'run-a/shard-000000000.index.json')),
    ) as ShardIndex;
    expect(index).toMatchObject({
      shard: 'shard-000000000.tar',
      firstIndex: 0,
      items: items.length,
      tool: TOOL,
    });
    expect(index.failures.map((f) => [f.input, f.code])).toEqual([
      ['dog/readme.jpg', 'not-an-image'],
      ['dog/truncated.jpg', 'truncated'],
    ]);
    expect(index.ignored).toEqual([
      { key: `${INPUT_PREFIX}labels.csv`, reason: expect.stringMatching(/image extension/) },
    ]);
    expect(index.samples.flatMap((s) => s.members.map((m) => m.name))).toEqual(members.map((m) => m.name));
  });

  it('rewrites byte-identical shards on a rerun, from image threads or the calling thread', async () => {
    await augmentBatch(batchEvent(items, batchInput('run-b/')), options());
    const shuffled = [...items].reverse();
    await augmentBatch(batchEvent(shuffled, batchInput('run-c/')), {
      ...options(),
      augment: augmentImage,
      concurrency: 1,
    });
    const a = await readOutput(s3, 'run-a/shard-000000000.tar');
    expect(Buffer.from(await readOutput(s3, 'run-b/shard-000000000.tar')).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(await readOutput(s3, 'run-c/shard-000000000.tar')).equals(Buffer.from(a))).toBe(true);
  });

  it('names each shard after its first item and writes the dataset manifest at the end', async () => {
    const batches = [items.slice(0, 3), items.slice(3, 6), items.slice(6)];
    for (const batch of batches) await augmentBatch(batchEvent(batch, batchInput('run-d/')), options());
    const result = await finalizeBackfill({ BatchInput: batchInput('run-d/') }, { s3, tool: TOOL });
    expect(result).toEqual({
      manifest: 'run-d/manifest.json',
      widsIndex: 'run-d/wids-index.json',
      shards: 3,
      images: 5,
      failures: 2,
      missing: 0,
    });
    const manifest = JSON.parse(
      new TextDecoder().decode(await readOutput(s3, 'run-d/manifest.json')),
    ) as DatasetManifest;
    expect(manifest.shards.map((s) => [s.url, s.firstIndex])).toEqual([
      ['shard-000000000.tar', 0],
      ['shard-000000003.tar', 3],
      ['shard-000000006.tar', 6],
    ]);
    expect(manifest.shards.reduce((sum, s) => sum + s.samples, 0)).toBe(5);
    expect(manifest.failures.map((f) => f.input).sort()).toEqual(['dog/readme.jpg', 'dog/truncated.jpg']);
    expect(manifest.ignored.map((i) => i.key)).toEqual([`${INPUT_PREFIX}labels.csv`]);
    expect(manifest.settings).toEqual(resolveSettings({ variants: 2, seed: 5 }));
    const wids = JSON.parse(
      new TextDecoder().decode(await readOutput(s3, 'run-d/wids-index.json')),
    ) as WidsIndex;
    expect(wids.__kind__).toBe('wids-shard-index-v1');
    for (const [i, shard] of wids.shardlist.entries()) {
      const bytes = await readOutput(s3, `run-d/${shard.url}`);
      expect([shard.nsamples, shard.filesize]).toEqual([manifest.shards[i]?.samples, bytes.byteLength]);
    }
  });

  it('fails only the child whose read fails transiently; running it again completes it', async () => {
    const poisoned = items.slice(3, 6);
    const target = poisoned[0]?.Key ?? '';
    const flaky = slowDownClient(target);
    try {
      await expect(
        augmentBatch(batchEvent(poisoned, batchInput('run-e/')), options(flaky.client)),
      ).rejects.toMatchObject({
        name: 'SlowDown',
      });
      expect(flaky.calls()).toBeGreaterThan(0);
      expect(await exists('run-e/shard-000000003.tar')).toBe(false);
      // the other children, on the same flaky client, complete
      await augmentBatch(batchEvent(items.slice(0, 3), batchInput('run-e/')), options(flaky.client));
      await augmentBatch(batchEvent(items.slice(6), batchInput('run-e/')), options(flaky.client));
    } finally {
      flaky.client.destroy();
    }
    // the manifest names the batch that never finished
    const partial = await finalizeBackfill(
      { BatchInput: batchInput('run-e/'), totalItems: items.length },
      { s3, tool: TOOL },
    );
    expect(partial).toMatchObject({ shards: 2, missing: 3 });
    const gaps = JSON.parse(
      new TextDecoder().decode(await readOutput(s3, 'run-e/manifest.json')),
    ) as DatasetManifest;
    expect(gaps.missing).toEqual([{ from: 3, to: 5 }]);
    // the redrive runs the failed child again, now that S3 answers
    await augmentBatch(batchEvent(poisoned, batchInput('run-e/')), options());
    const complete = await finalizeBackfill(
      { BatchInput: batchInput('run-e/'), totalItems: items.length },
      { s3, tool: TOOL },
    );
    expect(complete).toMatchObject({ shards: 3, images: 5, missing: 0 });
    for (const name of ['shard-000000000.tar', 'shard-000000003.tar', 'shard-000000006.tar']) {
      expect(
        Buffer.from(await readOutput(s3, `run-e/${name}`)).equals(
          Buffer.from(await readOutput(s3, `run-d/${name}`)),
        ),
      ).toBe(true);
    }
  });

  it('records an object that changed or was over the byte limit since the listing', async () => {
    const stale = items.map((item) =>
      item.Key.endsWith('001.png') ? { ...item, ETag: '"0123456789abcdef0123456789abcdef"' } : item,
    );
    const big = stale.map((item) => (item.Key.endsWith('café.png') ? { ...item, Size: 10 ** 10 } : item));
    const result = await augmentBatch(batchEvent(big, batchInput('run-f/')), options());
    expect(result.images).toBe(3);
    expect(result.failures.map((f) => [f.key.slice(INPUT_PREFIX.length), f.code])).toEqual([
      ['cat/001.png', 'superseded'],
      ['dog/readme.jpg', 'not-an-image'],
      ['dog/truncated.jpg', 'truncated'],
      ['oiseau/café.png', 'too-many-bytes'],
    ]);
  });
});

describe('augmentBatch (objects layout)', () => {
  it('writes each input’s outputs as the event path does, and counts its PUTs', async () => {
    const result = await augmentBatch(
      batchEvent(items.slice(0, 3), batchInput('objects/', { layout: 'objects' })),
      options(),
    );
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: OUTPUT_BUCKET, Prefix: 'objects/' }));
    expect(result).toMatchObject({ shard: null, images: 3, variants: 6, failures: [] });
    expect(result.puts).toBe(listed.KeyCount);
    expect((listed.Contents ?? []).map((o) => o.Key)).toContain('objects/cat/001.png.augmix-00.png');
  });
});

function ext(sampleKey: string): string {
  const key = relativeKeyOfSample(sampleKey);
  return key.slice(key.lastIndexOf('.') + 1);
}
