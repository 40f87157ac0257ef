import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3TestServer, startS3TestServer, UNAVAILABLE_BUCKET } from '../lambda/s3-test-server.js';
import { CLI, type CliResult, listFiles, sortedManifest, writePicture, writeText } from './run-fixtures.js';

const INPUT = 'augmix-in';
const OUTPUT = 'augmix-out';
const PREFIX = 'datasets/train/';

/** The images of the dataset (relative keys): nested folders, a space, non-ASCII names, three formats. */
const IMAGES = ['cat/a.png', 'dog/deep/b.jpg', 'my photo.png', 'café/☕.webp'] as const;
const CORRUPT = 'bad/corrupt.jpg';
const OTHER = 'labels.csv';
const OPTIONS = ['--variants', '2', '--seed', '5'];

let server: S3TestServer;
let s3: S3Client;
let work: string;
/** The dataset as a local folder (the same files as under PREFIX in the input bucket). */
let local: string;
/** `augmix run` of the local folder into a local folder: what every other front end must reproduce. */
let reference: string;
let referenceResult: CliResult;

/**
 * Runs the CLI in a child process as a user on a laptop without an AWS account: no credentials, no config
 * files, no instance metadata. Only `extra` is added.
 */
function augmixLocal(args: readonly string[], extra: Record<string, string> = {}): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('AWS_')) env[name] = value;
  }
  Object.assign(env, {
    AWS_CONFIG_FILE: path.join(work, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  });
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
    cwd: work,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

async function objectKeys(bucket: string, prefix: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((object) => (object.Key ?? '').slice(prefix.length)).sort();
}

async function objectBytes(bucket: string, key: string): Promise<Buffer> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await response.Body!.transformToByteArray());
}

/** Expects every output file of the reference run to exist under `prefix` of the output bucket, byte for byte. */
/**
 * The outputs under `prefix` (a bucket) or in `folder` are the reference run's: the same names, images byte
 * for byte, provenance documents equal but for the source key, which is the object key (`sourceKeyPrefix` +
 * relative key) for an S3 input and the relative path for a folder.
 */
async function expectSameOutputs(
  read: (name: string) => Promise<Buffer>,
  names: readonly string[],
  sourceKeyPrefix: string,
): Promise<void> {
  const files = (await listFiles(reference)).filter((name) => name !== 'manifest.jsonl');
  expect(names.filter((name) => name !== 'manifest.jsonl' && !name.endsWith('.augmix-error.json'))).toEqual(
    files,
  );
  for (const name of files) {
    const stored = await read(name);
    const expected = await readFile(path.join(reference, name));
    if (!name.endsWith('.augmix.json')) {
      expect(stored.equals(expected), name).toBe(true);
      continue;
    }
    const document = JSON.parse(stored.toString('utf8'));
    const wanted = JSON.parse(expected.toString('utf8'));
    expect(document).toEqual({
      ...wanted,
      source: { ...wanted.source, key: `${sourceKeyPrefix}${wanted.source.key}` },
    });
  }
}

async function expectSameObjects(prefix: string, sourceKeyPrefix: string): Promise<void> {
  const keys = await objectKeys(OUTPUT, prefix);
  expect(keys).toContain(`${CORRUPT}.augmix-error.json`);
  await expectSameOutputs((name) => objectBytes(OUTPUT, `${prefix}${name}`), keys, sourceKeyPrefix);
}

/** Manifest lines without the source fingerprints (a file's size and mtime, an object's size and ETag). */
function withoutFingerprints(lines: readonly string[]): string[] {
  return lines
    .filter((line) => line !== '')
    .map((line) => {
      const { source: _source, ...rest } = JSON.parse(line) as Record<string, unknown>;
      return JSON.stringify(rest);
    })
    .sort();
}

