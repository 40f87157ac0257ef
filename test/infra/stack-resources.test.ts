import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { LAMBDA_NODE_MAJOR } from '../../lib/lambda-runtime.js';
import { onlyResource, synthPipeline } from './synth-stack.js';

const DEFAULT_SUFFIXES = ['.jpg', '.jpeg', '.png', '.webp', '.avif', '.tif', '.tiff', '.gif'];

describe('AugmixPipelineStack with default settings', () => {
  const { stack, template } = synthPipeline();
  const id = (construct: { node: { defaultChild?: unknown } }): string =>
    stack.getLogicalId(construct.node.defaultChild as never);
  const inputBucketId = id(stack.inputBucket as never);
  const outputBucketId = id(stack.outputBucket as never);
  const queueId = id(stack.queue);
  const dlqId = id(stack.deadLetterQueue);

  it('creates an input, an output and an access-log bucket, all locked down and retained', () => {
    template.resourceCountIs('AWS::S3::Bucket', 3);
    const buckets = template.findResources('AWS::S3::Bucket');
    for (const [logicalId, bucket] of Object.entries(buckets)) {
      expect(bucket.DeletionPolicy, logicalId).toBe('Retain');
      expect(bucket.UpdateReplacePolicy, logicalId).toBe('Retain');
      expect(bucket.Properties.PublicAccessBlockConfiguration, logicalId).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption, logicalId).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
      expect(bucket.Properties.OwnershipControls, logicalId).toEqual({
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      });
      expect(bucket.Properties.LifecycleConfiguration.Rules, logicalId).toContainEqual({
        Id: 'abort-incomplete-multipart-uploads',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        Status: 'Enabled',
      });
    }
  });

  it('sends the input and output buckets\u2019 server access logs to the log bucket, which expires them', () => {
    const logBucket = Object.keys(template.findResources('AWS::S3::Bucket')).find(
      (b) => b !== inputBucketId && b !== outputBucketId,
    )!;
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([{ Id: 'expire-access-logs', ExpirationInDays: 365, Status: 'Enabled' }]),
      },
    });
    for (const [bucketId, prefix] of [
      [inputBucketId, 'input-bucket/'],
      [outputBucketId, 'output-bucket/'],
    ] as const) {
      expect(template.toJSON().Resources[bucketId].Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: logBucket },
        LogFilePrefix: prefix,
      });
    }
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logBucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:PutObject',
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  it('enforces TLS (and TLS 1.2 at least) on every bucket', () => {
    const policies = template.findResources('AWS::S3::BucketPolicy');
    expect(Object.keys(policies)).toHaveLength(3);
    for (const policy of Object.values(policies)) {
      const statements = policy.Properties.PolicyDocument.Statement;
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        }),
      );
    }
  });

  it('has an SSE-SQS work queue with a 6x visibility timeout and a dead-letter queue after 5 receives', () => {
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 6 * 180,
      // 4 days, shorter than the dead-letter queue's 14: a moved message always has 10 days left there
      MessageRetentionPeriod: 4 * 24 * 3600,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
    expect(template.toJSON().Resources[dlqId].Properties).toEqual({
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
  });

  it('enforces TLS on both queues and lets only the input bucket send to the work queue', () => {
    for (const queue of [queueId, dlqId]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queue }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
            Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
            Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [inputBucketId, 'Arn'] } } },
          },
        ]),
      },
    });
  });

  it('alarms as soon as the dead-letter queue holds a message', () => {
    const { props } = onlyResource(template, 'AWS::CloudWatch::Alarm');
    expect(props).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('notifies the queue of ObjectCreated events for each image suffix, lower and upper case', () => {
    const { props } = onlyResource(template, 'Custom::S3BucketNotifications');
    expect(props.BucketName).toEqual({ Ref: inputBucketId });
    expect(props.Managed).toBe(true);
    const configs = (props.NotificationConfiguration as { QueueConfigurations: unknown[] })
      .QueueConfigurations;
    const expected = DEFAULT_SUFFIXES.flatMap((s) => [s, s.toUpperCase()]);
    expect(configs).toEqual(
      expected.map((suffix) => ({
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: suffix }] } },
        QueueArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      })),
    );
  });

  it('runs the worker on arm64 with the Node.js runtime of LAMBDA_NODE_MAJOR, sized for 2 vCPUs', () => {
    const fn = template.toJSON().Resources[id(stack.worker)].Properties;
    expect(fn).toMatchObject({
      Runtime: `nodejs${LAMBDA_NODE_MAJOR}.x`,
      Architectures: ['arm64'],
      MemorySize: 3008,
      Timeout: 180,
      Handler: 'index.handler',
      RecursiveLoop: 'Terminate',
      LoggingConfig: {
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        SystemLogLevel: 'WARN',
        LogGroup: { Ref: expect.any(String) },
      },
    });
    expect(fn.Environment.Variables).toEqual({
      OUTPUT_BUCKET: { Ref: outputBucketId },
      INPUT_PREFIX: '',
      OUTPUT_PREFIX: '',
      AUGMIX_SETTINGS: '{}',
      DELETE_OUTPUTS_ON_INPUT_DELETE: 'false',
      IMAGE_TIME_RESERVE_MS: '155300',
      IMAGE_CONCURRENCY: '2',
      VIPS_CONCURRENCY: '2',
      UV_THREADPOOL_SIZE: '4',
      MALLOC_ARENA_MAX: '2',
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'augmix-worker',
      POWERTOOLS_METRICS_NAMESPACE: 'AugmixPipeline',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 30,
      LogGroupName: Match.absent(),
    });
    expect(template.toJSON().Resources[fn.LoggingConfig.LogGroup.Ref].Type).toBe('AWS::Logs::LogGroup');
  });

  it('consumes the queue with partial batch responses, batch size 10, a 1 s window and max concurrency 100', () => {
    const { props } = onlyResource(template, 'AWS::Lambda::EventSourceMapping');
    expect(props).toEqual({
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: id(stack.worker) },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 100 },
    });
  });

  it('gives the worker a role with no managed policy and exactly the grants it uses', () => {
    const roleId = id(stack.worker.role! as never);
    const role = template.toJSON().Resources[roleId].Properties;
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
    expect(Object.keys(policies)).toHaveLength(1);
    const logGroupId = template.toJSON().Resources[id(stack.worker)].Properties.LoggingConfig.LogGroup.Ref;
    expect(Object.values(policies)[0]!.Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
      },
      {
        Sid: 'ReadInputImages',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [inputBucketId, 'Arn'] }, '/*']] },
      },
      {
        Sid: 'TellDeletedInputsFromDenied',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: { 'Fn::GetAtt': [inputBucketId, 'Arn'] },
      },
      {
        Sid: 'WriteOutputs',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:DeleteObject'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [outputBucketId, 'Arn'] }, '/*']] },
      },
      {
        Effect: 'Allow',
        Action: [
          'sqs:ReceiveMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueUrl',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
        ],
        Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      },
    ]);
  });

  it('outputs the bucket names, queue URLs, names and ARNs, the alarm and the worker', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.InputBucketName?.Value).toEqual({ Ref: inputBucketId });
    expect(outputs.OutputBucketName?.Value).toEqual({ Ref: outputBucketId });
    expect(outputs.QueueUrl?.Value).toEqual({ Ref: queueId });
    expect(outputs.DeadLetterQueueUrl?.Value).toEqual({ Ref: dlqId });
    expect(outputs.QueueName?.Value).toEqual({ 'Fn::GetAtt': [queueId, 'QueueName'] });
    expect(outputs.QueueArn?.Value).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    expect(outputs.DeadLetterQueueName?.Value).toEqual({ 'Fn::GetAtt': [dlqId, 'QueueName'] });
    expect(outputs.DeadLetterQueueArn?.Value).toEqual({ 'Fn::GetAtt': [dlqId, 'Arn'] });
    expect(outputs.WorkerFunctionName?.Value).toEqual({ Ref: id(stack.worker) });
    expect(outputs.BackfillStateMachineArn?.Value).toEqual({
      Ref: stack.getLogicalId(stack.pipeline.backfill!.machine.stateMachine.node.defaultChild as never),
    });
    expect(outputs.BackfillInputPrefix?.Value).toBe('""');
    expect(outputs.BackfillOutputPrefix?.Value).toBe('""');
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'BackfillInputPrefix',
        'BackfillOutputPrefix',
        'BackfillStateMachineArn',
        'DeadLetterAlarmName',
        'DeadLetterQueueArn',
        'DeadLetterQueueName',
        'DeadLetterQueueUrl',
        'InputBucketName',
        'OutputBucketName',
        'QueueArn',
        'QueueName',
        'QueueUrl',
        'WorkerFunctionName',
        'WorkerLogGroupName',
      ].sort(),
    );
  });
});
