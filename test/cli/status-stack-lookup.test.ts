import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { locateQueues, QueueLookupError, regionOfQueueUrl } from '../../src/aws/operator/queue-locator.js';

const cloudFormation = mockClient(CloudFormationClient);
const client = new CloudFormationClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/AugmixPipeline-WorkQueue';
const DLQ = 'https://sqs.eu-west-1.amazonaws.com/123456789012/AugmixPipeline-DeadLetterQueue';

function stackWithOutputs(outputs: Record<string, string>) {
  return {
    Stacks: [
      {
        StackName: 'AugmixPipeline',
        CreationTime: new Date(0),
        StackStatus: 'CREATE_COMPLETE' as const,
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  };
}

afterEach(() => {
  cloudFormation.reset();
});

describe('locateQueues', () => {
  it('reads QueueUrl and DeadLetterQueueUrl from the default stack AugmixPipeline', async () => {
    // Prepare
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves(stackWithOutputs({ InputBucketName: 'in', QueueUrl: QUEUE, DeadLetterQueueUrl: DLQ }));
    // Act
    const queues = await locateQueues({ cloudFormation: client });
    // Assess
    expect(queues).toEqual({ queueUrl: QUEUE, deadLetterQueueUrl: DLQ, source: 'stack AugmixPipeline' });
    expect(cloudFormation.commandCalls(DescribeStacksCommand).map((call) => call.args[0].input)).toEqual([
      { StackName: 'AugmixPipeline' },
    ]);
  });

  it('describes the stack named by --stack, and a URL given directly wins over the output', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves(stackWithOutputs({ QueueUrl: QUEUE, DeadLetterQueueUrl: DLQ }));
    const queues = await locateQueues({
      cloudFormation: client,
      stack: 'Augmix-Staging',
      deadLetterQueueUrl: 'dlq-url',
    });
    expect(queues).toEqual({
      queueUrl: QUEUE,
      deadLetterQueueUrl: 'dlq-url',
      source: 'stack Augmix-Staging',
    });
    expect(cloudFormation.commandCalls(DescribeStacksCommand)[0]?.args[0].input).toEqual({
      StackName: 'Augmix-Staging',
    });
  });

  it('makes no CloudFormation call when both URLs are given', async () => {
    const queues = await locateQueues({ cloudFormation: client, queueUrl: 'q', deadLetterQueueUrl: 'd' });
    expect(queues).toEqual({ queueUrl: 'q', deadLetterQueueUrl: 'd', source: '--queue-url/--dlq-url' });
    expect(cloudFormation.calls()).toHaveLength(0);
  });

  it('says how to proceed when the stack does not exist', async () => {
    const missing = Object.assign(new Error('Stack with id AugmixPipeline does not exist'), {
      name: 'ValidationError',
    });
    cloudFormation.on(DescribeStacksCommand).rejects(missing);
    const lookup = locateQueues({ cloudFormation: client });
    await expect(lookup).rejects.toThrow(QueueLookupError);
    await expect(locateQueues({ cloudFormation: client })).rejects.toThrow(
      /stack "AugmixPipeline" does not exist in eu-west-1: deploy it, or pass --stack\/--region\/--profile, or give the queues with --queue-url and --dlq-url/,
    );
  });

  it('names the missing output and lists the outputs found', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves(stackWithOutputs({ QueueUrl: QUEUE, OutputBucketName: 'out' }));
    await expect(locateQueues({ cloudFormation: client })).rejects.toThrow(
      'stack "AugmixPipeline" has no output DeadLetterQueueUrl (its outputs: QueueUrl, OutputBucketName)',
    );
  });

  it('reports other CloudFormation errors with the stack name', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: cloudformation:DescribeStacks'), {
        name: 'AccessDenied',
      }),
    );
    await expect(locateQueues({ cloudFormation: client })).rejects.toThrow(
      /cannot describe stack "AugmixPipeline": User is not authorized/,
    );
  });
});

describe('regionOfQueueUrl', () => {
  it.each([
    [QUEUE, 'eu-west-1'],
    ['https://sqs.cn-north-1.amazonaws.com.cn/1/q', 'cn-north-1'],
    ['https://us-east-2.queue.amazonaws.com/1/q', 'us-east-2'],
    ['http://127.0.0.1:9324/000000000000/q', undefined],
    ['not a url', undefined],
  ])('%s → %s', (url, region) => {
    expect(regionOfQueueUrl(url)).toBe(region);
  });
});

describe('locateQueues without a region', () => {
  it('says how to give one', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(new Error('Region is missing'));
    await expect(locateQueues({ cloudFormation: client })).rejects.toThrow(
      'cannot describe stack "AugmixPipeline": Region is missing (pass --region, or set AWS_REGION or a profile region)',
    );
  });
});
