import { type _Object, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { INPUT_IMAGE_SUFFIXES } from '../../codec/formats.js';
import { createLimiter } from '../worker/limiter.js';

/** Suffixes backfilled by default (case-insensitive): what the stack's notification listens for. */
export const DEFAULT_BACKFILL_SUFFIXES: readonly string[] = INPUT_IMAGE_SUFFIXES;

/** `configurationId` of backfill messages, so the worker's logs tell them from S3's own. */
export const BACKFILL_CONFIGURATION_ID = 'augmix-backfill';

/** Options of `backfill`. */
export interface BackfillOptions {
  readonly bucket: string;
  /** Only keys under this prefix. @default '' */
  readonly prefix?: string;
  readonly queueUrl: string;
  /** Key suffixes to enqueue, matched case-insensitively; empty = every object. @default DEFAULT_BACKFILL_SUFFIXES */
  readonly suffixes?: readonly string[];
  /** List and count only. @default false */
  readonly dryRun?: boolean;
  /** `awsRegion` written into the events. @default 'us-east-1' */
  readonly region?: string;
  /** SendMessageBatch calls in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Called after each listed page with the running counts. */
  readonly onProgress?: (counts: BackfillCounts) => void;
}

export interface BackfillCounts {
  /** Objects listed under the prefix. */
  readonly listed: number;
  /** Messages sent (or, in a dry run, that would be sent). */
  readonly enqueued: number;
  /** Folder markers and keys without a matching suffix. */
  readonly skipped: number;
  /** Messages SQS refused twice. */
  readonly failed: number;
}

/**
 * Enqueues one S3-notification-shaped message per existing object under a prefix, so that the same workers
 * augment a dataset that was uploaded before the stack existed. Each message is what S3 would send for the
 * object (`ObjectCreated:Put` with its URL-encoded key, size and ETag), so the worker's ETag-guarded read,
 * naming and idempotence apply unchanged; `configurationId` is `augmix-backfill`.
 */
export async function backfill(
  s3: S3Client,
  sqs: SQSClient,
  options: BackfillOptions,
): Promise<BackfillCounts> {
  const { bucket, prefix = '', queueUrl, dryRun = false, region = 'us-east-1', onProgress } = options;
  const suffixes = (options.suffixes ?? DEFAULT_BACKFILL_SUFFIXES).map((suffix) => suffix.toLowerCase());
  const limit = createLimiter(options.concurrency ?? 8);
  const counts = { listed: 0, enqueued: 0, skipped: 0, failed: 0 };
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    const objects = page.Contents ?? [];
    counts.listed += objects.length;
    const wanted = objects.filter((object) => isWanted(object, suffixes));
    counts.skipped += objects.length - wanted.length;
    const time = new Date().toISOString();
    const entries = wanted.map((object, index) => ({
      Id: String(index),
      MessageBody: backfillMessage(bucket, object, region, time),
    }));
    if (dryRun) {
      counts.enqueued += entries.length;
    } else {
      const batches = chunk(entries, 10);
      const results = await Promise.all(batches.map((batch) => limit(() => sendBatch(sqs, queueUrl, batch))));
      for (const failed of results) {
        counts.enqueued += failed.sent;
        counts.failed += failed.failed;
      }
    }
    onProgress?.({ ...counts });
  }
  return counts;
}

/** The S3 event notification body S3 would send for an existing object. */
export function backfillMessage(bucket: string, object: _Object, region: string, time: string): string {
  const key = object.Key ?? '';
  const eTag = object.ETag?.replace(/^"|"$/g, '');
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: time,
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: BACKFILL_CONFIGURATION_ID },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: {},
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: BACKFILL_CONFIGURATION_ID,
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: {
            key: encodeS3Key(key),
            ...(object.Size === undefined ? {} : { size: object.Size }),
            ...(eTag === undefined ? {} : { eTag }),
          },
        },
      },
    ],
  });
}

/** Encodes a key as S3 event notifications do: form-URL-encoding (space → `+`, `(` → `%28`), `/` kept. */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}

function isWanted(object: _Object, suffixes: readonly string[]): boolean {
  const key = object.Key;
  if (key === undefined || key === '' || key.endsWith('/')) return false;
  if (suffixes.length === 0) return true;
  const lower = key.toLowerCase();
  return suffixes.some((suffix) => lower.endsWith(suffix));
}

/** Sends one batch; entries SQS refuses are sent once more. */
async function sendBatch(
  sqs: SQSClient,
  queueUrl: string,
  entries: SendMessageBatchRequestEntry[],
): Promise<{ sent: number; failed: number }> {
  let pending = entries;
  let sent = 0;
  for (let attempt = 0; attempt < 2 && pending.length > 0; attempt++) {
    const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }));
    sent += result.Successful?.length ?? 0;
    const failedIds = new Set((result.Failed ?? []).map((entry) => entry.Id));
    pending = pending.filter((entry) => failedIds.has(entry.Id));
  }
  return { sent, failed: pending.length };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
