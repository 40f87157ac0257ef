import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DEAD_LETTER_RETENTION,
  INFRA_DEFAULTS,
  secureQueueProps,
  VISIBILITY_TIMEOUT_FACTOR,
} from './defaults.js';

/** Options of the work queue. */
export interface WorkQueueProps {
  /** The worker's timeout; the visibility timeout is {@link VISIBILITY_TIMEOUT_FACTOR} times it. */
  readonly workerTimeout: Duration;
  /** Receives before a message moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
  /**
   * E-mail address notified when the dead-letter alarm fires (an SNS topic with an e-mail subscription, which
   * the address must confirm). @default none: the alarm has no action
   */
  readonly alarmEmail?: string;
}

/**
 * The queue the S3 notifications land in and the workers consume, with its dead-letter queue and an alarm
 * that fires as soon as the dead-letter queue holds a message.
 */
export class WorkQueue extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  /** `ApproximateNumberOfMessagesVisible > 0` on the dead-letter queue (notifies `alarmTopic` when set). */
  public readonly deadLetterAlarm: Alarm;
  /** The topic the alarm notifies, with the `alarmEmail` subscription; `undefined` without `alarmEmail`. */
  public readonly alarmTopic: Topic | undefined;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    const { workerTimeout, maxReceiveCount = INFRA_DEFAULTS.maxReceiveCount } = props;

    this.deadLetterQueue = new Queue(
      this,
      'DeadLetterQueue',
      secureQueueProps({ retentionPeriod: DEAD_LETTER_RETENTION }),
    );
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

    this.alarmTopic = props.alarmEmail === undefined ? undefined : this.addAlarmTopic(props.alarmEmail);
  }

  /** An SNS topic (TLS only) with an e-mail subscription, as the alarm's action. */
  private addAlarmTopic(email: string): Topic {
    const topic = new Topic(this, 'AlarmTopic', {
      displayName: 'augmix-pipeline dead-letter alarm',
      enforceSSL: true,
    });
    topic.addSubscription(new EmailSubscription(email));
    this.deadLetterAlarm.addAlarmAction(new SnsAction(topic));
    this.deadLetterAlarm.addOkAction(new SnsAction(topic));
    return topic;
  }
}
