import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Message } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseS3Notification } from '../../src/aws/worker/s3-event.js';
import { lambdaContext, objectBytes } from '../lambda/event-fixtures.js';
import { S3RVER_CREDENTIALS, type S3TestServer, startS3TestServer } from '../lambda/s3-test-server.js';
import { drain, type LocalSqs, runCli, startLocalSqs } from './status-dlq-helpers.js';

const BUCKET = 'backfill-input';
const OUTPUT = 'backfill-output';
const OBJECTS: Record<string, Buffer> = {
  'uploads/my photo(1).jpg': objectBytes('photo.jpg'),
  'uploads/café/☕.PNG': objectBytes('cup.png'),
  'uploads/a+b.png': objectBytes('cup.png'),
  'uploads/labels.csv': Buffer.from('file,label\n'),
  'uploads/empty-folder/': Buffer.alloc(0),
  'elsewhere/x.jpg': objectBytes('photo.jpg'),
};

let s3Server: S3TestServer;
let local: LocalSqs;
let s3: S3Client;
let counter = 0;

beforeAll(async () => {
  [s3Server, local] = await Promise.all([startS3TestServer([BUCKET, OUTPUT]), startLocalSqs()]);
  s3 = s3Server.client();
  for (const [key, body] of Object.entries(OBJECTS)) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  }
});

afterAll(async () => {
  s3?.destroy();
  await Promise.all([s3Server?.close(), local?.close()]);
});

async function backfillInto(...extra: string[]) {
  counter += 1;
  const { queueUrl } = await local.createPipelineQueues(`backfill-${counter}`);
  const args = ['backfill', 'enqueue', '--bucket', BUCKET, '--prefix', 'uploads/', '--queue-url', queueUrl];
  const result = await runCli(
    [...args, '--endpoint-url', local.endpoint, '--s3-endpoint-url', s3Server.endpoint, ...extra],
    {
      env: {
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
        NODE_OPTIONS: '--openssl-legacy-provider',
      },
    },
  );
  return { result, messages: await drain(local.sqs, queueUrl) };
}

function objectsOf(messages: readonly Message[]) {
  return messages
    .flatMap((message) => {
      const notification = parseS3Notification(message.Body ?? '');
      return notification.kind === 'records' ? notification.created : [];
    })
    .map(({ eventName, bucket, key, size, eTag }) => ({ eventName, bucket, key, size, eTag }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex');
}

describe('augmix backfill (s3rver and local-aws-sqs)', () => {
  it('enqueues one S3-shaped notification per image under the prefix', async () => {
    const { result, messages } = await backfillInto();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Listed 5 object(s): enqueued 3, skipped 2 (folders or other suffixes).');
    expect(objectsOf(messages)).toEqual(
      ['uploads/a+b.png', 'uploads/café/☕.PNG', 'uploads/my photo(1).jpg'].map((key) => ({
        eventName: 'ObjectCreated:Put',
        bucket: BUCKET,
        key,
        size: OBJECTS[key]?.length,
        eTag: md5(OBJECTS[key] ?? Buffer.alloc(0)),
      })),
    );
    expect(messages.map((message) => message.Body).join('\n')).toContain(
      '"key":"uploads/my+photo%281%29.jpg"',
    );
  });

  it('enqueues every object but folder markers with --all, and nothing with --dry-run', async () => {
    const all = await backfillInto('--all');
    expect(all.result.code).toBe(0);
    expect(objectsOf(all.messages).map((object) => object.key)).toContain('uploads/labels.csv');
    expect(all.messages).toHaveLength(4);
    const dry = await backfillInto('--dry-run');
    expect(dry.result.code).toBe(0);
    expect(dry.result.stdout).toContain('would enqueue 3, skipped 2');
    expect(dry.messages).toEqual([]);
  });

  it('feeds the deployed worker: the enqueued messages are augmented like uploads', async () => {
    // Prepare: the messages as Lambda would deliver them, and a cold worker pointed at the same S3 server
    const { messages } = await backfillInto('--suffix', '.jpg');
    const event: SQSEvent = {
      Records: messages.map((message) => ({
        messageId: message.MessageId ?? '',
        receiptHandle: message.ReceiptHandle ?? '',
        body: message.Body ?? '',
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '0',
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
        md5OfBody: message.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:backfill',
        awsRegion: 'us-east-1',
      })),
    };
    Object.assign(process.env, {
      ...s3Server.workerEnv,
      OUTPUT_BUCKET: OUTPUT,
      INPUT_PREFIX: 'uploads/',
      OUTPUT_PREFIX: '',
      AUGMIX_SETTINGS: '{"variants": 1}',
      POWERTOOLS_LOG_LEVEL: 'CRITICAL',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    vi.resetModules();
    const { handler } = await import('../../lambda/augment-worker.js');
    // Act
    const response = await handler(event, lambdaContext());
    // Assess
    expect(messages).toHaveLength(1);
    expect(response).toEqual({ batchItemFailures: [] });
    const written = await s3.send(
      new GetObjectCommand({ Bucket: OUTPUT, Key: 'my photo(1).jpg.augmix-00.jpg' }),
    );
    expect(written.ContentType).toBe('image/jpeg');
  });

  it('rejects --all with --suffix', async () => {
    const result = await runCli([
      'backfill',
      'enqueue',
      '--bucket',
      BUCKET,
      '--queue-url',
      'q',
      '--all',
      '--suffix',
      '.png',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--all and --suffix exclude each other');
  });
});
