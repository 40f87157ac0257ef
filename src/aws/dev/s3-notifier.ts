/**
 * The input bucket's event notifications: every object s3rver creates (or deletes) becomes an SQS message
 * shaped like S3's own (`eventVersion` 2.1, the key URL-encoded as S3 encodes it, size and ETag without quotes
 * for created objects, a sequencer that grows per key), sent to the work queue when the event type and key
 * match one of the stack's notification configurations (literal prefix and suffix, as S3 filters). On start
 * the queue gets the `s3:TestEvent` S3 sends when a notification configuration is put.
 */
import { randomBytes } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { KeyFilter } from '../../../lib/stack-worker.js';
import type { CreationKind, S3rverRecord } from './s3-front.js';
import { encodeEventKey } from './s3-keys.js';

export interface NotifierOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly region: string;
  readonly bucket: string;
  readonly filters: readonly KeyFilter[];
  /** ETag of an object whose s3rver record lacks one (copies). */
  readonly currentETag: (bucket: string, key: string) => Promise<string | undefined>;
  /** Share of notifications sent twice (S3 delivers at least once), drawn from `random`. */
  readonly duplicateRate: number;
  readonly random: () => number;
  readonly log: (line: string) => void;
}

/** Sends S3-shaped notifications for s3rver's records. */
export class S3Notifier {
  private sequence = 0n;
  private pending = new Set<Promise<void>>();
  /** Notifications sent (duplicates included). */
  sent = 0;

  constructor(private readonly options: NotifierOptions) {}

  /** Sends the `s3:TestEvent` of a new notification configuration. */
  async sendTestEvent(): Promise<void> {
    const body = {
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: new Date().toISOString(),
      Bucket: this.options.bucket,
      RequestId: hex(8),
      HostId: randomBytes(48).toString('base64'),
    };
    await this.send(JSON.stringify(body));
  }

  /** Handles one s3rver record (called synchronously from s3rver's event). */
  onRecord(record: S3rverRecord, kind: CreationKind | null): void {
    const task = this.notify(record, kind).catch((error: unknown) => {
      this.options.log(`notification for ${record.s3.object.key} failed: ${String(error)}`);
    });
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  /** Waits for the notifications being sent. */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async notify(record: S3rverRecord, kind: CreationKind | null): Promise<void> {
    const { bucket, filters } = this.options;
    const key = record.s3.object.key;
    if (record.s3.bucket.name !== bucket) return;
    const created = record.eventName.startsWith('ObjectCreated:');
    const eventName = created
      ? `ObjectCreated:${kind ?? record.eventName.slice('ObjectCreated:'.length)}`
      : record.eventName;
    const matches = (f: KeyFilter): boolean =>
      f.events.some((type) => eventMatches(type, eventName)) &&
      key.startsWith(f.prefix) &&
      key.endsWith(f.suffix);
    if (!filters.some(matches)) return;
    const object: Record<string, unknown> = { key: encodeEventKey(key) };
    if (created) {
      let eTag = record.s3.object.eTag;
      if (eTag === undefined) eTag = (await this.options.currentETag(bucket, key))?.replace(/"/g, '');
      const size = record.s3.object.size;
      if (size !== undefined) object.size = Number(size);
      if (eTag !== undefined) object.eTag = eTag;
    }
    object.sequencer = this.nextSequencer();
    const body = JSON.stringify({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: this.options.region,
          eventTime: new Date().toISOString(),
          eventName,
          userIdentity: { principalId: 'AWS:AUGMIXDEVUSER' },
          requestParameters: { sourceIPAddress: '127.0.0.1' },
          responseElements: { 'x-amz-request-id': hex(8), 'x-amz-id-2': randomBytes(48).toString('base64') },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'augmix-dev',
            bucket: {
              name: bucket,
              ownerIdentity: { principalId: 'AUGMIXDEVOWNER' },
              arn: `arn:aws:s3:::${bucket}`,
            },
            object,
          },
        },
      ],
    });
    await this.send(body);
    if (this.options.random() < this.options.duplicateRate) {
      this.options.log(`notification for ${key} delivered twice (--duplicate-notifications)`);
      await this.send(body);
    }
  }

  private async send(body: string): Promise<void> {
    await this.options.sqs.send(
      new SendMessageCommand({ QueueUrl: this.options.queueUrl, MessageBody: body }),
    );
    this.sent += 1;
  }

  /** 18 upper-case hex digits that grow with time and within a millisecond. */
  private nextSequencer(): string {
    this.sequence += 1n;
    const value = (BigInt(Date.now()) << 24n) + (this.sequence & 0xffffffn);
    return value.toString(16).toUpperCase().padStart(18, '0');
  }
}

/** Whether a configured event type (`s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`) covers an event name. */
export function eventMatches(type: string, eventName: string): boolean {
  const pattern = type.replace(/^s3:/, '');
  return pattern.endsWith(':*') ? eventName.startsWith(pattern.slice(0, -1)) : pattern === eventName;
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex').toUpperCase();
}
