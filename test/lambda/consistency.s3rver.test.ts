import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AugmentObjectOptions,
  type AugmentOutcome,
  augmentObject,
  SourceChangingError,
} from '../../src/aws/worker/augment-object.js';
import { checkObjectKey, hashedFailureKey } from '../../src/aws/worker/object-names.js';
import type { S3ObjectEvent } from '../../src/aws/worker/s3-event.js';
import type { WorkerConfig } from '../../src/aws/worker/worker-config.js';
import { encode } from '../../src/codec/index.js';
import { processImage } from '../../src/pipeline/process-image.js';
import { resolveSettings } from '../../src/pipeline/settings.js';
import { gradient, pattern } from '../codec/inputs.js';
import { objectBytes } from './event-fixtures.js';
import { type S3TestServer, startS3TestServer } from './s3-test-server.js';

// Two invocations of the worker's per-object protocol on the same key, interleaved step by step against
// s3rver with the real SDK: each invocation has its own client, and a middleware on it can hold every
// command of one kind (PutObject, HeadObject, ...) until the test releases it.

const INPUT = 'consistency-in';
const OUTPUT = 'consistency-out';
const SETTINGS = resolveSettings({ variants: 2, seed: 5 });

let server: S3TestServer;
let s3: S3Client;
let jpegA: Uint8Array;
let jpegB: Uint8Array;
const png = objectBytes('cup.png');
const truncated = objectBytes('truncated.jpg');

function config(overrides: Partial<WorkerConfig> = {}): WorkerConfig {
  return {
    outputBucket: OUTPUT,
    inputPrefix: 'in/',
    outputPrefix: 'out/',
    settings: SETTINGS,
    imageConcurrency: 1,
    vipsConcurrency: null,
    deleteOutputsOnInputDelete: false,
    imageTimeReserveMs: 0,
    ...overrides,
  };
}

/** A client whose commands of a held kind wait until released. */
interface GatedClient {
  readonly client: S3Client;
  /** Holds every command named `command` (e.g. `PutObjectCommand`); `reached` resolves when the first waits. */
  hold(command: string): { readonly reached: Promise<void>; release(): void };
}

function gatedClient(): GatedClient {
  const client = server.client();
  const held = new Map<string, { opened: Promise<void>; reached: () => void }>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const gate = held.get(context.commandName ?? '');
      if (gate !== undefined) {
        gate.reached();
        await gate.opened;
      }
      return next(args);
    },
    { step: 'initialize', name: 'testGate' },
  );
  return {
    client,
    hold(command) {
      let release!: () => void;
      let reached!: () => void;
      const opened = new Promise<void>((resolve) => {
        release = resolve;
      });
      const reachedPromise = new Promise<void>((resolve) => {
        reached = resolve;
      });
      const entry = { opened, reached };
      held.set(command, entry);
      return {
        reached: reachedPromise,
        release() {
          if (held.get(command) === entry) held.delete(command);
          release();
        },
      };
    },
  };
}

/** Uploads `bytes` as `in/<name>` and returns the ObjectCreated event S3 would send. */
async function upload(name: string, bytes: Uint8Array): Promise<S3ObjectEvent> {
  const put = await s3.send(new PutObjectCommand({ Bucket: INPUT, Key: `in/${name}`, Body: bytes }));
  return {
    eventName: 'ObjectCreated:Put',
    bucket: INPUT,
    key: `in/${name}`,
    size: bytes.length,
    eTag: put.ETag!.replace(/"/g, ''),
    versionId: null,
    sequencer: null,
  };
}

function run(
  event: S3ObjectEvent,
  client: S3Client,
  extra: Partial<AugmentObjectOptions> & { config?: WorkerConfig } = {},
): Promise<AugmentOutcome> {
  return augmentObject(event, { s3: client, config: config(), receiveCount: 1, ...extra });
}

/** Every output object of `name`: key → { bytes, source ETag metadata }. */
async function outputsOf(name: string): Promise<Map<string, { bytes: Buffer; eTag: string | undefined }>> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: OUTPUT, Prefix: `out/${name}.` }));
  const outputs = new Map<string, { bytes: Buffer; eTag: string | undefined }>();
  for (const { Key } of listed.Contents ?? []) {
    const object = await s3.send(new GetObjectCommand({ Bucket: OUTPUT, Key }));
    outputs.set(Key!.slice('out/'.length), {
      bytes: Buffer.from(await object.Body!.transformToByteArray()),
      eTag: object.Metadata?.['augmix-source-etag'],
    });
  }
  return outputs;
}

