import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../bin/create-app.js';
import { SKIP_BUNDLING, unbundledApp } from './synth-stack.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** An app with its own output folder (the validation report is written there). */
function appWithOutdir(context: Record<string, unknown>): { app: App; outdir: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'augmix-nag-'));
  outdirs.push(outdir);
  return { app: new App({ outdir, context: { ...SKIP_BUNDLING, ...context } }), outdir };
}

function violations(outdir: string): string[] {
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
  return report.pluginReports.flatMap((plugin: { violations: { ruleName: string }[] }) =>
    plugin.violations.map((v) => v.ruleName),
  );
}

const CONFIGURATIONS: Record<string, Record<string, string>> = {
  'default settings': {},
  'prefixes and custom suffixes': { inputPrefix: 'raw/', outputPrefix: 'augmix/', suffixes: '.png,.jpg' },
  'outputs in the input bucket': { outputToInputBucket: 'true', inputPrefix: 'in/', outputPrefix: 'out/' },
  'an existing SSE-KMS input bucket': {
    existingInputBucketName: 'my-dataset',
    existingInputBucketKmsKeyArn: KEY_ARN,
    inputPrefix: 'raw/',
  },
  'alarm e-mail and output deletes on input deletes': {
    alarmEmail: 'ops@example.com',
    deleteOutputsOnInputDelete: 'true',
  },
};

describe('cdk-nag AwsSolutions checks on the app', () => {
  it.each(Object.entries(CONFIGURATIONS))('raise no finding with %s', (_name, context) => {
    const { app } = createApp(unbundledApp(context));
    expect(() => app.synth()).not.toThrow();
  });

  it('are registered by createApp: an unacknowledged finding fails synth', () => {
    const { app, outdir } = appWithOutdir({});
    const { stack } = createApp(app);
    new Bucket(stack, 'UncheckedBucket');
    expect(() => app.synth()).toThrow(/\(AwsSolutions\)/);
    expect(violations(outdir)).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });

  it.each(Object.entries(CONFIGURATIONS))(
    'acknowledge only real findings, each with a reason (%s)',
    (_name, context) => {
      const acknowledge = vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => {});
      try {
        const { app, outdir } = appWithOutdir(context);
        createApp(app);
        expect(() => app.synth()).toThrow(/\(AwsSolutions\)/);
        const acknowledged = acknowledge.mock.calls.flat();
        expect(new Set(acknowledged.map((a) => a.id))).toEqual(new Set(violations(outdir)));
        for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(60);
      } finally {
        acknowledge.mockRestore();
      }
    },
  );
});
