import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { StateMachine } from 'aws-local-stepfunctions';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKFILL_BUNDLE_DIR } from '../../lib/worker-asset.js';
import type {
  BackfillBatchEvent,
  BackfillBatchResult,
  BackfillFinalizeEvent,
  BackfillFinalizeResult,
} from '../../src/backfill/batch-event.js';
import type { BackfillExecutionInput } from '../../src/backfill/execution-input.js';
import type { DatasetManifest } from '../../src/shards/manifest.js';
import { definitionOf, synthBackfill } from '../infra/backfill-synth.js';
import { type S3TestServer, startS3TestServer } from '../lambda/s3-test-server.js';
import {
  batchItems,
  listLikeItemReader,
  localDefinition,
  polyfillWithResolvers,
  selectItems,
} from './local-asl.js';

polyfillWithResolvers();

const IN = 'asl-input';
const OUT = 'asl-output';
const IMAGES = 300;
const PER_BATCH = 64;

let server: S3TestServer;
let s3: S3Client;

/** The deployed backfill worker: the prebuilt bundle `npm run build` makes (the one the stack ships). */
interface BackfillWorker {
  handler(event: BackfillBatchEvent): Promise<BackfillBatchResult>;
  finalizeHandler(event: BackfillFinalizeEvent): Promise<BackfillFinalizeResult>;
}
let worker: BackfillWorker;

/** A 6×5 PNG whose pixels depend on `i`. */
function png(i: number): Uint8Array {
  const data = new Uint8Array(6 * 5 * 3).map((_, j) => (i * 31 + j * 7) % 256);
  return encode({ width: 6, height: 5, data, channels: 3 });
}

beforeAll(async () => {
  server = await startS3TestServer([IN, OUT]);
  s3 = server.client();
  for (let i = 0; i < IMAGES; i++) {
    const key = `raw/class-${i % 3}/img-${String(i).padStart(4, '0')}.png`;
    await s3.send(new PutObjectCommand({ Bucket: IN, Key: key, Body: png(i) }));
  }
  // A poison image inside a batch: recorded in its shard's index and the manifest, never failing the batch.
  await s3.send(
    new PutObjectCommand({ Bucket: IN, Key: 'raw/class-0/zz-broken.png', Body: png(1).slice(0, 40) }),
  );
  await s3.send(new PutObjectCommand({ Bucket: IN, Key: 'elsewhere/x.png', Body: png(0) }));
  // The worker reads its environment when loaded: S3 at s3rver, one vCPU's worth of image threads (as the
  // stack's 1,769 MB batch worker), a tool version.
  Object.assign(process.env, server.workerEnv, {
    BATCH_THREADS: '1',
    AUGMIX_TOOL_VERSION: 'augmix-pipeline test',
  });
  worker = (await import(pathToFileURL(join(BACKFILL_BUNDLE_DIR, 'index.mjs')).href)) as BackfillWorker;
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await server?.close();
});

