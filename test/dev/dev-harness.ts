import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DevInfo } from '../../src/aws/dev/dev-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Environment of the spawned CLI: no AWS configuration of the machine leaks in. */
const CLI_ENV = {
  PATH: process.env.PATH ?? '',
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** A running `augmix dev` (spawned from dist/, as a user runs it) and clients for it. */
export interface RunningDev {
  readonly info: DevInfo;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  /** Everything it printed so far. */
  output(): string;
  /** Ctrl-C: resolves with the exit code and the `stopped` line's counters. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; stats: DevStats }>;
}

export interface DevStats {
  invocations: number;
  timedOut: number;
  crashed: number;
  failed: number;
  messagesReturned: number;
  notifications: number;
  faults: { slowDown: number; internalError: number; reset: number; stalled: number } | null;
  peakRssBytes: { server: number; functionMax: number; functionSum: number };
}

/** Spawns `augmix dev --port 0 ...args` and waits for its `ready` line. */
export async function startDev(args: readonly string[]): Promise<RunningDev> {
  const child = spawn(process.execPath, ['dist/bin/augmix.js', 'dev', '--port', '0', ...args], {
    cwd: ROOT,
    env: CLI_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const info = await waitForReady(child, () => output);
  const credentials = { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey };
  const s3 = new S3Client({
    endpoint: info.endpoint,
    region: info.region,
    credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const sqs = new SQSClient({ endpoint: info.endpoint, region: info.region, credentials });
  return {
    info,
    s3,
    sqs,
    output: () => output,
    stop: async () => {
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('close', (code, signal) => resolve({ code, signal })),
      );
      child.kill('SIGINT');
      const { code, signal } = await exited;
      s3.destroy();
      sqs.destroy();
      const line = output.split('\n').find((l) => l.startsWith('stopped '));
      return { code, signal, stats: JSON.parse(line?.slice('stopped '.length) ?? 'null') as DevStats };
    },
  };
}

function waitForReady(child: ChildProcess, output: () => string): Promise<DevInfo> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const line = output()
        .split('\n')
        .find((l) => l.startsWith('ready ') && output().includes(`${l}\n`));
      if (line !== undefined) {
        cleanup();
        resolve(JSON.parse(line.slice('ready '.length)) as DevInfo);
      }
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`augmix dev exited with ${code} before it was ready:\n${output()}`));
    };
    const cleanup = (): void => {
      child.stdout?.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', check);
    child.on('exit', onExit);
  });
}

/** Uploads objects concurrently with the SDK. */
export async function upload(dev: RunningDev, objects: ReadonlyMap<string, Uint8Array>): Promise<void> {
  await Promise.all(
    [...objects].map(([key, body]) =>
      dev.s3.send(
        new PutObjectCommand({
          Bucket: dev.info.inputBucket,
          Key: `${dev.info.inputPrefix}${key}`,
          Body: body,
        }),
      ),
    ),
  );
}

/** Queue depths: visible, in flight (received, not deleted) and delayed. */
export async function depth(dev: RunningDev, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await dev.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

/** Waits until the work queue has held nothing (visible or in flight) for `quietMs`. */
export async function waitForIdle(dev: RunningDev, timeoutMs: number, quietMs = 1500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietSince: number | null = null;
  while (Date.now() < deadline) {
    if ((await depth(dev, dev.info.queueUrl)) === 0) {
      quietSince ??= Date.now();
      if (Date.now() - quietSince >= quietMs) return;
    } else {
      quietSince = null;
    }
    await sleep(100);
  }
  throw new Error(`the work queue did not drain within ${timeoutMs} ms:\n${dev.output().slice(-4000)}`);
}

/** Every object of a bucket: key → bytes. */
export async function snapshot(dev: RunningDev, bucket: string): Promise<Map<string, Buffer>> {
  const objects = new Map<string, Buffer>();
  let token: string | undefined;
  do {
    const page = await dev.s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const { Key } of page.Contents ?? []) {
      if (Key === undefined) continue;
      const object = await dev.s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
      objects.set(Key, Buffer.from(await object.Body!.transformToByteArray()));
    }
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return objects;
}
