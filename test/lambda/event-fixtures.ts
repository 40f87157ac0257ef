import { readFileSync } from 'node:fs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

const FIXTURES = new URL('../fixtures/events/', import.meta.url);

/** Names of the committed SQS event fixtures (`test/fixtures/events/<name>.json`). */
export type EventFixture =
  | 'put-encoded-key'
  | 'put-unicode-key'
  | 'test-event'
  | 'duplicate-delivery'
  | 'multiple-records'
  | 'overwritten-object'
  | 'deleted-object'
  | 'not-an-image'
  | 'truncated-image'
  | 'object-removed'
  | 'malformed-body'
  | 'unavailable-bucket';

/** An SQS event exactly as Lambda delivers it: S3 notifications as JSON strings in the message bodies. */
export function loadEvent(name: EventFixture): SQSEvent {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as SQSEvent;
}

/** One SQS batch made of the records of several fixtures, in order. */
export function batchOf(...names: EventFixture[]): SQSEvent {
  return { Records: names.flatMap((name) => loadEvent(name).Records) };
}

/** The only SQS record of a fixture. */
export function onlyRecord(name: EventFixture): SQSRecord {
  const [record, ...rest] = loadEvent(name).Records;
  if (record === undefined || rest.length > 0) throw new Error(`${name} holds ${rest.length + 1} records`);
  return record;
}

/** Bytes of an object the fixtures' events describe (`test/fixtures/events/objects/<file>`). */
export function objectBytes(file: 'photo.jpg' | 'cup.png' | 'truncated.jpg' | 'readme.jpg'): Buffer {
  return readFileSync(new URL(`objects/${file}`, FIXTURES));
}

/** The bucket and prefix the fixtures use. */
export const FIXTURE_INPUT = { bucket: 'augmix-input', prefix: 'uploads/' } as const;

/** A Lambda context like the runtime passes (as Powertools' testing helpers build it). */
export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'AugmixPipeline-Worker',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:AugmixPipeline-Worker',
    memoryLimitInMB: '3008',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: '/aws/lambda/AugmixPipeline-Worker',
    logStreamName: '2026/09/01/[$LATEST]abcdef0123456789',
    getRemainingTimeInMillis: () => 120_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