function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** The outputs of `name` are exactly those of `bytes`: its variants and document, nothing else. */
async function expectOutputsOf(name: string, bytes: Uint8Array): Promise<void> {
  const expected = await processImage(bytes, name, SETTINGS);
  const outputs = await outputsOf(name);
  expect([...outputs.keys()].sort()).toEqual(
    [...expected.variants.map((variant) => variant.name), expected.documentName].sort(),
  );
  for (const variant of expected.variants) {
    expect(outputs.get(variant.name)?.bytes.equals(Buffer.from(variant.bytes))).toBe(true);
    expect(outputs.get(variant.name)?.eTag).toBe(md5(bytes));
  }
  const document = JSON.parse(outputs.get(expected.documentName)!.bytes.toString('utf8'));
  expect(document.source).toEqual({ key: `in/${name}`, eTag: md5(bytes), size: bytes.length });
  expect(document.variants.map((v: { output: string }) => v.output)).toEqual(
    expected.variants.map((variant) => variant.name),
  );
}

/** The outputs of `name` are exactly its failure record, with `code`. */
async function expectFailureOf(name: string, code: string, bytes: Uint8Array): Promise<void> {
  const outputs = await outputsOf(name);
  expect([...outputs.keys()]).toEqual([`${name}.augmix-error.json`]);
  const record = JSON.parse(outputs.get(`${name}.augmix-error.json`)!.bytes.toString('utf8'));
  expect(record).toMatchObject({ input: name, error: { code }, source: { eTag: md5(bytes) } });
}

beforeAll(async () => {
  server = await startS3TestServer([INPUT, OUTPUT]);
  s3 = server.client();
  jpegA = await encode(pattern(40, 30), 'jpeg', { quality: 90 });
  jpegB = await encode(gradient(50, 30), 'jpeg', { quality: 90 });
});

afterAll(async () => {
  s3?.destroy();
  await server?.close();
});

