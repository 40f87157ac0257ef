import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { invalidParameter } from '../src/augmix/errors.js';
import { resolveSettings } from '../src/pipeline/settings.js';
import { DEFAULT_IMAGE_SUFFIXES, INFRA_DEFAULTS } from './defaults.js';
import {
  AUGMIX_SETTING_NAMES,
  type AugmixPipelineSettings,
  type AugmixSettings,
} from './pipeline-settings.js';
import { type WorkerSizing, workerSizing } from './worker-sizing.js';

/** The settings after defaults and validation, as the constructs use them. */
export interface ResolvedPipelineSettings {
  /** Only the AugMix/output settings the user set (the worker's `resolveSettings` fills in the rest). */
  readonly augmix: AugmixSettings;
  readonly existingInputBucketName: string | undefined;
  readonly existingInputBucketKmsKeyArn: string | undefined;
  readonly inputPrefix: string;
  readonly outputPrefix: string;
  readonly outputToInputBucket: boolean;
  /** Every suffix the notification listens for, upper-case variants included, without duplicates. */
  readonly suffixes: readonly string[];
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  readonly sizing: WorkerSizing;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly maxConcurrency: number;
  readonly maxReceiveCount: number;
  readonly logRetentionDays: RetentionDays;
}

/** Thrown once with every problem found in the settings. */
export class PipelineSettingsError extends Error {
  override readonly name: string = 'PipelineSettingsError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid augmix-pipeline settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const BUCKET_NAME = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const RETENTION_DAYS = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'),
);

/**
 * Applies the defaults to the user's settings and validates them all, collecting every problem and throwing
 * one {@link PipelineSettingsError} that names each setting, its value and what is allowed.
 */
export function resolvePipelineSettings(settings: AugmixPipelineSettings = {}): ResolvedPipelineSettings {
  const problems: string[] = [];
  const check = <T>(name: string, value: T, ok: (v: T) => boolean, expected: string): void => {
    if (!ok(value)) problems.push(invalidParameter(name, expected, value).message);
  };

  const augmix = pickAugmixSettings(settings);
  validateAugmixSettings(augmix, problems);

  const d = INFRA_DEFAULTS;
  const inputPrefix = settings.inputPrefix ?? d.inputPrefix;
  const outputPrefix = settings.outputPrefix ?? d.outputPrefix;
  const outputToInputBucket = settings.outputToInputBucket ?? d.outputToInputBucket;
  const memorySize = settings.memorySize ?? d.memorySize;
  const timeoutSeconds = settings.timeoutSeconds ?? d.timeoutSeconds;
  const batchSize = settings.batchSize ?? d.batchSize;
  const maxBatchingWindowSeconds = settings.maxBatchingWindowSeconds ?? d.maxBatchingWindowSeconds;
  const maxConcurrency = settings.maxConcurrency ?? d.maxConcurrency;
  const maxReceiveCount = settings.maxReceiveCount ?? d.maxReceiveCount;
  const logRetentionDays = settings.logRetentionDays ?? d.logRetentionDays;
  const { existingInputBucketName, existingInputBucketKmsKeyArn } = settings;

  check('inputPrefix', inputPrefix, isPrefix, "'' or a key prefix ending with '/' (no leading '/', no '*')");
  check(
    'outputPrefix',
    outputPrefix,
    isPrefix,
    "'' or a key prefix ending with '/' (no leading '/', no '*')",
  );
  check('outputToInputBucket', outputToInputBucket, isBoolean, 'a boolean');
  check('memorySize', memorySize, intIn(128, 10240), 'an integer number of MB in 128..10240');
  check('timeoutSeconds', timeoutSeconds, intIn(1, 900), 'an integer number of seconds in 1..900');
  check('imageConcurrency', settings.imageConcurrency, optional(intIn(1, 64)), 'an integer in 1..64');
  check('batchSize', batchSize, intIn(1, 10000), 'an integer in 1..10000');
  check('maxBatchingWindowSeconds', maxBatchingWindowSeconds, intIn(0, 300), 'an integer in 0..300');
  if (Number.isInteger(batchSize) && batchSize > 10 && maxBatchingWindowSeconds === 0) {
    problems.push(
      invalidParameter('maxBatchingWindowSeconds', 'at least 1 when batchSize is above 10', 0).message,
    );
  }
  check('maxConcurrency', maxConcurrency, intIn(2, 1000), 'an integer in 2..1000');
  check('maxReceiveCount', maxReceiveCount, intIn(1, 1000), 'an integer in 1..1000');
  check(
    'logRetentionDays',
    logRetentionDays,
    (v) => RETENTION_DAYS.has(v),
    `one of CloudWatch Logs' retention values (${[...RETENTION_DAYS].join(', ')})`,
  );
  check(
    'existingInputBucketName',
    existingInputBucketName,
    optional((v: string) => typeof v === 'string' && BUCKET_NAME.test(v)),
    'an S3 bucket name (3..63 lower-case letters, digits, dots and hyphens)',
  );
  check(
    'existingInputBucketKmsKeyArn',
    existingInputBucketKmsKeyArn,
    optional((v: string) => typeof v === 'string' && KMS_KEY_ARN.test(v)),
    'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>)',
  );
  if (existingInputBucketKmsKeyArn !== undefined && existingInputBucketName === undefined) {
    problems.push(
      invalidParameter(
        'existingInputBucketKmsKeyArn',
        'set only together with existingInputBucketName (created buckets use S3-managed keys)',
        existingInputBucketKmsKeyArn,
      ).message,
    );
  }
  if (outputToInputBucket === true && isPrefix(inputPrefix) && isPrefix(outputPrefix)) {
    if (prefixesOverlap(inputPrefix, outputPrefix)) {
      problems.push(
        invalidParameter(
          'outputPrefix',
          `a prefix that does not overlap inputPrefix ${JSON.stringify(inputPrefix)} when outputToInputBucket is true ` +
            '(neither may start with the other, so variants never trigger the pipeline again)',
          outputPrefix,
        ).message,
      );
    }
  }

  const suffixes = resolveSuffixes(settings, problems);

  if (problems.length > 0) throw new PipelineSettingsError(problems);
  return {
    augmix,
    existingInputBucketName,
    existingInputBucketKmsKeyArn,
    inputPrefix,
    outputPrefix,
    outputToInputBucket,
    suffixes,
    memorySize,
    timeoutSeconds,
    sizing: workerSizing(memorySize, settings.imageConcurrency),
    batchSize,
    maxBatchingWindowSeconds,
    maxConcurrency,
    maxReceiveCount,
    logRetentionDays: logRetentionDays as RetentionDays,
  };
}

