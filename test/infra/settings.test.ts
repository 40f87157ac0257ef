import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import type { AugmixPipelineSettings } from '../../lib/pipeline-settings.js';
import {
  PipelineSettingsError,
  prefixesOverlap,
  resolvePipelineSettings,
} from '../../lib/resolve-pipeline-settings.js';
import { workerSizing } from '../../lib/worker-sizing.js';
import { resolveSettings } from '../../src/pipeline/settings.js';
import { LOG_RETENTION_DAYS } from '../../src/settings/table.js';
import { synthPipeline } from './synth-stack.js';

function problemsOf(settings: AugmixPipelineSettings): readonly string[] {
  try {
    resolvePipelineSettings(settings);
  } catch (error) {
    expect(error).toBeInstanceOf(PipelineSettingsError);
    return (error as PipelineSettingsError).problems;
  }
  throw new Error(`settings were accepted: ${JSON.stringify(settings)}`);
}

describe('resolvePipelineSettings', () => {
  it('applies the defaults', () => {
    const resolved = resolvePipelineSettings();
    expect(resolved).toMatchObject({
      augmix: {},
      existingInputBucketName: undefined,
      inputPrefix: '',
      outputPrefix: '',
      outputToInputBucket: false,
      memorySize: 3008,
      timeoutSeconds: 180,
      batchSize: 10,
      maxBatchingWindowSeconds: 1,
      maxConcurrency: 100,
      maxReceiveCount: 5,
      logRetentionDays: 30,
      sizing: { vcpus: 2, imageConcurrency: 2, vipsConcurrency: 2, uvThreadpoolSize: 4 },
      deleteOutputsOnInputDelete: false,
      alarmEmail: undefined,
      // the worst case of the defaults: 30 MP × 1.67 s × 1.5 × 2 images + 5 s (docs/budgets.md)
      imageTimeReserveMs: 155_300,
    });
    expect(resolved.suffixes).toEqual([
      '.jpg',
      '.JPG',
      '.jpeg',
      '.JPEG',
      '.png',
      '.PNG',
      '.webp',
      '.WEBP',
      '.avif',
      '.AVIF',
      '.tif',
      '.TIF',
      '.tiff',
      '.TIFF',
      '.gif',
      '.GIF',
    ]);
  });

  it('keeps only the AugMix settings that were given', () => {
    expect(
      resolvePipelineSettings({
        variants: 8,
        jsd: true,
        quality: null,
        memorySize: 4096,
        timeoutSeconds: 900,
      }).augmix,
    ).toEqual({ variants: 8, jsd: true, quality: null });
  });

  it.each<[AugmixPipelineSettings, string]>([
    [{ memorySize: 64 }, 'Expected memorySize to be an integer number of MB in 128..10240 but received 64'],
    [
      { timeoutSeconds: 901 },
      'Expected timeoutSeconds to be an integer number of seconds in 1..900 but received 901',
    ],
    [{ imageConcurrency: 0 }, 'Expected imageConcurrency to be an integer in 1..64 but received 0'],
    [{ batchSize: 10001 }, 'Expected batchSize to be an integer in 1..10000 but received 10001'],
    [
      { maxBatchingWindowSeconds: 301 },
      'Expected maxBatchingWindowSeconds to be an integer in 0..300 but received 301',
    ],
    [
      { batchSize: 100, maxBatchingWindowSeconds: 0 },
      'Expected maxBatchingWindowSeconds to be at least 1 when batchSize is above 10 but received 0',
    ],
    [{ maxConcurrency: 1 }, 'Expected maxConcurrency to be an integer in 2..1000 but received 1'],
    [{ maxReceiveCount: 0 }, 'Expected maxReceiveCount to be an integer in 1..1000 but received 0'],
    [{ logRetentionDays: 31 }, "Expected logRetentionDays to be one of CloudWatch Logs' retention values"],
    [{ inputPrefix: 'images' }, "Expected inputPrefix to be '' or a key prefix ending with '/'"],
    [{ outputPrefix: '/out/' }, "Expected outputPrefix to be '' or a key prefix ending with '/'"],
    [{ existingInputBucketName: 'My_Bucket' }, 'Expected existingInputBucketName to be an S3 bucket name'],
    [
      { existingInputBucketName: 'data', existingInputBucketKmsKeyArn: 'alias/aws/s3' },
      'Expected existingInputBucketKmsKeyArn to be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>) but received "alias/aws/s3"',
    ],
    [
      { existingInputBucketKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/abc' },
      'Expected existingInputBucketKmsKeyArn to be set only together with existingInputBucketName',
    ],
    [{ suffixes: [] }, 'Expected suffixes to be a non-empty list of literal key suffixes'],
    [{ suffixes: ['.jp*g'] }, 'Expected suffixes to be a non-empty list of literal key suffixes'],
    [
      { suffixes: ['.tar.gz', '.gz'] },
      'Expected suffixes to be suffixes that do not overlap (S3 rejects notification rules whose suffixes overlap; ".tar.gz" ends with ".gz", ".TAR.GZ" ends with ".GZ") but received ".tar.gz,.gz"',
    ],
  ])('rejects %j: %s', (settings, message) => {
    const problems = problemsOf(settings);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  it.each<[AugmixPipelineSettings, string]>([
    [{ severity: 11 }, '11'],
    [{ severity: 2.5 }, '2.5'],
    [{ width: 0 }, '0'],
    [{ depth: 0 }, '0'],
    [{ alpha: 0 }, '0'],
    [{ alpha: Number.NaN }, 'NaN'],
    [{ variants: 0 }, '0'],
    [{ seed: -1 }, '-1'],
    [{ format: 'gif' as never }, '"gif"'],
    [{ quality: 101 }, '101'],
    [{ size: 0 }, '0'],
    [{ orientation: 'up' as never }, '"up"'],
    [{ allOps: 'yes' as never }, '"yes"'],
    [{ jsd: 1 as never }, '1'],
    [{ maxPixels: 0 }, '0'],
  ])('rejects the AugMix setting %j with the core\u2019s resolveSettings message', (settings, received) => {
    const name = Object.keys(settings)[0]!;
    const problems = problemsOf(settings);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      new RegExp(`^Expected ${name} to be .+ but received ${received.replace('.', '\\.')}$`),
    );
    expect(() => resolveSettings(settings)).toThrow(problems[0]);
  });

  it('reports every problem at once, in one error that lists them', () => {
    let caught: unknown;
    try {
      resolvePipelineSettings({ severity: 0, variants: 0, memorySize: 99_999, suffixes: ['jpg', '.jpg'] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PipelineSettingsError);
    const { problems, message } = caught as PipelineSettingsError;
    expect(problems.map((p) => p.split(' ')[1])).toEqual(['severity', 'variants', 'memorySize', 'suffixes']);
    expect(message).toMatch(/^Invalid augmix-pipeline settings:\n {2}- Expected severity/);
    for (const problem of problems) expect(message).toContain(problem);
  });

  describe('outputs in the input bucket', () => {
    it.each([
      ['', 'augmix/'],
      ['images/', 'images/augmix/'],
      ['images/train/', 'images/'],
      ['images/', 'images/'],
      ['images/', ''],
    ])('rejects input prefix %j with output prefix %j (outputs would trigger the pipeline)', (i, o) => {
      const problems = problemsOf({ outputToInputBucket: true, inputPrefix: i, outputPrefix: o });
      expect(problems).toEqual([
        expect.stringContaining(
          `Expected outputPrefix to be a prefix that does not overlap inputPrefix ${JSON.stringify(i)} when outputToInputBucket is true`,
        ),
      ]);
    });

    it('accepts disjoint prefixes', () => {
      const resolved = resolvePipelineSettings({
        outputToInputBucket: true,
        inputPrefix: 'images/',
        outputPrefix: 'images-augmix/',
      });
      expect(resolved.outputPrefix).toBe('images-augmix/');
    });

    it('allows any prefixes when the output bucket is a separate bucket', () => {
      expect(resolvePipelineSettings({ inputPrefix: '', outputPrefix: '' }).outputToInputBucket).toBe(false);
    });
  });

  it('does not add upper-case suffixes when matchUpperCaseSuffixes is false', () => {
    expect(resolvePipelineSettings({ suffixes: ['.png'], matchUpperCaseSuffixes: false }).suffixes).toEqual([
      '.png',
    ]);
    expect(resolvePipelineSettings({ suffixes: ['.png', '.PNG'] }).suffixes).toEqual(['.png', '.PNG']);
  });

  it('is what the stack runs: bad props fail synth with the same error', () => {
    expect(() => synthPipeline({ variants: 0, maxReceiveCount: 0 })).toThrow(
      /Expected variants to be .* but received 0\n {2}- Expected maxReceiveCount/,
    );
  });
});

describe('prefixesOverlap', () => {
  it('is true when one prefix starts with the other', () => {
    expect(prefixesOverlap('a/', 'a/b/')).toBe(true);
    expect(prefixesOverlap('', 'x/')).toBe(true);
    expect(prefixesOverlap('a/', 'b/')).toBe(false);
    expect(prefixesOverlap('ab/', 'a/')).toBe(false);
  });
});

describe('workerSizing', () => {
  it.each([
    [128, 1, 4],
    [1769, 1, 4],
    [1770, 2, 4],
    [3008, 2, 4],
    [5307, 3, 5],
    [7076, 4, 6],
    [10240, 6, 8],
  ])('%i MB -> %i vCPUs (images, vips threads) and a libuv pool of %i', (memory, vcpus, pool) => {
    expect(workerSizing(memory)).toEqual({
      vcpus,
      imageConcurrency: vcpus,
      vipsConcurrency: vcpus,
      uvThreadpoolSize: pool,
    });
  });

  it('takes an explicit image concurrency and sizes the libuv pool for it', () => {
    expect(workerSizing(3008, 6)).toEqual({
      vcpus: 2,
      imageConcurrency: 6,
      vipsConcurrency: 2,
      uvThreadpoolSize: 8,
    });
  });
});

describe('the settings table and CDK', () => {
  it('allows exactly the log retention values CDK knows', () => {
    const cdkValues = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number');
    expect([...LOG_RETENTION_DAYS].sort((a, b) => a - b)).toEqual(cdkValues.sort((a, b) => a - b));
  });
});
