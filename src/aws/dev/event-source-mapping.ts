/**
 * Lambda's SQS event source mapping, for `augmix dev`: pollers (up to the mapping's maximum concurrency) long-
 * poll the work queue, gather a batch (up to the batch size, for at most the batching window after the first
 * message), invoke the function with an SQS event shaped like Lambda's, and then:
 * - on success, delete every message except the `batchItemFailures` (with `ReportBatchItemFailures`); a
 *   response that names a message not in the batch, or an empty identifier, fails the whole batch, as on Lambda;
 * - on an error, a timeout or a crash, delete nothing.
 * Messages not deleted come back after the queue's visibility timeout; SQS itself moves a message to the DLQ
 * after `maxReceiveCount` receives (the queue's redrive policy).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { FunctionInstance, InvokeOutcome } from './function-runner.js';

export interface EventSourceMappingOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly reportBatchItemFailures: boolean;
  /** One function instance per poller. */
  readonly instances: readonly FunctionInstance[];
  /** Fault injection: how many of the first invocations are killed mid-batch, and after how many PUTs. */
  readonly killInvocations: number;
  readonly killAfterPuts: number;
  /** Fault injection: how many invocations after those find their input reads hanging (`setStall`). */
  readonly stallInvocations: number;
  readonly setStall: (active: boolean) => void;
  readonly log: (line: string) => void;
}

/** Counters of the mapping. */
export interface MappingStats {
  invocations: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  crashed: number;
  messagesDeleted: number;
  messagesReturned: number;
}

/** How long one receive waits for messages; short so that a stop is quick. */
const WAIT_SECONDS = 1;

export class EventSourceMapping {
  readonly stats: MappingStats = {
    invocations: 0,
    succeeded: 0,
    failed: 0,
    timedOut: 0,
    crashed: 0,
    messagesDeleted: 0,
    messagesReturned: 0,
  };
  private readonly stop = new AbortController();
  private loops: Promise<void>[] = [];
  private killsLeft: number;
  private stallsLeft: number;

  constructor(private readonly options: EventSourceMappingOptions) {
    this.killsLeft = options.killInvocations;
    this.stallsLeft = options.stallInvocations;
  }

  start(): void {
    this.loops = this.options.instances.map((instance) => this.poll(instance));
  }

  /** Stops polling; the invocations running are ended by killing their instances. */
  async close(): Promise<void> {
    this.stop.abort();
    for (const instance of this.options.instances) instance.dispose();
    await Promise.allSettled(this.loops);
  }

  private async poll(instance: FunctionInstance): Promise<void> {
    while (!this.stop.signal.aborted) {
      let batch: Message[];
      try {
        batch = await this.gather();
      } catch (error) {
        if (this.stop.signal.aborted) return;
        this.options.log(`receive failed: ${String(error)}`);
        await sleep(500).catch(() => undefined);
        continue;
      }
      if (batch.length === 0 || this.stop.signal.aborted) continue;
      const kill = this.killsLeft > 0 ? this.options.killAfterPuts : null;
      const stall = kill === null && this.stallsLeft > 0;
      if (kill !== null) this.killsLeft -= 1;
      if (stall) {
        this.stallsLeft -= 1;
        this.options.setStall(true);
      }
      this.stats.invocations += 1;
      const outcome = await instance.invoke(this.eventOf(batch), kill);
      if (stall) this.options.setStall(false);
      if (this.stop.signal.aborted) return;
      await this.settle(batch, outcome).catch((error: unknown) => {
        this.options.log(`deleting processed messages failed: ${String(error)}`);
      });
    }
  }

