import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INFRA_DEFAULTS, secureQueueProps, VISIBILITY_TIMEOUT_FACTOR } from './defaults.js';

/** Options of the work queue. */
export interface WorkQueueProps {
  /** The worker's timeout; the visibility timeout is {@link VISIBILITY_TIMEOUT_FACTOR} times it. */
  readonly workerTimeout: Duration;
  /** Receives before a message moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
}

/**
 * The queue the S3 notifications land in and the workers consume, with its dead-letter queue and an alarm
 * that fires as soon as the dead-letter queue holds a message.
 */
export class WorkQueue extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  /** `ApproximateNumberOfMessagesVisible > 0` on the dead-letter queue (add an action to be notified). */
  public readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    const { workerTimeout, maxReceiveCount = INFRA_DEFAULTS.maxReceiveCount } = props;

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', secureQueueProps());
    this.queue = new Queue(
      this,
      'Queue',
      secureQueueProps({
        visibilityTimeout: Duration.seconds(workerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
        deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
      }),
    );

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription:
        'Messages in the augmix dead-letter queue: images whose processing failed transiently maxReceiveCount ' +
        'times. Inspect the worker logs, fix the cause, then run `augmix dlq redrive`.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
