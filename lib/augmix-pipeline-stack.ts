import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AugmixPipeline, type AugmixPipelineProps } from './augmix-pipeline.js';

export { METRICS_NAMESPACE, WORKER_SERVICE_NAME } from './augmix-pipeline.js';

/** Props of the stack: the pipeline's settings plus the usual stack props. */
export interface AugmixPipelineStackProps extends StackProps, AugmixPipelineProps {}

/**
 * The stack `cdk deploy` makes (bin/app.ts): one {@link AugmixPipeline} and the outputs `augmix status`,
 * `dlq` and `backfill` look up. The construct's id is `Default`, which CDK leaves out of logical ids, so the
 * resources keep the ids they had when the stack built them itself (a deployed stack updates in place).
 */
export class AugmixPipelineStack extends Stack {
  public readonly pipeline: AugmixPipeline;

  constructor(scope: Construct, id: string, props: AugmixPipelineStackProps = {}) {
    super(scope, id, props);
    this.pipeline = new AugmixPipeline(this, 'Default', props);
    this.addOutputs();
  }

  get settings() {
    return this.pipeline.settings;
  }
  get inputBucket() {
    return this.pipeline.inputBucket;
  }
  get outputBucket() {
    return this.pipeline.outputBucket;
  }
  get queue() {
    return this.pipeline.queue;
  }
  get deadLetterQueue() {
    return this.pipeline.deadLetterQueue;
  }
  get deadLetterAlarm() {
    return this.pipeline.deadLetterAlarm;
  }
  get worker() {
    return this.pipeline.worker;
  }

  private addOutputs(): void {
    const { inputBucket, outputBucket, queue, deadLetterQueue, deadLetterAlarm, worker } = this.pipeline;
    const outputs: Record<string, [string, string]> = {
      InputBucketName: [inputBucket.bucketName, 'Upload images here (under the input prefix)'],
      OutputBucketName: [
        outputBucket.bucketName,
        'AugMix variants, provenance documents and failure records',
      ],
      QueueUrl: [queue.queueUrl, 'Work queue (S3 notifications)'],
      QueueName: [queue.queueName, 'Work queue name'],
      QueueArn: [queue.queueArn, 'Work queue ARN'],
      DeadLetterQueueUrl: [deadLetterQueue.queueUrl, 'Dead-letter queue (redrive with augmix dlq redrive)'],
      DeadLetterQueueName: [deadLetterQueue.queueName, 'Dead-letter queue name'],
      DeadLetterQueueArn: [deadLetterQueue.queueArn, 'Dead-letter queue ARN'],
      DeadLetterAlarmName: [deadLetterAlarm.alarmName, 'Alarm on messages in the dead-letter queue'],
      WorkerFunctionName: [worker.functionName, 'Worker Lambda function'],
      WorkerLogGroupName: [worker.logGroup.logGroupName, 'Worker logs (JSON)'],
    };
    const { backfill, settings } = this.pipeline;
    if (backfill !== undefined) {
      outputs.BackfillStateMachineArn = [
        backfill.machine.stateMachine.stateMachineArn,
        'Backfill state machine (augmix backfill start)',
      ];
      // Quoted: CloudFormation refuses an empty output value.
      outputs.BackfillInputPrefix = [
        JSON.stringify(settings.inputPrefix),
        'Backfills list under this prefix (JSON)',
      ];
      outputs.BackfillOutputPrefix = [
        JSON.stringify(settings.outputPrefix),
        'Backfills write under this prefix (JSON)',
      ];
    }
    for (const [id, [value, description]] of Object.entries(outputs)) {
      new CfnOutput(this, id, { value, description });
    }
  }
}