  /** Receives up to the batch size, for at most the batching window after the first message. */
  private async gather(): Promise<Message[]> {
    const { batchSize, maxBatchingWindowSeconds } = this.options;
    const batch: Message[] = [];
    let windowEnds = Number.POSITIVE_INFINITY;
    while (batch.length < batchSize && !this.stop.signal.aborted) {
      const left = windowEnds - Date.now();
      if (batch.length > 0 && left <= 0) break;
      const waitSeconds = batch.length === 0 ? WAIT_SECONDS : Math.min(WAIT_SECONDS, Math.floor(left / 1000));
      const { Messages = [] } = await this.options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.options.queueUrl,
          MaxNumberOfMessages: Math.min(10, batchSize - batch.length),
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: this.stop.signal },
      );
      if (batch.length === 0 && Messages.length > 0)
        windowEnds = Date.now() + maxBatchingWindowSeconds * 1000;
      batch.push(...Messages);
      if (batch.length === 0) return batch;
      if (Messages.length === 0 && waitSeconds === 0) await sleep(Math.min(100, Math.max(0, left)));
    }
    return batch;
  }

  private eventOf(batch: readonly Message[]): unknown {
    return {
      Records: batch.map((message) => ({
        messageId: message.MessageId,
        receiptHandle: message.ReceiptHandle,
        body: message.Body ?? '',
        attributes: message.Attributes ?? {},
        messageAttributes: Object.fromEntries(
          Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
            name,
            {
              stringValue: value.StringValue,
              binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : undefined,
              stringListValues: [],
              binaryListValues: [],
              dataType: value.DataType,
            },
          ]),
        ),
        md5OfBody: message.MD5OfBody,
        eventSource: 'aws:sqs',
        eventSourceARN: this.options.queueArn,
        awsRegion: this.options.region,
      })),
    };
  }

  private async settle(batch: readonly Message[], outcome: InvokeOutcome): Promise<void> {
    const ms = Math.round(outcome.durationMs);
    let keep: Set<string>;
    if (outcome.status === 'ok') {
      const failures = this.failuresOf(batch, outcome.result);
      if (failures === null) {
        this.stats.failed += 1;
        this.options.log(
          `invocation of ${batch.length} messages returned an invalid batchItemFailures; whole batch retried`,
        );
        keep = new Set(batch.map((m) => m.MessageId ?? ''));
      } else {
        this.stats.succeeded += 1;
        keep = failures;
        this.options.log(
          `invocation: ${batch.length} messages, ${failures.size} batch item failures, ${ms} ms`,
        );
      }
    } else {
      keep = new Set(batch.map((m) => m.MessageId ?? ''));
      if (outcome.status === 'timeout') {
        this.stats.timedOut += 1;
        this.options.log(
          `invocation of ${batch.length} messages timed out after ${ms} ms; whole batch retried`,
        );
      } else if (outcome.status === 'crashed') {
        this.stats.crashed += 1;
        this.options.log(
          `invocation of ${batch.length} messages crashed (${outcome.reason}); whole batch retried`,
        );
      } else {
        this.stats.failed += 1;
        this.options.log(
          `invocation of ${batch.length} messages failed (${outcome.errorType}: ${outcome.errorMessage}); whole batch retried`,
        );
      }
    }
    const done = batch.filter((m) => !keep.has(m.MessageId ?? ''));
    this.stats.messagesReturned += batch.length - done.length;
    for (let i = 0; i < done.length; i += 10) {
      const entries = done
        .slice(i, i + 10)
        .map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle }));
      const { Failed = [] } = await this.options.sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: entries }),
      );
      this.stats.messagesDeleted += entries.length - Failed.length;
    }
  }

  /** The message ids to keep, or `null` when the response is not a valid partial batch response. */
  private failuresOf(batch: readonly Message[], result: unknown): Set<string> | null {
    if (!this.options.reportBatchItemFailures) return new Set();
    if (result === null || typeof result !== 'object') return new Set();
    const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
    if (failures === undefined || failures === null) return new Set();
    if (!Array.isArray(failures)) return null;
    const ids = new Set(batch.map((m) => m.MessageId));
    const keep = new Set<string>();
    for (const failure of failures) {
      const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
      if (typeof id !== 'string' || id === '' || !ids.has(id)) return null;
      keep.add(id);
    }
    return keep;
  }
}
