import { GetQueueAttributesCommand, type QueueAttributeName, type SQSClient } from '@aws-sdk/client-sqs';
import type { PipelineQueues } from './queue-locator.js';

/** Approximate message counts of one queue (SQS's `ApproximateNumberOf…` attributes). */
export interface QueueDepth {
  readonly url: string;
  /** Visible messages waiting for a worker (`ApproximateNumberOfMessages`). */
  readonly waiting: number;
  /** Received by a worker and not yet deleted (`ApproximateNumberOfMessagesNotVisible`). */
  readonly inFlight: number;
  /** Not visible yet because of a delay (`ApproximateNumberOfMessagesDelayed`). */
  readonly delayed: number;
}

/** The pipeline's queues at one moment. */
export interface PipelineStatus {
  /** ISO time of the reading. */
  readonly time: string;
  readonly queue: QueueDepth;
  readonly deadLetterQueue: QueueDepth;
}

const DEPTH_ATTRIBUTES: QueueAttributeName[] = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
];

/** Reads the approximate counts of one queue. */
export async function readQueueDepth(sqs: SQSClient, url: string): Promise<QueueDepth> {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: DEPTH_ATTRIBUTES }),
  );
  const count = (name: string): number => {
    const value = Number(attributes[name as keyof typeof attributes] ?? 0);
    return Number.isFinite(value) ? value : 0;
  };
  return {
    url,
    waiting: count('ApproximateNumberOfMessages'),
    inFlight: count('ApproximateNumberOfMessagesNotVisible'),
    delayed: count('ApproximateNumberOfMessagesDelayed'),
  };
}

/** Reads both queues. */
export async function readPipelineStatus(sqs: SQSClient, queues: PipelineQueues): Promise<PipelineStatus> {
  const [queue, deadLetterQueue] = await Promise.all([
    readQueueDepth(sqs, queues.queueUrl),
    readQueueDepth(sqs, queues.deadLetterQueueUrl),
  ]);
  return { time: new Date().toISOString(), queue, deadLetterQueue };
}

/** The status as a small table, for a terminal or a log. */
export function formatPipelineStatus(status: PipelineStatus, source: string): string {
  const { queue, deadLetterQueue: dlq } = status;
  const rows: [string, string, string, string][] = [
    ['', 'waiting', 'in flight', 'delayed'],
    ['work queue', String(queue.waiting), String(queue.inFlight), String(queue.delayed)],
    ['dead-letter queue', String(dlq.waiting), String(dlq.inFlight), String(dlq.delayed)],
  ];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  const table = rows.map((row) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  '),
  );
  const lines = [
    `Queues (${source}) at ${status.time}`,
    `  work queue:        ${queue.url}`,
    `  dead-letter queue: ${dlq.url}`,
    '',
    ...table,
    '',
    `Backlog ${queue.waiting}, in flight ${queue.inFlight}, DLQ depth ${dlq.waiting}.`,
  ];
  if (dlq.waiting > 0) {
    lines.push(
      `${dlq.waiting} message(s) in the dead-letter queue: look at the worker's logs, fix the cause, then run ` +
        '`augmix dlq redrive`.',
    );
  }
  return lines.join('\n');
}
