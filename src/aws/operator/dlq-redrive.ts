import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import type { PipelineQueues } from './queue-locator.js';

/** How messages were moved. */
export const REDRIVE_METHODS = ['move-task', 'copy'] as const;
export type RedriveMethod = (typeof REDRIVE_METHODS)[number];

/** What a redrive did. */
export interface RedriveResult {
  readonly method: RedriveMethod;
  /** Messages now in the work queue (SQS's approximate count for a move task). */
  readonly moved: number;
  /** Messages left in the DLQ because sending or deleting them failed (copy) or the task's failure. */
  readonly failed: number;
  /** Move task: its final (or current, without waiting) status, e.g. `COMPLETED`. */
  readonly taskStatus?: string;
  readonly failureReason?: string;
}

/** Options of `redriveWithMoveTask`. */
export interface MoveTaskOptions {
  /** Wait for the task to finish and report its count. @default true */
  readonly wait?: boolean;
  /** Milliseconds between ListMessageMoveTasks polls. @default 1000 */
  readonly pollMs?: number;
  /** Called with the moved count at each poll. */
  readonly onProgress?: (moved: number, toMove: number) => void;
}

/**
 * Moves every DLQ message back to the work queue with SQS's own `StartMessageMoveTask` (the console's
 * "Start DLQ redrive"), naming the work queue as destination so that messages sent to the DLQ directly are
 * moved too.
 */
export async function redriveWithMoveTask(
  sqs: SQSClient,
  queues: PipelineQueues,
  options: MoveTaskOptions = {},
): Promise<RedriveResult> {
  const { wait = true, pollMs = 1000, onProgress } = options;
  const [sourceArn, destinationArn] = await Promise.all([
    queueArn(sqs, queues.deadLetterQueueUrl),
    queueArn(sqs, queues.queueUrl),
  ]);
  const { TaskHandle: handle } = await sqs.send(
    new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: destinationArn }),
  );
  for (;;) {
    const { Results: tasks = [] } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 10 }),
    );
    // The newest task comes first; a finished task no longer carries its handle.
    const task = tasks.find((candidate) => candidate.TaskHandle === handle) ?? tasks[0];
    const status = task?.Status ?? 'UNKNOWN';
    const moved = task?.ApproximateNumberOfMessagesMoved ?? 0;
    const toMove = task?.ApproximateNumberOfMessagesToMove ?? moved;
    onProgress?.(moved, toMove);
    if (!wait || status !== 'RUNNING') {
      return {
        method: 'move-task',
        moved,
        failed: status === 'FAILED' ? Math.max(0, toMove - moved) : 0,
        taskStatus: status,
        ...(task?.FailureReason === undefined ? {} : { failureReason: task.FailureReason }),
      };
    }
    await sleep(pollMs);
  }
}

/** Options of `redriveByCopy`. */
export interface CopyOptions {
  /** Most messages to move. @default Infinity (until the DLQ is empty) */
  readonly max?: number;
  /** Seconds a received DLQ message stays invisible while it is copied. @default 60 */
  readonly visibilityTimeout?: number;
  /** Long-poll seconds of each receive; an empty receive ends the redrive. @default 1 */
  readonly waitSeconds?: number;
  /** Called after each batch with the running totals. */
  readonly onProgress?: (moved: number, failed: number) => void;
}

/**
 * Moves DLQ messages with a portable loop: receive up to 10 → SendMessageBatch to the work queue (body and
 * message attributes) → DeleteMessageBatch of those sent. Works with any SQS-API server and can stop after
 * `max` messages. At least once: a crash between send and delete leaves a copy in both queues, which the
 * idempotent worker tolerates. Messages that failed to send stay in the DLQ (visible again after the
 * visibility timeout); the loop stops after a batch in which nothing could be moved.
 */
export async function redriveByCopy(
  sqs: SQSClient,
  queues: PipelineQueues,
  options: CopyOptions = {},
): Promise<RedriveResult> {
  const { max = Number.POSITIVE_INFINITY, visibilityTimeout = 60, waitSeconds = 1, onProgress } = options;
  let moved = 0;
  let failed = 0;
  while (moved < max) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.deadLetterQueueUrl,
        MaxNumberOfMessages: Math.min(10, max - moved),
        VisibilityTimeout: visibilityTimeout,
        WaitTimeSeconds: waitSeconds,
        MessageAttributeNames: ['All'],
      }),
    );
    if (messages.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queues.queueUrl,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          MessageBody: message.Body ?? '',
          ...(message.MessageAttributes === undefined
            ? {}
            : { MessageAttributes: message.MessageAttributes }),
        })),
      }),
    );
    const sentIds = new Set((sent.Successful ?? []).map((entry) => entry.Id));
    const toDelete = messages.flatMap((message, index) =>
      sentIds.has(String(index)) && message.ReceiptHandle !== undefined
        ? [{ Id: String(index), ReceiptHandle: message.ReceiptHandle }]
        : [],
    );
    let deleted = 0;
    if (toDelete.length > 0) {
      const result = await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: queues.deadLetterQueueUrl, Entries: toDelete }),
      );
      deleted = result.Successful?.length ?? 0;
    }
    moved += deleted;
    failed += messages.length - deleted;
    onProgress?.(moved, failed);
    if (deleted === 0) break;
  }
  return { method: 'copy', moved, failed };
}

/**
 * True when the server does not implement the move-task API (some SQS emulators), so the copy loop should
 * be used instead. Permission errors are not included: they are worth reporting.
 */
export function isMoveTaskUnsupported(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return (
    /UnsupportedOperation|InvalidAction|UnknownOperation|NotImplemented/i.test(error.name) ||
    status === 501 ||
    (status === 404 && !/QueueDoesNotExist|NonExistentQueue/i.test(error.name))
  );
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes: attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = attributes?.QueueArn;
  if (arn === undefined) throw new Error(`GetQueueAttributes returned no QueueArn for ${url}`);
  return arn;
}