function summaryOf(result: CliResult): Record<string, unknown> {
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'augmix-run-s3-'));
  local = path.join(work, 'train');
  await writePicture(path.join(local, 'cat', 'a.png'), 48, 40, 1);
  await writePicture(path.join(local, 'dog', 'deep', 'b.jpg'), 40, 48, 2);
  await writePicture(path.join(local, 'my photo.png'), 32, 32, 3);
  await writePicture(path.join(local, 'café', '☕.webp'), 36, 30, 4);
  await writeText(path.join(local, CORRUPT), 'this is not a JPEG');
  await writeText(path.join(local, OTHER), 'file,label\ncat/a.png,cat\n');

  server = await startS3TestServer([INPUT, OUTPUT]);
  s3 = server.client();
  for (const key of [...IMAGES, CORRUPT, OTHER]) {
    const body = await readFile(path.join(local, key));
    await s3.send(new PutObjectCommand({ Bucket: INPUT, Key: `${PREFIX}${key}`, Body: body }));
  }
  // a folder marker (as the S3 console makes them) and an object outside the prefix: neither is an input
  await s3.send(new PutObjectCommand({ Bucket: INPUT, Key: `${PREFIX}empty/`, Body: Buffer.alloc(0) }));
  await s3.send(
    new PutObjectCommand({ Bucket: INPUT, Key: 'elsewhere/x.png', Body: Buffer.from('not listed') }),
  );

  reference = path.join(work, 'reference');
  referenceResult = await augmixLocal(['run', local, reference, ...OPTIONS, '--json']);
});

