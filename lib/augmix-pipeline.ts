import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { envVariable, IMAGE_SETTINGS_ENV } from '../src/settings/table.js';
import { AugmentWorkerFunction } from './augment-worker-function.js';
import { BackfillEngine } from './backfill-engine.js';
import { addImageNotifications } from './image-notifications.js';
import { PipelineBuckets } from './pipeline-buckets.js';
import type { AugmixPipelineSettings } from './pipeline-settings.js';
import { type ResolvedPipelineSettings, resolvePipelineSettings } from './resolve-pipeline-settings.js';
import { WorkQueue } from './work-queue.js';
import { grantWorkerPermissions } from './worker-permissions.js';

/** Props of {@link AugmixPipeline}: the settings of the settings table (all optional, validated together). */
export interface AugmixPipelineProps extends AugmixPipelineSettings {}

/** Logical id CDK gives the singleton function behind `Custom::S3BucketNotifications`. */
const NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/** `POWERTOOLS_SERVICE_NAME` of the worker. */
export const WORKER_SERVICE_NAME = 'augmix-worker';
/** `POWERTOOLS_METRICS_NAMESPACE` of the worker's metrics. */
export const METRICS_NAMESPACE = 'AugmixPipeline';

/**
 * The serverless AugMix pipeline as one construct, for any stack: images uploaded to the input bucket (under
 * the input prefix, with an image suffix) raise S3 ObjectCreated notifications into an SQS queue; arm64 Lambda
 * workers consume it in batches and write AugMix variants and their provenance records to the output bucket.
 * Transient failures are retried and, after `maxReceiveCount` receives, parked in a dead-letter queue that
 * raises an alarm. A dataset already in the bucket is augmented by the backfill state machine (a Step Functions
 * Distributed Map over the input prefix, `backfillEnabled`, on by default; `lib/backfill-engine.ts`).
 *
 * Secure by default: created buckets block public access, require TLS, are encrypted and retained; queues are
 * encrypted and TLS-only; the worker's role holds only the S3 and SQS actions it needs on its prefixes. Every
 * prop is validated when the construct is created, and all problems are reported in one
 * `PipelineSettingsError`; outputs can never land where the notification listens. The worker is the
 * package's prebuilt bundle, so the app needs neither esbuild nor Docker.
 *
 * @example
 * const pipeline = new AugmixPipeline(stack, 'Augmix', { variants: 8, size: 224, inputPrefix: 'train/' });
 * new CfnOutput(stack, 'Input', { value: pipeline.inputBucket.bucketName });
 */
export class AugmixPipeline extends Construct {
  /** The props after defaults and validation. */
  public readonly settings: ResolvedPipelineSettings;
  /** Where images are uploaded (created, or the existing bucket named by `existingInputBucketName`). */
  public readonly inputBucket: IBucket;
  /** Where variants, records and failure records are written (the input bucket with `outputToInputBucket`). */
  public readonly outputBucket: IBucket;
  /** The work queue the input bucket notifies. */
  public readonly queue: Queue;
  /** Messages that failed `maxReceiveCount` times. */
  public readonly deadLetterQueue: Queue;
  /** In alarm while the dead-letter queue holds messages. */
  public readonly deadLetterAlarm: Alarm;
  /** The Lambda worker. */
  public readonly worker: AugmentWorkerFunction;
  /** The backfill state machine and its workers (unless `backfillEnabled` is false). */
  public readonly backfill: BackfillEngine | undefined;

  constructor(scope: Construct, id: string, props: AugmixPipelineProps = {}) {
    super(scope, id);
    const settings = resolvePipelineSettings(props);
    this.settings = settings;
    const timeout = Duration.seconds(settings.timeoutSeconds);

    const buckets = new PipelineBuckets(this, 'Buckets', {
      existingInputBucketName: settings.existingInputBucketName,
      outputToInputBucket: settings.outputToInputBucket,
    });
    this.inputBucket = buckets.inputBucket;
    this.outputBucket = buckets.outputBucket;

    const work = new WorkQueue(this, 'Work', {
      workerTimeout: timeout,
      maxReceiveCount: settings.maxReceiveCount,
      alarmEmail: settings.alarmEmail,
    });
    this.queue = work.queue;
    this.deadLetterQueue = work.deadLetterQueue;
    this.deadLetterAlarm = work.deadLetterAlarm;

    addImageNotifications(this.inputBucket, this.queue, {
      prefix: settings.inputPrefix,
      suffixes: settings.suffixes,
      removals: settings.deleteOutputsOnInputDelete,
    });
    this.acknowledgeNotificationsHandler();

    this.worker = new AugmentWorkerFunction(this, 'Worker', {
      memorySize: settings.memorySize,
      timeout,
      imageConcurrency: settings.sizing.imageConcurrency,
      logRetention: settings.logRetentionDays,
      environment: {
        OUTPUT_BUCKET: this.outputBucket.bucketName,
        [envVariable('inputPrefix')]: settings.inputPrefix,
        [envVariable('outputPrefix')]: settings.outputPrefix,
        [IMAGE_SETTINGS_ENV]: JSON.stringify(settings.augmix),
        [envVariable('deleteOutputsOnInputDelete')]: String(settings.deleteOutputsOnInputDelete),
        IMAGE_TIME_RESERVE_MS: String(settings.imageTimeReserveMs),
        POWERTOOLS_SERVICE_NAME: WORKER_SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
    });
    grantWorkerPermissions(this.worker.role!, {
      inputBucket: this.inputBucket,
      inputPrefix: settings.inputPrefix,
      outputBucket: this.outputBucket,
      outputPrefix: settings.outputPrefix,
      inputBucketKmsKeyArn: settings.existingInputBucketKmsKeyArn,
    });
    this.worker.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: settings.batchSize,
        maxBatchingWindow: Duration.seconds(settings.maxBatchingWindowSeconds),
        maxConcurrency: settings.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    const { backfill } = settings;
    this.backfill = backfill.enabled
      ? new BackfillEngine(this, 'Backfill', {
          inputBucket: this.inputBucket,
          inputPrefix: settings.inputPrefix,
          outputBucket: this.outputBucket,
          outputPrefix: settings.outputPrefix,
          inputBucketKmsKeyArn: settings.existingInputBucketKmsKeyArn,
          augmix: settings.augmix,
          settings: backfill,
          logRetention: settings.logRetentionDays,
          ...(backfill.inventoryBucketName === undefined
            ? {}
            : {
                inventoryBucket: Bucket.fromBucketName(this, 'InventoryBucket', backfill.inventoryBucketName),
              }),
        })
      : undefined;
  }

  /** CDK's notifications custom-resource function (one per stack): its role is CDK's, not ours to narrow. */
  private acknowledgeNotificationsHandler(): void {
    const handler = Stack.of(this).node.tryFindChild(NOTIFICATIONS_HANDLER_ID);
    if (handler === undefined) return;
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'CDK\u2019s BucketNotificationsHandler (the custom resource that writes the bucket notification ' +
        'configuration at deploy time) attaches AWSLambdaBasicExecutionRole for its own CloudWatch logs; ' +
        'aws-cdk-lib offers no way to replace it for imported buckets.',
    });
  }
}
