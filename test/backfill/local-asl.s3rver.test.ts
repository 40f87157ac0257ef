import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { StateMachine } from 'aws-local-stepfunctions';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackfillBatchEvent, BackfillBatchResult } from '../../src/backfill/batch-event.js';
import type { BackfillExecutionInput } from '../../src/backfill/execution-input.js';
import { processImage } from '../../src/pipeline/process-image.js';
import { resolveSettings } from '../../src/pipeline/settings.js';
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
  await s3.send(new PutObjectCommand({ Bucket: IN, Key: 'elsewhere/x.png', Body: png(0) }));
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await server?.close();
});

/**
 * A minimal stand-in for the worker's batch mode (lambda/backfill-batch.ts is not on this branch yet): reads each
 * item with its ETag, runs processImage and writes one object per variant under the run's output prefix.
 */
async function minimalBatch(event: BackfillBatchEvent): Promise<BackfillBatchResult> {
  const { BatchInput: run, Items } = event;
  const settings = resolveSettings(run.settings ?? {});
  let variants = 0;
  for (const item of Items) {
    const object = await s3.send(
      new GetObjectCommand({ Bucket: run.inputBucket, Key: item.Key, IfMatch: item.ETag }),
    );
    const bytes = await object.Body!.transformToByteArray();
    const processed = await processImage(bytes, item.Key.slice(run.inputPrefix.length), settings);
    for (const variant of processed.variants) {
      await s3.send(
        new PutObjectCommand({
          Bucket: run.outputBucket,
          Key: run.outputPrefix + variant.name,
          Body: variant.bytes,
        }),
      );
      variants++;
    }
  }
  return { shard: null, images: Items.length, variants, puts: variants, failures: [] };
}

describe('the synthesized backfill definition, run by aws-local-stepfunctions against s3rver', () => {
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

  it('augments every image under the prefix, batch by batch, then finalizes once', async () => {
    const input: BackfillExecutionInput = {
      inputPrefix: 'raw/',
      outputPrefix: 'aug/run-1/',
      layout: 'objects',
      settings: { variants: 2, seed: 3 },
    };
    const listed = await listLikeItemReader(s3, IN, input.inputPrefix);
    const selected = await selectItems(map, listed);
    const batches = batchItems(
      selected,
      map.ItemBatcher.MaxItemsPerBatch,
      map.ItemBatcher.MaxInputBytesPerBatch,
    );
    expect(batches).toHaveLength(Math.ceil(IMAGES / PER_BATCH));

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
            return minimalBatch(event);
          }) as never,
          WriteDatasetManifest: async (event: unknown) => {
            finalizeEvents.push(event);
            return { manifest: null };
          },
        },
        retryIntervalOverrides: { AugmentBatch: 0, WriteDatasetManifest: 0 },
      },
    });
    const output = (await execution.result) as unknown as {
      mapRun: BackfillBatchResult[];
      manifest: unknown;
    };

    // Every child received the contract's event: the run's BatchInput and its items with their listing index.
    const batchInput = {
      inputBucket: IN,
      inputPrefix: 'raw/',
      outputBucket: OUT,
      outputPrefix: 'aug/run-1/',
      layout: 'objects',
      settings: { variants: 2, seed: 3 },
    };
    expect(events).toHaveLength(batches.length);
    for (const event of events) expect(event.BatchInput).toEqual(batchInput);
    const items = events.flatMap((event) => event.Items).sort((a, b) => a.Index - b.Index);
    expect(items.map((item) => item.Index)).toEqual([...Array(IMAGES).keys()]);
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
    // The Map's results land at $.mapRun, then the finalize Task gets the contract's { BatchInput }.
    expect(output.mapRun.reduce((n, r) => n + r.images, 0)).toBe(IMAGES);
    expect(finalizeEvents).toEqual([{ BatchInput: batchInput }]);
    expect(output.manifest).toEqual({ manifest: null });

    const written = await s3.send(
      new ListObjectsV2Command({ Bucket: OUT, Prefix: 'aug/run-1/', MaxKeys: 1000 }),
    );
    expect(written.KeyCount).toBe(IMAGES * 2);
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
