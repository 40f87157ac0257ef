import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { AugmixPipelineStack } from '../../lib/augmix-pipeline-stack.js';
import { onlyResource, synthPipeline } from './synth-stack.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const PARTITION_ARN = (resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${resource}`]],
});

function logicalId(stack: AugmixPipelineStack, construct: unknown): string {
  return stack.getLogicalId((construct as { node: { defaultChild: never } }).node.defaultChild);
}

function workerStatements(stack: AugmixPipelineStack, template: Template): Record<string, unknown>[] {
  const roleId = logicalId(stack, stack.worker.role);
  const policies = Object.values(
    template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
  );
  expect(policies).toHaveLength(1);
  return policies[0]!.Properties.PolicyDocument.Statement;
}

function workerEnvironment(stack: AugmixPipelineStack, template: Template): Record<string, unknown> {
  return template.toJSON().Resources[logicalId(stack, stack.worker)].Properties.Environment.Variables;
}

function notificationFilters(template: Template): unknown[] {
  const { props } = onlyResource(template, 'Custom::S3BucketNotifications');
  return (
    props.NotificationConfiguration as { QueueConfigurations: { Filter: unknown }[] }
  ).QueueConfigurations.map((c) => c.Filter);
}

describe('AugmixPipelineStack with custom settings', () => {
  const { stack, template } = synthPipeline({
    severity: 5,
    variants: 8,
    allOps: true,
    format: 'webp',
    quality: 80,
    size: null,
    // 8 variants on 4 images at once: a smaller largest image fits the 300 s timeout (docs/budgets.md)
    maxPixels: 12_000_000,
    inputPrefix: 'incoming/',
    outputPrefix: 'variants/',
    suffixes: ['.png', '.jpg'],
    matchUpperCaseSuffixes: false,
    memorySize: 7076,
    timeoutSeconds: 300,
    batchSize: 50,
    maxBatchingWindowSeconds: 5,
    maxConcurrency: 20,
    maxReceiveCount: 3,
    logRetentionDays: 90,
  });

  it('passes exactly the AugMix settings given to the worker as AUGMIX_SETTINGS', () => {
    const env = workerEnvironment(stack, template);
    expect(JSON.parse(env.AUGMIX_SETTINGS as string)).toEqual({
      severity: 5,
      allOps: true,
      variants: 8,
      format: 'webp',
      quality: 80,
      size: null,
      maxPixels: 12_000_000,
    });
    expect(env.INPUT_PREFIX).toBe('incoming/');
    expect(env.OUTPUT_PREFIX).toBe('variants/');
  });

  it('sizes memory, vCPU-matched thread pools and the timeout from the settings', () => {
    const fn = template.toJSON().Resources[logicalId(stack, stack.worker)].Properties;
    expect(fn.MemorySize).toBe(7076);
    expect(fn.Timeout).toBe(300);
    const env = workerEnvironment(stack, template);
    // 7076 MB = 4 x 1769 MB -> 4 vCPUs.
    expect([env.IMAGE_CONCURRENCY, env.VIPS_CONCURRENCY, env.UV_THREADPOOL_SIZE]).toEqual(['4', '4', '6']);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('keeps the visibility timeout at 6x the worker timeout and uses maxReceiveCount', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 1800,
      RedrivePolicy: {
        maxReceiveCount: 3,
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(stack, stack.deadLetterQueue), 'Arn'] },
      },
    });
  });

  it('applies batch size, batching window and max concurrency to the event source', () => {
    const { props } = onlyResource(template, 'AWS::Lambda::EventSourceMapping');
    expect(props).toMatchObject({
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 5,
      ScalingConfig: { MaximumConcurrency: 20 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('filters notifications by the prefix and each given suffix only', () => {
    expect(notificationFilters(template)).toEqual(
      ['.png', '.jpg'].map((suffix) => ({
        Key: {
          FilterRules: [
            { Name: 'suffix', Value: suffix },
            { Name: 'prefix', Value: 'incoming/' },
          ],
        },
      })),
    );
  });

  it('reads only under the input prefix and writes only under the output prefix', () => {
    const statements = workerStatements(stack, template);
    const inputId = logicalId(stack, stack.inputBucket);
    const outputId = logicalId(stack, stack.outputBucket);
    expect(statements).toContainEqual({
      Sid: 'ReadInputImages',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [inputId, 'Arn'] }, '/incoming/*']] },
    });
    expect(statements).toContainEqual({
      Sid: 'WriteOutputs',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:DeleteObject'],
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [outputId, 'Arn'] }, '/variants/*']] },
    });
  });
});

