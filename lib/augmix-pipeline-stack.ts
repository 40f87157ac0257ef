import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { envVariable, IMAGE_SETTINGS_ENV } from '../src/settings/table.js';
import { AugmentWorkerFunction } from './augment-worker-function.js';
import { addImageNotifications } from './image-notifications.js';
import { PipelineBuckets } from './pipeline-buckets.js';
import type { AugmixPipelineSettings } from './pipeline-settings.js';
import { type ResolvedPipelineSettings, resolvePipelineSettings } from './resolve-pipeline-settings.js';
import { WorkQueue } from './work-queue.js';
import { grantWorkerPermissions } from './worker-permissions.js';

/** Props of the stack: the pipeline's settings plus the usual stack props. */
export interface AugmixPipelineStackProps extends StackProps, AugmixPipelineSettings {
  /** The worker's handler module (exporting `handler`). @default WORKER_ENTRY (lambda/augment-worker.ts) */
  readonly workerEntry?: string;
}

/** Logical id CDK gives the singleton function behind `Custom::S3BucketNotifications`. */
const NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/** `POWERTOOLS_SERVICE_NAME` of the worker. */
export const WORKER_SERVICE_NAME = 'augmix-worker';
/** `POWERTOOLS_METRICS_NAMESPACE` of the worker's metrics. */
export const METRICS_NAMESPACE = 'AugmixPipeline';

/**
 * The serverless AugMix pipeline: images uploaded to the input bucket (under the input prefix, with an image
 * suffix) raise S3 ObjectCreated notifications into an SQS queue; arm64 Lambda workers consume it in batches
 * and write AugMix variants and their provenance sidecars to the output bucket. Transient failures are
 * retried and, after `maxReceiveCount` receives, parked in a dead-letter queue that raises an alarm.
 *
 * Every setting is validated at synth (all problems reported at once); outputs can never land where the
 * notification listens.
 */
export class AugmixPipelineStack extends Stack {
  public readonly settings: ResolvedPipelineSettings;
  public readonly inputBucket: IBucket;
  public readonly outputBucket: IBucket;
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  public readonly deadLetterAlarm: Alarm;
  public readonly worker: AugmentWorkerFunction;

  constructor(scope: Construct, id: string, props: AugmixPipelineStackProps = {}) {
    super(scope, id, props);
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
    });
    this.queue = work.queue;
    this.deadLetterQueue = work.deadLetterQueue;
    this.deadLetterAlarm = work.deadLetterAlarm;

    addImageNotifications(this.inputBucket, this.queue, {
      prefix: settings.inputPrefix,
      suffixes: settings.suffixes,
    });
    this.acknowledgeNotificationsHandler();

    this.worker = new AugmentWorkerFunction(this, 'Worker', {
      memorySize: settings.memorySize,
      timeout,
      imageConcurrency: settings.sizing.imageConcurrency,
      logRetention: settings.logRetentionDays,
      entry: props.workerEntry,
      environment: {
        OUTPUT_BUCKET: this.outputBucket.bucketName,
        [envVariable('inputPrefix')]: settings.inputPrefix,
        [envVariable('outputPrefix')]: settings.outputPrefix,
        [IMAGE_SETTINGS_ENV]: JSON.stringify(settings.augmix),
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

    this.addOutputs();
  }

  private addOutputs(): void {
    const outputs: Record<string, [string, string]> = {
      InputBucketName: [this.inputBucket.bucketName, 'Upload images here (under the input prefix)'],
      OutputBucketName: [this.outputBucket.bucketName, 'AugMix variants, sidecars and failure records'],
      QueueUrl: [this.queue.queueUrl, 'Work queue (S3 notifications)'],
      QueueName: [this.queue.queueName, 'Work queue name'],
      QueueArn: [this.queue.queueArn, 'Work queue ARN'],
      DeadLetterQueueUrl: [
        this.deadLetterQueue.queueUrl,
        'Dead-letter queue (redrive with augmix dlq redrive)',
      ],
      DeadLetterQueueName: [this.deadLetterQueue.queueName, 'Dead-letter queue name'],
      DeadLetterQueueArn: [this.deadLetterQueue.queueArn, 'Dead-letter queue ARN'],
      DeadLetterAlarmName: [this.deadLetterAlarm.alarmName, 'Alarm on messages in the dead-letter queue'],
      WorkerFunctionName: [this.worker.functionName, 'Worker Lambda function'],
      WorkerLogGroupName: [this.worker.logGroup.logGroupName, 'Worker logs (JSON)'],
    };
    for (const [id, [value, description]] of Object.entries(outputs)) {
      new CfnOutput(this, id, { value, description });
    }
  }

  /** CDK's notifications custom-resource function: its role is CDK's, not ours to narrow. */
  private acknowledgeNotificationsHandler(): void {
    const handler = this.node.tryFindChild(NOTIFICATIONS_HANDLER_ID);
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
