/**
 * The AugMix worker: SQS (S3 ObjectCreated notifications) → augment → output bucket.
 *
 * Everything that can be is created once per container, at cold start: configuration (validated; a bad
 * environment fails the cold start with the variable's name), the S3 client, logger, metrics, the batch
 * processor and the concurrency limiter. The handler only runs the batch. Environment: see
 * `src/aws/worker/worker-config.ts` and `src/aws/worker/s3-client.ts` (the worker environment contract).
 */
import {
  BatchProcessor,
  EventType,
  FullBatchFailureError,
  processPartialResponse,
} from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createLimiter } from '../src/aws/worker/limiter.js';
import { createS3Client } from '../src/aws/worker/s3-client.js';
import { createRecordHandler } from '../src/aws/worker/sqs-record-handler.js';
import { readWorkerConfig } from '../src/aws/worker/worker-config.js';
import { configureSharp } from '../src/codec/configure.js';

const config = readWorkerConfig(process.env);
configureSharp({ concurrency: config.vipsConcurrency, cache: false });
const s3 = createS3Client(process.env);
const logger = new Logger();
const metrics = new Metrics();
const processor = new BatchProcessor(EventType.SQS);
const limit = createLimiter(config.imageConcurrency);

/**
 * Processes one SQS batch and reports partial failures: only messages with a transient failure, or whose
 * image could not be started in the time left (`IMAGE_TIME_RESERVE_MS`), are returned in `batchItemFailures`. When every message failed transiently, the invocation fails instead
 * (`FullBatchFailureError`): the outcome for the messages is the same, and a failing invocation makes Lambda
 * back off the queue's polling concurrency — what throttling or an S3 outage needs.
 */
async function augmentBatch(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const recordHandler = createRecordHandler({
    s3,
    config,
    logger,
    metrics,
    limit,
    remainingTimeMs: () => context.getRemainingTimeInMillis(),
  });
  try {
    return await processPartialResponse(event, recordHandler, processor, { context });
  } catch (error) {
    if (error instanceof FullBatchFailureError) {
      logger.error('Every message of the batch failed transiently; failing the invocation', {
        messages: event.Records.length,
      });
    }
    throw error;
  }
}

export const handler = middy(augmentBatch)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