afterAll(async () => {
  s3?.destroy();
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

describe('augmix run s3:// → s3:// against a local S3 server, without AWS credentials', () => {
  const manifest = (): string => path.join(work, 's3.manifest.jsonl');
  const command = (): string[] => [
    'run',
    `s3://${INPUT}/${PREFIX.slice(0, -1)}`, // no trailing slash: the prefix is a folder all the same
    `s3://${OUTPUT}/augmented/`,
    '--endpoint-url',
    server.endpoint,
    '--manifest',
    manifest(),
    ...OPTIONS,
    '--json',
  ];
  let result: CliResult;

  beforeAll(async () => {
    result = await augmixLocal(command());
  });

  it('exits 1 for the corrupt image, counting the non-image as ignored and skipping the folder marker', () => {
    expect(referenceResult.code).toBe(1);
    expect(result.code).toBe(1);
    expect(summaryOf(result)).toMatchObject({
      images: 5,
      processed: 5,
      failed: 1,
      skipped: 0,
      variants: 8,
      ignored: 1,
      hidden: 0,
      problems: 0,
      manifest: manifest(),
    });
    expect(result.stderr).toContain(`augmix run: s3://${INPUT}/${PREFIX}${CORRUPT}: `);
  });

  it('writes the same objects, byte for byte, as augmix run writes files from a local copy', async () => {
    await expectSameObjects('augmented/', PREFIX);
    const stored = await s3.send(
      new HeadObjectCommand({ Bucket: OUTPUT, Key: 'augmented/café/☕.webp.augmix-01.webp' }),
    );
    expect(stored.ContentType).toBe('image/webp');
  });

  it('writes a failure record for the corrupt image, as the deployed worker does', async () => {
    const record = JSON.parse(
      (await objectBytes(OUTPUT, `augmented/${CORRUPT}.augmix-error.json`)).toString('utf8'),
    ) as unknown;
    expect(record).toEqual({
      version: 1,
      input: CORRUPT,
      error: { code: 'not-an-image', message: expect.stringContaining(CORRUPT) },
      source: { key: `${PREFIX}${CORRUPT}`, eTag: expect.stringMatching(/^[0-9a-f]{32}$/), size: 18 },
    });
  });

  it('keeps a local manifest equal to the folder run’s, and resumes from it', async () => {
    expect(withoutFingerprints((await readFile(manifest(), 'utf8')).split('\n'))).toEqual(
      withoutFingerprints(await sortedManifest(reference)),
    );
    expect(await readFile(manifest(), 'utf8')).toContain('"source":{"size":');
    const again = await augmixLocal(command());
    expect(again.code).toBe(1); // the corrupt image is tried again, and fails again
    expect(summaryOf(again)).toMatchObject({ images: 5, skipped: 4, processed: 1, failed: 1, variants: 0 });
    expect(again.stderr).toContain('trying 1 input(s) that failed before again');
  });
});

describe('augmix run between a bucket and a folder', () => {
  // --concurrency 1 runs in the main thread (InlinePool), 2 in worker threads: the same outputs
  it.each(['1', '2'])(
    's3:// → folder writes the reference files and manifest (--concurrency %s)',
    async (concurrency) => {
      const out = path.join(work, `from-s3-${concurrency}`);
      const result = await augmixLocal([
        'run',
        `s3://${INPUT}/${PREFIX}`,
        out,
        '--endpoint-url',
        server.endpoint,
        ...OPTIONS,
        '--concurrency',
        concurrency,
      ]);
      expect(result.code).toBe(1);
      expect(await listFiles(out)).toEqual(await listFiles(reference));
      await expectSameOutputs((name) => readFile(path.join(out, name)), await listFiles(out), PREFIX);
      expect(withoutFingerprints(await sortedManifest(out))).toEqual(
        withoutFingerprints(await sortedManifest(reference)),
      );
    },
  );

  it.each(['1', '2'])(
    'folder → s3:// writes the reference objects and failure record (manifest by default in the current folder; --concurrency %s)',
    async (concurrency) => {
      const result = await augmixLocal([
        'run',
        local,
        `s3://${OUTPUT}/from-folder-${concurrency}`,
        '--endpoint-url',
        server.endpoint,
        ...OPTIONS,
        '--concurrency',
        concurrency,
        '--json',
      ]);
      expect(result.code).toBe(1);
      const { manifest } = summaryOf(result) as { manifest: string };
      expect(path.dirname(manifest)).toBe(work);
      expect(path.basename(manifest)).toMatch(/^augmix-[0-9a-f]{12}\.manifest\.jsonl$/);
      await expectSameObjects(`from-folder-${concurrency}/`, '');
    },
  );
});

describe('augmix run s3:// exit status when the run cannot start or go on', () => {
  it('exits 3 when the output bucket answers every write with an error', async () => {
    const result = await augmixLocal(
      [
        'run',
        `s3://${INPUT}/${PREFIX}`,
        `s3://${UNAVAILABLE_BUCKET}/out/`,
        '--endpoint-url',
        server.endpoint,
        '--manifest',
        path.join(work, 'unavailable.manifest.jsonl'),
        ...OPTIONS,
      ],
      { AWS_MAX_ATTEMPTS: '1' },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`cannot write to s3://${UNAVAILABLE_BUCKET}/out/`);
    expect(result.stderr).toContain('SlowDown');
  });

  it('exits 3 when the output bucket does not exist, and 2 when the input bucket does not', async () => {
    const input = `s3://${INPUT}/${PREFIX}`;
    const endpoint = ['--endpoint-url', server.endpoint];
    const noOutput = await augmixLocal(['run', input, 's3://no-such-bucket/out/', ...endpoint]);
    expect(noOutput.code).toBe(3);
    expect(noOutput.stderr).toContain('cannot write to s3://no-such-bucket/out/: the bucket does not exist');
    const noInput = await augmixLocal(['run', 's3://no-such-bucket/in/', `s3://${OUTPUT}/x/`, ...endpoint]);
    expect(noInput.code).toBe(2);
    expect(noInput.stderr).toContain('the input bucket of s3://no-such-bucket/in/ does not exist');
  });

  it('exits 2 when the output prefix holds the input prefix of the same bucket', async () => {
    const result = await augmixLocal([
      'run',
      `s3://${INPUT}/${PREFIX}`,
      `s3://${INPUT}/datasets/`,
      '--endpoint-url',
      server.endpoint,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('must not hold the input');
  });
});
