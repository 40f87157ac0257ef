import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { createApp, DEFAULT_STACK_NAME } from '../../bin/create-app.js';
import { CONTEXT_SETTINGS, settingsFromContext } from '../../lib/context-settings.js';
import { PipelineSettingsError } from '../../lib/resolve-pipeline-settings.js';
import {
  STACK_OUTPUT_KEYS,
  DEFAULT_STACK_NAME as STATUS_STACK_NAME,
} from '../../src/aws/operator/queue-locator.js';
import { SKIP_BUNDLING, unbundledApp } from './synth-stack.js';

function fromContext(context: Record<string, unknown>) {
  return settingsFromContext(new App({ context }).node);
}

describe('settingsFromContext', () => {
  it('parses `-c key=value` strings into typed settings', () => {
    expect(
      fromContext({
        variants: '8',
        severity: '5',
        alpha: '0.5',
        depth: '-1',
        allOps: 'true',
        jsd: 'FALSE',
        outputToInputBucket: '1',
        quality: 'null',
        size: '224',
        format: 'webp',
        inputPrefix: 'raw/',
        outputPrefix: '',
        suffixes: '.png, .jpg',
        memorySize: '4096',
        maxBatchingWindowSeconds: '0',
        existingInputBucketName: 'my-dataset',
      }),
    ).toEqual({
      variants: 8,
      severity: 5,
      alpha: 0.5,
      depth: -1,
      allOps: true,
      jsd: false,
      outputToInputBucket: true,
      quality: null,
      size: 224,
      format: 'webp',
      inputPrefix: 'raw/',
      outputPrefix: '',
      suffixes: ['.png', '.jpg'],
      memorySize: 4096,
      maxBatchingWindowSeconds: 0,
      existingInputBucketName: 'my-dataset',
    });
  });

  it('accepts JSON values as cdk.json gives them', () => {
    expect(fromContext({ variants: 8, allOps: true, size: null, suffixes: ['.png'], alpha: 1e-1 })).toEqual({
      variants: 8,
      allOps: true,
      size: null,
      suffixes: ['.png'],
      alpha: 0.1,
    });
    expect(fromContext({ suffixes: '[".png", ".webp"]' }).suffixes).toEqual(['.png', '.webp']);
  });

  it('ignores CDK\u2019s own context keys', () => {
    expect(
      fromContext({
        ...SKIP_BUNDLING,
        'cli-telemetry': false,
        '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
        'acknowledged-issue-numbers': [1],
        stackName: 'Other',
      }),
    ).toEqual({});
  });

  it('reports unknown keys and unparsable values together', () => {
    let caught: unknown;
    try {
      fromContext({ variant: '8', variants: 'eight', allOps: 'yes', quality: 'best', suffixes: 3 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PipelineSettingsError);
    expect((caught as PipelineSettingsError).problems).toEqual([
      expect.stringMatching(
        /^Unknown context key "variant": the settings are severity, width, .*, variants,/,
      ),
      'Expected context allOps to be a boolean but received "yes"',
      'Expected context variants to be an integer in 1..1000 but received "eight"',
      'Expected context quality to be null or an integer in 1..100 but received "best"',
      "Expected context suffixes to be a non-empty list of literal key suffixes such as '.jpg' (no wildcards) but received 3",
    ]);
  });

  it('knows every stack setting', () => {
    expect(CONTEXT_SETTINGS).toContain('existingInputBucketKmsKeyArn');
    expect(fromContext({ variants: ' 12 ', alpha: '1e3', size: 'None', quality: 'null' })).toEqual({
      variants: 12,
      alpha: 1000,
      size: null,
      quality: null,
    });
  });
});

describe('createApp (bin/app.ts)', () => {
  it('builds the AugmixPipeline stack from context', () => {
    // 8 variants on 4 images at once need a longer timeout than the default (docs/budgets.md)
    const { stack } = createApp(
      unbundledApp({ variants: '8', severity: '5', memorySize: '7076', timeoutSeconds: '600' }),
    );
    expect(stack.stackName).toBe(DEFAULT_STACK_NAME);
    const workerId = stack.getLogicalId(stack.worker.node.defaultChild as never);
    const env = Template.fromStack(stack).toJSON().Resources[workerId].Properties.Environment.Variables;
    expect(JSON.parse(env.AUGMIX_SETTINGS)).toEqual({ severity: 5, variants: 8 });
    expect(env.IMAGE_CONCURRENCY).toBe('4');
  });

  it('names the stack and its queue outputs as augmix status and augmix dlq look them up', () => {
    const { stack } = createApp(unbundledApp());
    expect(stack.stackName).toBe(STATUS_STACK_NAME);
    const outputs = Object.keys(Template.fromStack(stack).toJSON().Outputs);
    expect(outputs).toEqual(expect.arrayContaining(Object.values(STACK_OUTPUT_KEYS)));
  });

  it('takes the stack name from -c stackName', () => {
    expect(createApp(unbundledApp({ stackName: 'AugmixDev' })).stack.stackName).toBe('AugmixDev');
  });

  it('fails with the settings error when context values are out of range', () => {
    expect(() => createApp(unbundledApp({ severity: '11', maxConcurrency: '1' }))).toThrow(
      /Expected severity to be .* but received 11\n {2}- Expected maxConcurrency to be an integer in 2\.\.1000 but received 1/,
    );
  });
});

describe('cdk.json', () => {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));

  it('builds the worker, then runs bin/app.ts, without telemetry or notices', () => {
    expect(cdkJson.app).toBe('npx tsx scripts/build-worker.ts && npx tsx bin/app.ts');
    expect(cdkJson.notices).toBe(false);
    expect(cdkJson.context['cli-telemetry']).toBe(false);
  });

  it('holds only context the app accepts', () => {
    expect(() => fromContext(cdkJson.context)).not.toThrow();
  });
});
