import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { BackfillStateMachineError, TRANSIENT_LAMBDA_ERRORS } from '../../lib/backfill-state-machine.js';
import { buildBackfill, definitionOf, synthBackfill } from './backfill-synth.js';

const RETRY = {
  ErrorEquals: [...TRANSIENT_LAMBDA_ERRORS],
  IntervalSeconds: 2,
  MaxAttempts: 8,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
};

describe('BackfillStateMachine (listing only, default settings)', () => {
  const { machine, template, ids } = synthBackfill();
  const definition = definitionOf(template);
  const map = definition.States.AugmentBatches;

  it('starts with a Distributed Map (Standard children) and ends with the finalize Task', () => {
    expect(definition.StartAt).toBe('AugmentBatches');
    expect(Object.keys(definition.States).sort()).toEqual(['AugmentBatches', 'WriteDatasetManifest']);
    expect(map.Type).toBe('Map');
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map.Label).toBe('Backfill');
    expect(map.Next).toBe('WriteDatasetManifest');
    expect(map.ResultPath).toBe('$.mapRun');
    expect(definition.States.WriteDatasetManifest.End).toBe(true);
  });

  it('lists the execution\u2019s input prefix in the input bucket (ListObjectsV2) and keeps key, size, ETag, index', () => {
    expect(map.ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:listObjectsV2',
      Parameters: { Bucket: `<${ids.input}>`, 'Prefix.$': '$.inputPrefix' },
    });
    expect(map.ItemSelector).toEqual({
      'Key.$': '$$.Map.Item.Value.Key',
      'Size.$': '$$.Map.Item.Value.Size',
      'ETag.$': '$$.Map.Item.Value.Etag',
      'Index.$': '$$.Map.Item.Index',
    });
  });

  it('batches 1,000 items or 200 KiB, with the contract\u2019s BatchInput', () => {
    expect(map.ItemBatcher).toEqual({
      MaxItemsPerBatch: 1000,
      MaxInputBytesPerBatch: 204800,
      BatchInput: {
        inputBucket: `<${ids.input}>`,
        'inputPrefix.$': '$.inputPrefix',
        outputBucket: `<${ids.output}>`,
        'outputPrefix.$': '$.outputPrefix',
        'layout.$': '$.layout',
        'settings.$': '$.settings',
      },
    });
  });

  it('runs at most 100 batches at once, tolerates no failed batch (the service default 0) and has no Retry', () => {
    expect(map.MaxConcurrency).toBe(100);
    expect(map.ToleratedFailurePercentage).toBeUndefined();
    expect(map.Retry).toBeUndefined();
    expect(map.Catch).toBeUndefined();
  });

  it('writes the children\u2019s results to the output bucket under <outputPrefix>backfill-results/', () => {
    expect(map.ResultWriter).toEqual({
      Resource: 'arn:<AWS::Partition>:states:::s3:putObject',
      Parameters: { Bucket: `<${ids.output}>`, Prefix: 'aug/backfill-results/' },
    });
  });

  it('invokes the batch function directly, retrying Lambda service errors and throttling with backoff', () => {
    const task = map.ItemProcessor.States[map.ItemProcessor.StartAt];
    expect(task).toMatchObject({ Type: 'Task', Resource: `<${ids.fn}.Arn>`, End: true, Retry: [RETRY] });
    expect(task.Parameters).toBeUndefined();
    expect(RETRY.ErrorEquals).toEqual(
      expect.arrayContaining([
        'Lambda.TooManyRequestsException',
        'Lambda.ServiceException',
        'Lambda.AWSLambdaException',
        'Lambda.SdkClientException',
      ]),
    );
  });

  it('finalizes with the run\u2019s BatchInput (the contract\u2019s BackfillFinalizeEvent)', () => {
    expect(definition.States.WriteDatasetManifest).toMatchObject({
      Type: 'Task',
      Resource: `<${ids.fn}.Arn>`,
      ResultPath: '$.manifest',
      Retry: [RETRY],
      Parameters: { BatchInput: map.ItemBatcher.BatchInput },
    });
  });

  it('logs ALL events (no execution data) to its own log group and traces with X-Ray', () => {
    const sm = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0]!.Properties;
    const logGroupId =
      template.toJSON().Resources &&
      sm.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    expect(sm.StateMachineType).toBe('STANDARD');
    expect(sm.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    expect(sm.TracingConfiguration).toEqual({ Enabled: true });
    expect(template.toJSON().Resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
    });
  });

  it('grants its role exactly: list the input prefix, write results, invoke the function, deliver logs, trace', () => {
    const roleId = machine.stateMachine.role.node.defaultChild as never;
    const statements = roleStatements(template, machine.stateMachine.stack.getLogicalId(roleId));
    expect(statements).toEqual([
      {
        Sid: 'WriteMapRunResults',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.output, 'Arn'] }, '/aug/backfill-results/*']] },
      },
      {
        Sid: 'ListInputPrefix',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: { 'Fn::GetAtt': [ids.input, 'Arn'] },
        Condition: { StringLike: { 's3:prefix': ['raw/*'] } },
      },
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: [
          { 'Fn::GetAtt': [ids.fn, 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.fn, 'Arn'] }, ':*']] },
        ],
      },
      {
        Effect: 'Allow',
        Action: [
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:DescribeLogGroups',
        ],
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Action: [
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
        ],
        Resource: '*',
      },
    ]);
  });

  it('lets the Distributed Map start, describe, stop and redrive only its own child runs', () => {
    const smLogicalId = machine.stateMachine.stack.getLogicalId(
      machine.stateMachine.node.defaultChild as never,
    );
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p) =>
      JSON.stringify(p.Properties.PolicyDocument).includes('states:StartExecution'),
    )!;
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements.map((s: { Action: unknown }) => s.Action)).toEqual([
      'states:StartExecution',
      ['states:DescribeExecution', 'states:StopExecution'],
      'states:RedriveExecution',
    ]);
    expect(statements[0].Resource).toEqual({ Ref: smLogicalId });
    const text = JSON.stringify(statements.slice(1));
    expect(text).toContain(`:execution:`);
    expect(text).toContain('/Backfill:*');
    expect(text).not.toContain('"Resource":"*"');
  });
});

