import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSRecord } from 'aws-lambda';
import { type AugmentOutcome, augmentObject } from './augment-object.js';
import type { Limiter } from './limiter.js';
import { MalformedMessageError, parseS3Notification, type S3ObjectEvent } from './s3-event.js';
import type { WorkerConfig } from './worker-config.js';

/** Metric names the worker emits (EMF, namespace POWERTOOLS_METRICS_NAMESPACE). */
export const WORKER_METRICS = {
  /** Images augmented and written. */
  imagesProcessed: 'ImagesProcessed',
  /** Variant images written (2 per pair in JSD mode). */
  variantsWritten: 'VariantsWritten',
  /** Permanent failures: a failure record was written (or the key was unusable), the message acknowledged. */
  imagesFailed: 'ImagesFailed',
  /** Transient failures: the message is reported as a batch item failure and SQS retries it. */
  imagesRetried: 'ImagesRetried',
  /** Wall time per augmented image: download, decode, augment, encode, upload. */
  imageDurationMs: 'ImageDurationMs',
  /** Message bodies that are not S3 notifications (logged and acknowledged). */
  messagesMalformed: 'MessagesMalformed',
  /** Images not started because the invocation had too little time left: handed back to SQS, retried. */
  imagesHandedBack: 'ImagesHandedBack',
  /** Events whose object was replaced before it was read (first receive): the newer event makes the outputs. */
  eventsSuperseded: 'EventsSuperseded',
  /** Rounds redone because the source changed while its outputs were written. */
  roundsRedone: 'RoundsRedone',
  /** Inputs found deleted: their outputs deleted (DELETE_OUTPUTS_ON_INPUT_DELETE) or kept. */
  inputsGone: 'InputsGone',
  /** Keys that could not even get a failure record (logged at ERROR with the key). */
  keysUnrecorded: 'KeysUnrecorded',
} as const;

/** What the record handler needs; everything but the dedup table is created once per container. */
export interface RecordHandlerOptions {
  readonly s3: S3Client;
  readonly config: WorkerConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Bounds the images processed at once across the whole batch (IMAGE_CONCURRENCY). */
  readonly limit: Limiter;
  /** Milliseconds the invocation has left (the Lambda context's `getRemainingTimeInMillis`). */
  readonly remainingTimeMs?: () => number;
}

/**
 * An image was not started because the invocation could not finish it in the time left (the config's
 * `imageTimeReserveMs`); its message is handed back as a batch item failure and retried by a fresh invocation.
 */
export class NotEnoughTimeError extends Error {
  override readonly name = 'NotEnoughTimeError';
}

/** Longest message body excerpt logged for a malformed message. */
const BODY_EXCERPT_CHARS = 1000;

/**
 * Creates the handler of one SQS record for one invocation (Powertools `BatchProcessor` calls it per record).
 *
 * A record is acknowledged (the handler resolves) when every object it names was augmented, failed
 * permanently (failure record written) or is not an input; an `s3:TestEvent`, non-ObjectCreated events and a
 * malformed body are acknowledged too. It rejects — a batch item failure, so SQS redelivers the message — when
 * any object failed transiently; the message's other objects are processed anyway and rewritten identically
 * on redelivery. An object named twice in one batch (duplicate delivery) is processed once.
 */
export function createRecordHandler(options: RecordHandlerOptions): (record: SQSRecord) => Promise<void> {
  const { logger, metrics } = options;
  const inFlight = new Map<string, Promise<AugmentOutcome>>();

  const augmentOnce = (event: S3ObjectEvent, message: MessageInfo): Promise<AugmentOutcome> => {
    const id = JSON.stringify([event.eventName.split(':')[0], event.bucket, event.key, event.eTag]);
    let outcome = inFlight.get(id);
    if (outcome === undefined) {
      outcome = options.limit(() => {
        const left = options.remainingTimeMs?.();
        const reserve = options.config.imageTimeReserveMs;
        if (left !== undefined && left < reserve) {
          metrics.addMetric(WORKER_METRICS.imagesHandedBack, MetricUnit.Count, 1);
          logger.warn('Not enough time left for this image; handed back to the queue', {
            objectKey: event.key,
            messageId: message.messageId,
            remainingMs: left,
            reserveMs: reserve,
          });
          throw new NotEnoughTimeError(
            `${left} ms left, an image may need ${reserve} ms: s3://${event.bucket}/${event.key} handed back`,
          );
        }
        return augmentAndReport(event, message, options);
      });
      inFlight.set(id, outcome);
    }
    return outcome;
  };

  return async (record: SQSRecord): Promise<void> => {
    const { messageId } = record;
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
    const message: MessageInfo = { messageId, receiveCount };
    let notification: ReturnType<typeof parseS3Notification>;
    try {
      notification = parseS3Notification(record.body);
    } catch (error) {
      if (!(error instanceof MalformedMessageError)) throw error;
      metrics.addMetric(WORKER_METRICS.messagesMalformed, MetricUnit.Count, 1);
      logger.error('Message body is not an S3 notification; acknowledged without processing', {
        messageId,
        body: record.body.slice(0, BODY_EXCERPT_CHARS),
        error,
      });
      return;
    }
    if (notification.kind === 'test-event') {
      logger.info('s3:TestEvent acknowledged', { messageId });
      return;
    }
    for (const ignored of notification.ignored) {
      const { eventName, bucket, key } = ignored;
      logger.info('Not an ObjectCreated or ObjectRemoved event; ignored', {
        messageId,
        eventName,
        bucket,
        objectKey: key,
      });
    }
    const removed = options.config.deleteOutputsOnInputDelete ? notification.removed : [];
    if (removed.length < notification.removed.length) {
      for (const { eventName, bucket, key } of notification.removed) {
        logger.info('Input deleted; its outputs are kept (DELETE_OUTPUTS_ON_INPUT_DELETE is off)', {
          messageId,
          eventName,
          bucket,
          objectKey: key,
        });
      }
    }
    const results = await Promise.allSettled(
      [...notification.created, ...removed].map((event) => augmentOnce(event, message)),
    );
    const errors = results.flatMap((result) =>
      result.status === 'rejected' ? [result.reason as unknown] : [],
    );
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) {
      throw new AggregateError(errors, `${errors.length} objects of message ${messageId} failed transiently`);
    }
  };
}

