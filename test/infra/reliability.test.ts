import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AugmixPipelineStack } from '../../lib/augmix-pipeline-stack.js';
import { PipelineSettingsError } from '../../lib/resolve-pipeline-settings.js';
import { onlyResource, synthPipeline } from './synth-stack.js';

// Template tests of the reliability settings: DLQ retention, the alarm's e-mail action, output deletes on
// input deletes, and the budget check at synth. One synth for the options, one for the defaults.

describe('dead-letter queue retention and alarm e-mail', () => {
  let stack: AugmixPipelineStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthPipeline({
      alarmEmail: 'ops@example.com',
      deleteOutputsOnInputDelete: true,
    }));
  });

  it('keeps a message longer in the dead-letter queue than in the work queue (14 days vs 4)', () => {
    const resources = template.toJSON().Resources;
    const queue = resources[stack.getLogicalId(stack.queue.node.defaultChild as never)].Properties;
    const dlq = resources[stack.getLogicalId(stack.deadLetterQueue.node.defaultChild as never)].Properties;
    expect(queue.MessageRetentionPeriod).toBe(4 * 24 * 3600);
    expect(dlq.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    // a message moved after its whole work-queue retention still has 10 days
    expect(dlq.MessageRetentionPeriod - queue.MessageRetentionPeriod).toBe(10 * 24 * 3600);
  });

  it('notifies an SNS topic (TLS only) with the e-mail subscription when the alarm fires and clears', () => {
    const topic = onlyResource(template, 'AWS::SNS::Topic');
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topic.id },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const alarm = onlyResource(template, 'AWS::CloudWatch::Alarm');
    expect(alarm.props.AlarmActions).toEqual([{ Ref: topic.id }]);
    expect(alarm.props.OKActions).toEqual([{ Ref: topic.id }]);
  });

  it('sends ObjectRemoved events too, and tells the worker to delete outputs', () => {
    const notifications = onlyResource(template, 'Custom::S3BucketNotifications').props
      .NotificationConfiguration as { QueueConfigurations: { Events: string[] }[] };
    const events = notifications.QueueConfigurations.map((configuration) => configuration.Events[0]);
    expect(events.filter((event) => event === 's3:ObjectRemoved:*')).toHaveLength(events.length / 2);
    expect(events.filter((event) => event === 's3:ObjectCreated:*')).toHaveLength(events.length / 2);
    const worker = template.toJSON().Resources[stack.getLogicalId(stack.worker.node.defaultChild as never)];
    expect(worker.Properties.Environment.Variables.DELETE_OUTPUTS_ON_INPUT_DELETE).toBe('true');
  });
});

describe('the defaults', () => {
  it('have no alarm action and no ObjectRemoved events (outputs of deleted inputs are kept)', () => {
    const { template } = synthPipeline();
    template.resourceCountIs('AWS::SNS::Topic', 0);
    expect(onlyResource(template, 'AWS::CloudWatch::Alarm').props.AlarmActions).toBeUndefined();
    const notifications = onlyResource(template, 'Custom::S3BucketNotifications').props
      .NotificationConfiguration as { QueueConfigurations: { Events: string[] }[] };
    expect(notifications.QueueConfigurations.every((c) => c.Events[0] === 's3:ObjectCreated:*')).toBe(true);
  });
});

describe('budgets checked at synth', () => {
  function problemsOf(settings: Parameters<typeof synthPipeline>[0]): readonly string[] {
    try {
      synthPipeline(settings);
    } catch (error) {
      if (error instanceof PipelineSettingsError) return error.problems;
      throw error;
    }
    throw new Error(`accepted: ${JSON.stringify(settings)}`);
  }

  it('refuses a worst-case image that cannot finish in the timeout, saying what would fit', () => {
    expect(problemsOf({ maxPixels: 100_000_000 })).toEqual([
      expect.stringMatching(
        /^Expected the worst-case image to finish within timeoutSeconds \(180 s\) but one image of maxPixels 100000000 \(100\.0 MP\) with 2 at once needs about 506 s .*raise timeoutSeconds to at least 506, lower maxPixels to at most 34900000, /,
      ),
      expect.stringMatching(/^Expected 2 worst-case image\(s\) at once to fit in memorySize \(3008 MB/),
    ]);
  });

  it('refuses images that cannot fit in memory', () => {
    const [problem, ...rest] = problemsOf({ memorySize: 1024, timeoutSeconds: 900 });
    expect(rest).toEqual([]);
    expect(problem).toMatch(
      /^Expected 1 worst-case image\(s\) at once to fit in memorySize \(1024 MB, 90% usable\) but .* need about 1118 MiB .*raise memorySize to at least 1243/,
    );
  });

  it('accepts what fits: a longer timeout for larger images, or fewer images at once', () => {
    expect(() =>
      synthPipeline({ maxPixels: 60_000_000, imageConcurrency: 1, timeoutSeconds: 400 }),
    ).not.toThrow();
    expect(() =>
      synthPipeline({ maxPixels: 50_000_000, imageConcurrency: 1, timeoutSeconds: 180 }),
    ).not.toThrow();
  });
});