describe('BackfillStateMachine settings', () => {
  it('renders maxConcurrency, the tolerated failure percentage and the batch limits it is given', () => {
    const { template } = synthBackfill({
      maxConcurrency: 1000,
      toleratedFailurePercentage: 5,
      itemsPerBatch: 250,
      maxInputBytesPerBatch: 65536,
    });
    const map = definitionOf(template).States.AugmentBatches;
    expect(map.MaxConcurrency).toBe(1000);
    expect(map.ToleratedFailurePercentage).toBe(5);
    expect(map.ItemBatcher).toMatchObject({ MaxItemsPerBatch: 250, MaxInputBytesPerBatch: 65536 });
  });

  it('with an inventory source, chooses between the listing and a JSONata inventory Map', () => {
    const { template } = synthBackfill({}, true);
    const definition = definitionOf(template);
    expect(definition.StartAt).toBe('ListingOrInventory');
    expect(definition.States.ListingOrInventory.Choices).toEqual([
      { Variable: '$.inventoryManifestKey', IsPresent: true, Next: 'AugmentInventoryBatches' },
    ]);
    expect(definition.States.ListingOrInventory.Default).toBe('AugmentBatches');
    const inventory = definition.States.AugmentInventoryBatches;
    expect(inventory.QueryLanguage).toBe('JSONata');
    expect(inventory.ItemProcessor.ProcessorConfig).toEqual({
      Mode: 'DISTRIBUTED',
      ExecutionType: 'STANDARD',
    });
    expect(inventory.ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'MANIFEST' },
      Arguments: { Bucket: 'my-inventory', Key: '{% $states.input.inventoryManifestKey %}' },
    });
    expect(inventory.ItemSelector).toContain('$decodeUrlComponent');
    expect(inventory.ItemBatcher.BatchInput.inputPrefix).toBe('{% $states.input.inputPrefix %}');
    expect(inventory.Next).toBe('WriteDatasetManifest');
    expect(inventory.Retry).toBeUndefined();
  });

  it('reports every bad prop at once, naming each', () => {
    expect(() =>
      synthBackfill({
        maxConcurrency: 0,
        toleratedFailurePercentage: 101,
        itemsPerBatch: 1.5,
        maxInputBytesPerBatch: 300000,
        inputPrefix: 'raw',
      }),
    ).toThrow(BackfillStateMachineError);
    try {
      synthBackfill({
        maxConcurrency: 0,
        toleratedFailurePercentage: 101,
        itemsPerBatch: 1.5,
        maxInputBytesPerBatch: 300000,
        inputPrefix: 'raw',
      });
    } catch (error) {
      const problems = (error as BackfillStateMachineError).problems;
      expect(problems).toHaveLength(5);
      expect(problems.join('\n')).toMatch(/maxConcurrency .* received 0/);
      expect(problems.join('\n')).toMatch(/toleratedFailurePercentage .* received 101/);
      expect(problems.join('\n')).toMatch(/itemsPerBatch .* received 1.5/);
      expect(problems.join('\n')).toMatch(/maxInputBytesPerBatch .* received 300000/);
      expect(problems.join('\n')).toMatch(/inputPrefix .* received "raw"/);
    }
  });

  it.each([false, true])('raises no cdk-nag AwsSolutions finding (inventory: %s)', (inventory) => {
    const { stack } = buildBackfill({}, inventory);
    const app = stack.node.root as import('aws-cdk-lib').App;
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});

function roleStatements(template: import('aws-cdk-lib/assertions').Template, roleId: string): unknown[] {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.entries(policies)
    .filter(([id]) => id.includes('RoleDefaultPolicy'))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}