describe('the synthesized backfill definition, run by aws-local-stepfunctions with the real backfill worker against s3rver', () => {
  const { template, ids } = synthBackfill({ itemsPerBatch: PER_BATCH, maxConcurrency: 4 });
  const synthesized = definitionOf(template);
  // CloudFormation references become what they resolve to: the buckets' names, the function's ARN.
  const definition = JSON.parse(
    JSON.stringify(synthesized)
      .replaceAll(`<${ids.input}>`, IN)
      .replaceAll(`<${ids.output}>`, OUT)
      .replace(/<([A-Za-z0-9]+)\.Arn>/g, 'arn:aws:lambda:us-east-1:123456789012:function:$1'),
  );
  const map = definition.States.AugmentBatches;

  it('augments every image under the prefix into one shard per batch, then writes the manifest once', async () => {
    const input: BackfillExecutionInput = {
      inputPrefix: 'raw/',
      outputPrefix: 'aug/run-1/',
      layout: 'shards',
      settings: { variants: 2, seed: 3 },
    };
    const listed = await listLikeItemReader(s3, IN, input.inputPrefix);
    const selected = await selectItems(map, listed);
    const batches = batchItems(
      selected,
      map.ItemBatcher.MaxItemsPerBatch,
      map.ItemBatcher.MaxInputBytesPerBatch,
    );
    expect(batches).toHaveLength(Math.ceil((IMAGES + 1) / PER_BATCH));

    const events: BackfillBatchEvent[] = [];
    const finalizeEvents: unknown[] = [];
    let throttled = 0;
    const machine = new StateMachine(localDefinition(definition, 'AugmentBatches'));
    const execution = machine.run({ ...input, localBatches: batches } as never, {
      overrides: {
        taskResourceLocalHandlers: {
          AugmentBatch: (async (event: BackfillBatchEvent) => {
            // The first invocation is throttled, as Lambda does when the account's concurrency is used up.
            if (throttled++ === 0) {
              const error = new Error('Rate exceeded');
              error.name = 'Lambda.TooManyRequestsException';
              throw error;
            }
            events.push(event);
            return worker.handler(event);
          }) as never,
          WriteDatasetManifest: (async (event: BackfillFinalizeEvent) => {
            finalizeEvents.push(event);
            return worker.finalizeHandler(event);
          }) as never,
        },
        retryIntervalOverrides: { AugmentBatch: 0, WriteDatasetManifest: 0 },
      },
    });
    const output = (await execution.result) as unknown as {
      mapRun: BackfillBatchResult[];
      manifest: BackfillFinalizeResult;
    };

    // Every child received the contract's event: the run's BatchInput and its items with their listing index.
    const batchInput = {
      inputBucket: IN,
      inputPrefix: 'raw/',
      outputBucket: OUT,
      outputPrefix: 'aug/run-1/',
      layout: 'shards',
      settings: { variants: 2, seed: 3 },
    };
    expect(events).toHaveLength(batches.length);
    for (const event of events) expect(event.BatchInput).toEqual(batchInput);
    const items = events.flatMap((event) => event.Items).sort((a, b) => a.Index - b.Index);
    expect(items.map((item) => item.Index)).toEqual([...Array(IMAGES + 1).keys()]);
    expect(items.map((item) => item.Key)).toEqual(listed.map((object) => object.Key));
    for (const item of items) {
      expect(item).toEqual({
        Key: expect.stringMatching(/^raw\//),
        Size: expect.any(Number),
        ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
        Index: item.Index,
      });
    }
    expect(Math.max(...events.map((event) => event.Items.length))).toBe(PER_BATCH);

    // The throttled invocation was retried by the Task's Retry, not failed.
    expect(throttled).toBe(batches.length + 1);
    // The Map's results land at $.mapRun: one shard per batch, the poison image recorded in its batch.
    expect(output.mapRun).toHaveLength(batches.length);
    expect(output.mapRun.map((r) => r.shard)).toEqual(
      batches.map((b) => `aug/run-1/shard-${String(b[0]!.Index).padStart(9, '0')}.tar`),
    );
    expect(output.mapRun.reduce((n, r) => n + r.images, 0)).toBe(IMAGES);
    expect(output.mapRun.flatMap((r) => r.failures.map((f) => f.key))).toEqual(['raw/class-0/zz-broken.png']);
    // Then the finalize Task gets the contract's { BatchInput } and writes the dataset manifest.
    expect(finalizeEvents).toEqual([{ BatchInput: batchInput }]);
    expect(output.manifest).toMatchObject({
      manifest: 'aug/run-1/manifest.json',
      shards: batches.length,
      images: IMAGES,
    });
    const manifest = JSON.parse(
      await (
        await s3.send(new GetObjectCommand({ Bucket: OUT, Key: 'aug/run-1/manifest.json' }))
      ).Body!.transformToString(),
    ) as DatasetManifest;
    expect(manifest.samples).toBe(IMAGES);
    expect(manifest.shards).toHaveLength(batches.length);
    expect(manifest.failures.map((f) => f.shard)).toHaveLength(1);
  }, 120_000);

  it('fails the execution when a batch fails with a function error (no Retry on it): the case for redrive', async () => {
    const machine = new StateMachine(localDefinition(definition, 'AugmentBatches'));
    const execution = machine.run(
      {
        inputPrefix: 'raw/',
        outputPrefix: 'aug/run-2/',
        layout: 'objects',
        settings: {},
        localBatches: [[{ Key: 'raw/x.png', Size: 1, ETag: '"x"', Index: 0 }]],
      },
      {
        overrides: {
          taskResourceLocalHandlers: {
            AugmentBatch: async () => {
              const error = new Error('S3 SlowDown after retries');
              error.name = 'TransientS3Error';
              throw error;
            },
            WriteDatasetManifest: async () => {
              throw new Error('finalize must not run');
            },
          },
        },
      },
    );
    await expect(execution.result).rejects.toMatchObject({
      name: 'ExecutionError',
      cause: { name: 'TransientS3Error' },
    });
  });
});
