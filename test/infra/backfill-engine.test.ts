import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { BackfillEngine } from '../../lib/backfill-engine.js';
import { PipelineBuckets } from '../../lib/pipeline-buckets.js';
import { resolvePipelineSettings } from '../../lib/resolve-pipeline-settings.js';
import { definitionOf } from './backfill-synth.js';
import { synthPipeline, unbundledApp } from './synth-stack.js';

/** The engine in a stack of its own, with the prebuilt backfill worker (asset bundling skipped). */
function build(context: Record<string, unknown> = {}) {
  const app = unbundledApp();
  const stack = new Stack(app, 'Engine');
  const buckets = new PipelineBuckets(stack, 'Buckets');
  const settings = resolvePipelineSettings({
    inputPrefix: 'raw/',
    outputPrefix: 'aug/',
    variants: 2,
    ...context,
  });
  const engine = new BackfillEngine(stack, 'Backfill', {
    inputBucket: buckets.inputBucket,
    inputPrefix: settings.inputPrefix,
    outputBucket: buckets.outputBucket,
    outputPrefix: settings.outputPrefix,
    augmix: settings.augmix,
    settings: settings.backfill,
    logRetention: settings.logRetentionDays,
  });
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
  return { app, stack, engine, buckets, id };
}

describe('BackfillEngine', () => {
  const { stack, engine, buckets, id } = build();
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources;

  it('runs the batch worker at 1,769 MB (one vCPU, one image thread) for 900 s, and the finalize handler', () => {
    const batch = resources[id(engine.batchFunction)].Properties;
    expect(batch).toMatchObject({
      MemorySize: 1769,
      Timeout: 900,
      Handler: 'index.handler',
      Architectures: ['arm64'],
    });
    expect(batch.Environment.Variables).toMatchObject({
      AUGMIX_SETTINGS: '{"variants":2}',
      BATCH_THREADS: '1',
      AUGMIX_TOOL_VERSION: expect.stringMatching(/^augmix-pipeline \d+\.\d+\.\d+/),
    });
    const finalize = resources[id(engine.finalizeFunction)].Properties;
    expect(finalize).toMatchObject({ Handler: 'index.finalizeHandler', Timeout: 900 });
  });

  it('invokes the batch worker in the Map and the finalize worker after it', () => {
    const definition = definitionOf(template);
    const map = definition.States.AugmentBatches;
    expect(map.ItemProcessor.States.AugmentBatch.Resource).toBe(`<${id(engine.batchFunction)}.Arn>`);
    expect(definition.States.WriteDatasetManifest.Resource).toBe(`<${id(engine.finalizeFunction)}.Arn>`);
  });

  it('lets the finalize worker list, read and write only under the output prefix', () => {
    const roleId = id(engine.finalizeFunction.role as never);
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const outputId = id(buckets.outputBucket as never);
    expect(statements.slice(1)).toEqual([
      {
        Sid: 'ListShardIndexes',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: { 'Fn::GetAtt': [outputId, 'Arn'] },
        Condition: { StringLike: { 's3:prefix': ['aug/*'] } },
      },
      {
        Sid: 'ReadIndexesWriteManifest',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [outputId, 'Arn'] }, '/aug/*']] },
      },
    ]);
  });

  it('gives the batch worker the event worker\u2019s S3 grants (read the input prefix, write the output prefix)', () => {
    const roleId = id(engine.batchFunction.role as never);
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
    const sids = Object.values(policies).flatMap((p) =>
      p.Properties.PolicyDocument.Statement.map((s: { Sid?: string }) => s.Sid),
    );
    expect(sids).toEqual([undefined, 'ReadInputImages', 'TellDeletedInputsFromDenied', 'WriteOutputs']);
  });

  it('raises no cdk-nag AwsSolutions finding', () => {
    const { app } = build({ backfillMaxConcurrency: 1000 });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});

describe('AugmixPipeline and the backfill settings', () => {
  it('has the backfill by default, wired to the pipeline\u2019s buckets and prefixes', () => {
    const { stack, template } = synthPipeline({
      inputPrefix: 'in/',
      outputPrefix: 'out/',
      backfillMaxConcurrency: 250,
    });
    expect(stack.pipeline.backfill).toBeDefined();
    const map = definitionOf(template).States.AugmentBatches;
    expect(map.MaxConcurrency).toBe(250);
    expect(map.ResultWriter.Parameters.Prefix).toBe('out/backfill-results/');
    const outputs = template.toJSON().Outputs;
    expect(outputs.BackfillInputPrefix.Value).toBe('"in/"');
    expect(outputs.BackfillOutputPrefix.Value).toBe('"out/"');
  });

  it('backfillEnabled=false leaves out the state machine, its workers and outputs', () => {
    const { stack, template } = synthPipeline({ backfillEnabled: false });
    expect(stack.pipeline.backfill).toBeUndefined();
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    template.resourceCountIs('AWS::Lambda::Function', 2); // the worker and CDK's notifications handler
    expect(Object.keys(template.toJSON().Outputs)).not.toContain('BackfillStateMachineArn');
  });

  it('with an inventory bucket, executions may read an inventory manifest', () => {
    const { template } = synthPipeline({
      backfillInventoryBucketName: 'my-inventory',
      backfillInventoryPrefix: 'inv/',
    });
    expect(definitionOf(template).States.AugmentInventoryBatches.ItemReader.Arguments.Bucket).toBe(
      'my-inventory',
    );
  });

  it('reports bad backfill settings with the others, naming each', () => {
    expect(() =>
      synthPipeline({
        backfillMaxConcurrency: 0,
        backfillItemsPerBatch: 20000,
        backfillInventoryPrefix: 'x',
      }),
    ).toThrow(/backfillMaxConcurrency[\s\S]*backfillItemsPerBatch[\s\S]*backfillInventoryPrefix/);
  });
});