/** True when one prefix starts with the other: keys under one can be under the other. */
export function prefixesOverlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

function resolveSuffixes(settings: AugmixPipelineSettings, problems: string[]): string[] {
  const given = settings.suffixes ?? DEFAULT_IMAGE_SUFFIXES;
  const upper = settings.matchUpperCaseSuffixes ?? INFRA_DEFAULTS.matchUpperCaseSuffixes;
  if (typeof upper !== 'boolean') {
    problems.push(invalidParameter('matchUpperCaseSuffixes', 'a boolean', upper).message);
  }
  const valid = (s: unknown): s is string =>
    typeof s === 'string' && s.length > 0 && s.length <= 1024 && !/[*?]/.test(s);
  if (!Array.isArray(given) || given.length === 0 || !given.every(valid)) {
    problems.push(
      invalidParameter(
        'suffixes',
        "a non-empty list of literal key suffixes such as '.jpg' (no wildcards)",
        Array.isArray(given) ? given.join(',') : given,
      ).message,
    );
    return [];
  }
  const all = [...new Set(upper === false ? given : given.flatMap((s) => [s, s.toUpperCase()]))];
  const overlaps = all.flatMap((a) =>
    all
      .filter((b) => a !== b && a.endsWith(b))
      .map((b) => `${JSON.stringify(a)} ends with ${JSON.stringify(b)}`),
  );
  if (overlaps.length > 0) {
    problems.push(
      invalidParameter(
        'suffixes',
        `suffixes that do not overlap (S3 rejects notification rules whose suffixes overlap; ${overlaps.join(', ')})`,
        given.join(','),
      ).message,
    );
  }
  return all;
}

function pickAugmixSettings(settings: AugmixPipelineSettings): AugmixSettings {
  const picked: Record<string, unknown> = {};
  for (const name of AUGMIX_SETTING_NAMES) {
    if (settings[name] !== undefined) picked[name] = settings[name];
  }
  return picked as AugmixSettings;
}

/**
 * Checks the AugMix and output settings with the core's own `resolveSettings` (the rules the worker applies
 * to `AUGMIX_SETTINGS` at cold start), one setting at a time so that every bad one is reported.
 */
function validateAugmixSettings(settings: AugmixSettings, problems: string[]): void {
  for (const [name, value] of Object.entries(settings)) {
    try {
      resolveSettings({ [name]: value });
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
}

function isPrefix(v: unknown): v is string {
  return typeof v === 'string' && (v === '' || (v.endsWith('/') && !v.startsWith('/') && !v.includes('*')));
}

function isBoolean(v: unknown): boolean {
  return typeof v === 'boolean';
}

function intIn(min: number, max: number): (v: unknown) => boolean {
  return (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
}

function optional<T>(ok: (v: T) => boolean): (v: T | undefined) => boolean {
  return (v) => v === undefined || ok(v);
}
