import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { AugmixPipeline } from '../../lib/augmix-pipeline.js';
import { PipelineSettingsError } from '../../lib/resolve-pipeline-settings.js';
import { SKIP_BUNDLING } from './synth-stack.js';

function plainStack(): Stack {
  return new Stack(new App({ context: SKIP_BUNDLING }), 'TheirStack');
}

describe('AugmixPipeline, the construct', () => {
  it('goes into any stack beside other resources and exposes what it creates', () => {
    const stack = plainStack();
    new Bucket(stack, 'TheirOwnBucket');
    const pipeline = new AugmixPipeline(stack, 'Augmix', {
      variants: 8,
      timeoutSeconds: 300,
      inputPrefix: 'train/',
    });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    expect(pipeline.settings.inputPrefix).toBe('train/');
    expect(pipeline.worker.node.path).toBe('TheirStack/Augmix/Worker');
    expect(stack.resolve(pipeline.queue.queueArn)).toEqual({
      'Fn::GetAtt': [stack.getLogicalId(pipeline.queue.node.defaultChild as never), 'Arn'],
    });
    const workerId = stack.getLogicalId(pipeline.worker.node.defaultChild as never);
    const variables = template.toJSON().Resources[workerId].Properties.Environment.Variables;
    expect(JSON.parse(variables.AUGMIX_SETTINGS as string)).toEqual({ variants: 8 });
    expect(variables.INPUT_PREFIX).toBe('train/');
  });

  it('reports every bad prop in one error', () => {
    let caught: unknown;
    try {
      new AugmixPipeline(plainStack(), 'Augmix', { severity: 0, memorySize: 64, inputPrefix: 'no-slash' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PipelineSettingsError);
    expect((caught as PipelineSettingsError).problems.map((p) => p.split(' ')[1])).toEqual([
      'severity',
      'inputPrefix',
      'memorySize',
    ]);
  });

  it('can appear twice in one stack (two datasets)', () => {
    const stack = plainStack();
    new AugmixPipeline(stack, 'Train', { inputPrefix: 'train/' });
    new AugmixPipeline(stack, 'Test', { inputPrefix: 'test/', severity: 1 });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SQS::Queue', 4);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
  });
});
