import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { invalidParameter } from '../src/augmix/errors.js';
import { imageTimeReserveMs } from '../src/pipeline/image-budget.js';
import { resolveSettings } from '../src/pipeline/settings.js';
import { requiredDefault, settingProblems } from '../src/settings/check.js';
import {
  DEPLOY_SETTINGS,
  type DeploySettingName,
  type DeploySettingValues,
  SETTINGS,
  type Setting,
  type SettingName,
} from '../src/settings/table.js';
import { budgetProblems } from './budgets.js';
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
  readonly deleteOutputsOnInputDelete: boolean;
  readonly alarmEmail: string | undefined;
  /**
   * Milliseconds an invocation must have left to start an image: the worst case of the settings
   * (`IMAGE_TIME_RESERVE_MS`, docs/budgets.md).
   */
  readonly imageTimeReserveMs: number;
  readonly backfill: ResolvedBackfillSettings;
}

/** The backfill state machine's settings (the `backfill*` rows of the settings table). */
export interface ResolvedBackfillSettings {
  readonly enabled: boolean;
  readonly maxConcurrency: number;
  readonly toleratedFailurePercentage: number;
  readonly itemsPerBatch: number;
  readonly maxInputBytesPerBatch: number;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  readonly inventoryBucketName: string | undefined;
  readonly inventoryPrefix: string;
}

/** Thrown once with every problem found in the settings. */
export class PipelineSettingsError extends Error {
  override readonly name: string = 'PipelineSettingsError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid augmix-pipeline settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Applies the defaults to the user's settings and validates them all, once, against the settings table, plus
 * the rules that tie settings together; collects every problem and throws one {@link PipelineSettingsError}
 * that names each setting, its value and what is allowed.
 */
export function resolvePipelineSettings(settings: AugmixPipelineSettings = {}): ResolvedPipelineSettings {
  const given = settings as Readonly<Record<string, unknown>>;
  const problems = settingProblems(SETTINGS, given);
  const valid = (name: SettingName): boolean =>
    given[name] === undefined || problems.every((p) => !p.startsWith(`Expected ${name} to be`));
  const value = <K extends DeploySettingName>(name: K): NonNullable<DeploySettingValues[K]> =>
    (settings[name] ?? requiredDefault(DEPLOY_SETTINGS[name] as Setting<unknown>)) as NonNullable<
      DeploySettingValues[K]
    >;

  const augmix = pickAugmixSettings(settings);
  const inputPrefix = value('inputPrefix');
  const outputPrefix = value('outputPrefix');
  const outputToInputBucket = value('outputToInputBucket');
  const memorySize = value('memorySize');
  const batchSize = value('batchSize');
  const maxBatchingWindowSeconds = value('maxBatchingWindowSeconds');
  const { existingInputBucketName, existingInputBucketKmsKeyArn, imageConcurrency } = settings;

  if (
    valid('batchSize') &&
    valid('maxBatchingWindowSeconds') &&
    batchSize > 10 &&
    maxBatchingWindowSeconds === 0
  ) {
    problems.push(
      invalidParameter('maxBatchingWindowSeconds', 'at least 1 when batchSize is above 10', 0).message,
    );
  }
  if (existingInputBucketKmsKeyArn !== undefined && existingInputBucketName === undefined) {
    problems.push(
      invalidParameter(
        'existingInputBucketKmsKeyArn',
        'set only together with existingInputBucketName (created buckets use S3-managed keys)',
        existingInputBucketKmsKeyArn,
      ).message,
    );
  }
  if (outputToInputBucket === true && valid('inputPrefix') && valid('outputPrefix')) {
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
  const suffixes =
    valid('suffixes') && valid('matchUpperCaseSuffixes')
      ? resolveSuffixes(value('suffixes'), value('matchUpperCaseSuffixes'), problems)
      : [];

  const timeoutSeconds = value('timeoutSeconds');
  const sizing = workerSizing(memorySize, imageConcurrency);
  let reserveMs = 0;
  if (problems.length === 0) {
    const image = resolveSettings(augmix);
    const budget = { ...image, imageConcurrency: sizing.imageConcurrency, memorySize, timeoutSeconds };
    problems.push(...budgetProblems(budget));
    reserveMs = imageTimeReserveMs(budget);
  }

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
    sizing,
    batchSize,
    maxBatchingWindowSeconds,
    maxConcurrency: value('maxConcurrency'),
    maxReceiveCount: value('maxReceiveCount'),
    logRetentionDays: value('logRetentionDays') as RetentionDays,
    deleteOutputsOnInputDelete: value('deleteOutputsOnInputDelete'),
    alarmEmail: settings.alarmEmail,
    imageTimeReserveMs: reserveMs,
    backfill: {
      enabled: value('backfillEnabled'),
      maxConcurrency: value('backfillMaxConcurrency'),
      toleratedFailurePercentage: value('backfillToleratedFailurePercentage'),
      itemsPerBatch: value('backfillItemsPerBatch'),
      maxInputBytesPerBatch: value('backfillMaxInputBytesPerBatch'),
      memorySize: value('backfillMemorySize'),
      timeoutSeconds: value('backfillTimeoutSeconds'),
      inventoryBucketName: settings.backfillInventoryBucketName,
      inventoryPrefix: value('backfillInventoryPrefix'),
    },
  };
}

/** True when one prefix starts with the other: keys under one can be under the other. */
export function prefixesOverlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** Every suffix, upper-case variants added, without duplicates; reports suffixes that overlap (S3 refuses them). */
function resolveSuffixes(given: readonly string[], upper: boolean, problems: string[]): string[] {
  const all = [...new Set(upper ? given.flatMap((s) => [s, s.toUpperCase()]) : given)];
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