describe('outputs always describe the newest input (two invocations interleaved against s3rver)', () => {
  it('an older invocation whose writes land after the newer one’s sees the change and redoes its outputs', async () => {
    // Prepare: A reads version A, then is held before its first PutObject
    const a = gatedClient();
    const b = gatedClient();
    const eventA = await upload('race.jpg', jpegA);
    const heldPuts = a.hold('PutObjectCommand');
    const redone: [string | null, string | null][] = [];
    const runA = run(eventA, a.client, { onRedo: (w, c) => redone.push([w, c]) });
    await heldPuts.reached;
    // Act: version B is uploaded and fully processed by B; then A writes its (stale) outputs
    const eventB = await upload('race.jpg', jpegB);
    const outcomeB = await run(eventB, b.client);
    await expectOutputsOf('race.jpg', jpegB);
    heldPuts.release();
    const outcomeA = await runA;
    // Assess: A's re-check saw B's ETag and A redid the outputs from B's content
    expect(outcomeB).toMatchObject({ status: 'augmented', rounds: 1 });
    expect(outcomeA).toMatchObject({ status: 'augmented', rounds: 2, source: { eTag: md5(jpegB) } });
    expect(redone).toEqual([[md5(jpegA), md5(jpegB)]]);
    await expectOutputsOf('race.jpg', jpegB);
  });

  it('an overwrite that changes the format leaves only the new format’s variants, even interleaved', async () => {
    // Prepare: A (JPEG) writes its outputs and is held before its re-check
    const a = gatedClient();
    const eventA = await upload('format.img', jpegA);
    const heldCheck = a.hold('HeadObjectCommand');
    const runA = run(eventA, a.client);
    await heldCheck.reached;
    expect([...(await outputsOf('format.img')).keys()]).toContain('format.img.augmix-00.jpg');
    // Act: the object becomes a PNG, processed to the end; then A's re-check runs
    const eventB = await upload('format.img', png);
    await run(eventB, s3);
    heldCheck.release();
    const outcomeA = await runA;
    // Assess
    expect(outcomeA).toMatchObject({ status: 'augmented', rounds: 2 });
    await expectOutputsOf('format.img', png);
    expect([...(await outputsOf('format.img')).keys()].some((key) => key.endsWith('.jpg'))).toBe(false);
  });

  it('a good upload after a truncated one removes the failure record; a bad one after a good one removes the variants', async () => {
    const first = await upload('flip.jpg', truncated);
    expect(await run(first, s3)).toMatchObject({ status: 'failed', error: { code: 'truncated' } });
    await expectFailureOf('flip.jpg', 'truncated', truncated);

    const second = await upload('flip.jpg', jpegA);
    expect(await run(second, s3)).toMatchObject({ status: 'augmented' });
    await expectOutputsOf('flip.jpg', jpegA);

    const third = await upload('flip.jpg', truncated);
    expect(await run(third, s3)).toMatchObject({ status: 'failed' });
    await expectFailureOf('flip.jpg', 'truncated', truncated);
  });

  it('a failure held before its writes while a good version is processed ends with the good version', async () => {
    // Prepare: A read the truncated version and is held before writing its failure record
    const a = gatedClient();
    const eventA = await upload('late-failure.jpg', truncated);
    const heldPuts = a.hold('PutObjectCommand');
    const runA = run(eventA, a.client);
    await heldPuts.reached;
    // Act
    await run(await upload('late-failure.jpg', jpegB), s3);
    heldPuts.release();
    // Assess: A wrote its failure record and deleted B's variants, saw the new ETag, and redid it as B
    expect(await runA).toMatchObject({ status: 'augmented', rounds: 2 });
    await expectOutputsOf('late-failure.jpg', jpegB);
  });

  it('an event delivered after a newer version was processed changes nothing on its first receive, and reconciles on a retry', async () => {
    const eventA = await upload('order.jpg', jpegA);
    const eventB = await upload('order.jpg', jpegB);
    await run(eventB, s3);
    // Act: the older event arrives last
    const late = await run(eventA, s3);
    // Assess
    expect(late).toMatchObject({ status: 'superseded' });
    await expectOutputsOf('order.jpg', jpegB);
    // a redelivery (receive count 2) reconciles: same outputs, no superseded record
    expect(await run(eventA, s3, { receiveCount: 2 })).toMatchObject({
      status: 'augmented',
      source: { eTag: md5(jpegB) },
    });
    await expectOutputsOf('order.jpg', jpegB);
  });

  it('deleting the input while its outputs are written removes them (deleteOutputsOnInputDelete)', async () => {
    const a = gatedClient();
    const withDelete = config({ deleteOutputsOnInputDelete: true });
    const event = await upload('deleted.jpg', jpegA);
    const heldCheck = a.hold('HeadObjectCommand');
    const runA = run(event, a.client, { config: withDelete });
    await heldCheck.reached;
    await s3.send(new DeleteObjectCommand({ Bucket: INPUT, Key: 'in/deleted.jpg' }));
    heldCheck.release();
    expect(await runA).toMatchObject({ status: 'gone', deleted: expect.any(Number) });
    expect((await outputsOf('deleted.jpg')).size).toBe(0);
  });

  it('an ObjectRemoved event deletes the outputs with deleteOutputsOnInputDelete and keeps them without', async () => {
    const event = await upload('removed.jpg', jpegA);
    await run(event, s3);
    await s3.send(new DeleteObjectCommand({ Bucket: INPUT, Key: 'in/removed.jpg' }));
    const removal: S3ObjectEvent = { ...event, eventName: 'ObjectRemoved:Delete', eTag: null, size: null };
    // default: kept
    expect(await run(removal, s3)).toEqual({ status: 'gone', relativeKey: 'removed.jpg', deleted: null });
    await expectOutputsOf('removed.jpg', jpegA);
    // with the option: deleted
    const withDelete = config({ deleteOutputsOnInputDelete: true });
    expect(await run(removal, s3, { config: withDelete })).toMatchObject({ status: 'gone' });
    expect((await outputsOf('removed.jpg')).size).toBe(0);
  });

  it('a removal event for a key that exists again leaves it to the new object’s event', async () => {
    const event = await upload('back.jpg', jpegA);
    const removal: S3ObjectEvent = { ...event, eventName: 'ObjectRemoved:Delete', eTag: null, size: null };
    const withDelete = config({ deleteOutputsOnInputDelete: true });
    await run(event, s3);
    expect(await run(removal, s3, { config: withDelete })).toMatchObject({ status: 'superseded' });
    await expectOutputsOf('back.jpg', jpegA);
  });

  it('gives up (a transient error, so SQS retries) when the source changes during every round', async () => {
    const busy = gatedClient();
    const event = await upload('busy.jpg', jpegA);
    let gate = busy.hold('HeadObjectCommand');
    const running = run(event, busy.client, { receiveCount: 2 });
    for (let round = 1; round <= 3; round += 1) {
      // each round has written its outputs and waits before its re-check: the source changes meanwhile
      await gate.reached;
      await upload('busy.jpg', round % 2 === 1 ? jpegB : jpegA);
      const current = gate;
      gate = busy.hold('HeadObjectCommand');
      current.release();
    }
    await expect(running).rejects.toBeInstanceOf(SourceChangingError);
    gate.release();
    // the retry (a later receive) settles it
    expect(await run(event, s3, { receiveCount: 3 })).toMatchObject({ status: 'augmented', rounds: 1 });
    await expectOutputsOf('busy.jpg', jpegB);
  });
});