/** The SQS message an event came in. */
interface MessageInfo {
  readonly messageId: string;
  /** `ApproximateReceiveCount`: 1 on the first delivery. */
  readonly receiveCount: number;
}

async function augmentAndReport(
  event: S3ObjectEvent,
  message: MessageInfo,
  options: RecordHandlerOptions,
): Promise<AugmentOutcome> {
  const { metrics } = options;
  const { messageId, receiveCount } = message;
  const log = options.logger.createChild({
    persistentKeys: { objectKey: event.key, bucket: event.bucket, eTag: event.eTag, messageId },
  });
  const started = performance.now();
  let outcome: AugmentOutcome;
  try {
    outcome = await augmentObject(event, {
      ...options,
      receiveCount,
      onRedo: (written, current) => {
        metrics.addMetric(WORKER_METRICS.roundsRedone, MetricUnit.Count, 1);
        log.info('The source changed while its outputs were written; redoing them', {
          writtenETag: written,
          currentETag: current,
        });
      },
    });
  } catch (error) {
    metrics.addMetric(WORKER_METRICS.imagesRetried, MetricUnit.Count, 1);
    log.error('Transient failure; the message will be retried', { error });
    throw error;
  }
  switch (outcome.status) {
    case 'augmented': {
      const durationMs = performance.now() - started;
      metrics.addMetric(WORKER_METRICS.imagesProcessed, MetricUnit.Count, 1);
      metrics.addMetric(WORKER_METRICS.variantsWritten, MetricUnit.Count, outcome.processed.variants.length);
      metrics.addMetric(WORKER_METRICS.imageDurationMs, MetricUnit.Milliseconds, durationMs);
      log.info('Augmented', {
        relativeKey: outcome.relativeKey,
        variants: outcome.processed.variants.length,
        objectsWritten: outcome.keys.length,
        durationMs: Math.round(durationMs),
        sourceETag: outcome.source.eTag,
        rounds: outcome.rounds,
        ...outcome.processed.timings,
      });
      break;
    }
    case 'failed':
      metrics.addMetric(WORKER_METRICS.imagesFailed, MetricUnit.Count, 1);
      if (outcome.failureKey === null) {
        metrics.addMetric(WORKER_METRICS.keysUnrecorded, MetricUnit.Count, 1);
        log.error('Permanent failure that no failure record can name; acknowledged', {
          code: outcome.error.code,
          reason: outcome.error.message,
        });
      } else {
        log.warn('Permanent failure; failure record written, acknowledged', {
          code: outcome.error.code,
          reason: outcome.error.message,
          failureKey: outcome.failureKey,
        });
      }
      break;
    case 'superseded':
      metrics.addMetric(WORKER_METRICS.eventsSuperseded, MetricUnit.Count, 1);
      log.info('Superseded by a newer version of the object; acknowledged', { reason: outcome.reason });
      break;
    case 'gone':
      metrics.addMetric(WORKER_METRICS.inputsGone, MetricUnit.Count, 1);
      log.info(
        outcome.deleted === null
          ? 'The input no longer exists; its outputs are kept'
          : 'The input no longer exists; its outputs were deleted',
        { deletedNames: outcome.deleted },
      );
      break;
    case 'skipped':
      log.warn('Not an input of this pipeline; skipped', { reason: outcome.reason });
      break;
  }
  return outcome;
}