describe('AugmixPipelineStack writing into the input bucket', () => {
  const { stack, template } = synthPipeline({
    outputToInputBucket: true,
    inputPrefix: 'images/',
    outputPrefix: 'augmix/',
  });

  it('creates no output bucket and points OUTPUT_BUCKET at the input bucket', () => {
    template.resourceCountIs('AWS::S3::Bucket', 2); // input + access logs
    expect(stack.outputBucket).toBe(stack.inputBucket);
    expect(workerEnvironment(stack, template).OUTPUT_BUCKET).toEqual({
      Ref: logicalId(stack, stack.inputBucket),
    });
  });

  it('listens under the input prefix only, so variants under the output prefix never trigger it', () => {
    for (const filter of notificationFilters(template) as { Key: { FilterRules: unknown[] } }[]) {
      expect(filter.Key.FilterRules).toContainEqual({ Name: 'prefix', Value: 'images/' });
    }
    const statements = workerStatements(stack, template);
    const inputArn = { 'Fn::GetAtt': [logicalId(stack, stack.inputBucket), 'Arn'] };
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['s3:PutObject', 's3:DeleteObject'],
        Resource: { 'Fn::Join': ['', [inputArn, '/augmix/*']] },
      }),
    );
  });
});

describe('AugmixPipelineStack on an existing input bucket', () => {
  const { stack, template } = synthPipeline({ existingInputBucketName: 'my-dataset', inputPrefix: 'raw/' });

  it('creates no input bucket, only the output bucket and its log bucket', () => {
    template.resourceCountIs('AWS::S3::Bucket', 2);
    expect(stack.inputBucket.bucketName).toBe('my-dataset');
  });

  it('adds its notifications to the bucket unmanaged, so existing configurations are kept', () => {
    const { props } = onlyResource(template, 'Custom::S3BucketNotifications');
    expect(props.BucketName).toBe('my-dataset');
    expect(props.Managed).toBe(false);
    expect(notificationFilters(template)).toHaveLength(16);
  });

  it('grants s3:GetObject on the bucket\u2019s prefix and no KMS permission when no key is named', () => {
    const statements = workerStatements(stack, template);
    expect(statements).toContainEqual({
      Sid: 'ReadInputImages',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: PARTITION_ARN('my-dataset/raw/*'),
    });
    expect(JSON.stringify(statements)).not.toContain('kms:');
  });

  it('lets the notification handler read and write only that bucket\u2019s notification configuration', () => {
    const handlerRole = Object.keys(template.findResources('AWS::IAM::Role')).find((r) =>
      r.startsWith('BucketNotificationsHandler'),
    )!;
    const policies = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: handlerRole }] } }),
    );
    expect(policies.flatMap((p) => p.Properties.PolicyDocument.Statement)).toEqual([
      { Action: 's3:PutBucketNotification', Effect: 'Allow', Resource: PARTITION_ARN('my-dataset') },
      { Action: 's3:GetBucketNotification', Effect: 'Allow', Resource: PARTITION_ARN('my-dataset') },
    ]);
  });
});

describe('AugmixPipelineStack on an existing SSE-KMS input bucket', () => {
  it('grants kms:Decrypt on the named key, through S3 only', () => {
    const { stack, template } = synthPipeline({
      existingInputBucketName: 'my-dataset',
      existingInputBucketKmsKeyArn: KEY_ARN,
    });
    expect(workerStatements(stack, template)).toContainEqual({
      Sid: 'UseInputBucketKey',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: KEY_ARN,
      Condition: {
        StringEquals: {
          'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
        },
      },
    });
  });

  it('also grants kms:GenerateDataKey when the variants are written into that bucket', () => {
    const { stack, template } = synthPipeline({
      existingInputBucketName: 'my-dataset',
      existingInputBucketKmsKeyArn: KEY_ARN,
      inputPrefix: 'raw/',
      outputToInputBucket: true,
      outputPrefix: 'augmix/',
    });
    template.resourceCountIs('AWS::S3::Bucket', 0);
    const statements = workerStatements(stack, template);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: 'UseInputBucketKey',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: KEY_ARN,
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['s3:PutObject', 's3:DeleteObject'],
        Resource: PARTITION_ARN('my-dataset/augmix/*'),
      }),
    );
  });
});