describe('keys that cannot be mirrored or stored', () => {
  it.each([
    ['in/a//b.jpg', 'in/a//b.jpg', 'invalid-key'],
    ['in/./b.jpg', 'in/./b.jpg', 'invalid-key'],
    ['in/a/../b.jpg', 'in/a/../b.jpg', 'invalid-key'],
    ['in//b.jpg (leading / after the prefix)', 'in//b.jpg', 'invalid-key'],
    ['in/a\\b.jpg', 'in/a\\b.jpg', 'invalid-key'],
    ['a 1,004-byte key', `in/${'x'.repeat(1000)}.jpg`, 'name-too-long'],
  ])('%s gets a failure record at a hashed name, before any other write', async (_label, key, code) => {
    const event: S3ObjectEvent = {
      eventName: 'ObjectCreated:Put',
      bucket: INPUT,
      key,
      size: 10,
      eTag: 'abc',
      versionId: null,
      sequencer: null,
    };
    const outcome = await run(event, s3);
    const recordKey = hashedFailureKey('out/', key);
    expect(recordKey.length).toBeLessThan(200);
    expect(outcome).toMatchObject({ status: 'failed', error: { code }, failureKey: recordKey });
    const stored = await s3.send(new GetObjectCommand({ Bucket: OUTPUT, Key: recordKey }));
    const record = JSON.parse(await stored.Body!.transformToString());
    expect(record).toMatchObject({ version: 1, input: key, error: { code, message: expect.any(String) } });
  });

  it('an ObjectRemoved event of such a key deletes its hashed failure record', async () => {
    const key = 'in/gone//twice.jpg';
    const created: S3ObjectEvent = {
      eventName: 'ObjectCreated:Put',
      bucket: INPUT,
      key,
      size: 10,
      eTag: 'abc',
      versionId: null,
      sequencer: null,
    };
    const recordKey = hashedFailureKey('out/', key);
    await run(created, s3);
    const listed = async (): Promise<number> =>
      (await s3.send(new ListObjectsV2Command({ Bucket: OUTPUT, Prefix: recordKey }))).KeyCount ?? 0;
    expect(await listed()).toBe(1);
    const removal = { ...created, eventName: 'ObjectRemoved:Delete', eTag: null, size: null };
    expect(await run(removal, s3, { config: config({ deleteOutputsOnInputDelete: true }) })).toMatchObject({
      status: 'gone',
      deleted: 1,
    });
    expect(await listed()).toBe(0);
  });

  it('measures the longest output name: a key whose outputs fit exactly passes, one byte more fails', () => {
    // 'out/' + relative key + '.augmix-error.json' (18 bytes, the longest suffix with 2 variants) = 1,024 bytes
    const fits = `${'y'.repeat(1024 - 4 - 18 - 4)}.jpg`;
    const cfg = config();
    expect(checkObjectKey(`in/${fits}`, fits, cfg)).toEqual({ ok: true });
    const over = checkObjectKey(`in/y${fits}`, `y${fits}`, cfg);
    expect(over).toMatchObject({ ok: false, error: { code: 'name-too-long' } });
    // multi-byte characters count in UTF-8 bytes
    const cjk = '漢'.repeat(335); // 1,005 bytes
    expect(checkObjectKey(`in/${cjk}`, cjk, cfg)).toMatchObject({ ok: false });
  });
});
