import { invalidParameter } from '../src/augmix/errors.js';

/** The backfill state machine's settings: typed stack props, also CDK context keys. */
export interface BackfillSettings {
  /** Deploy the backfill state machine and its batch worker. @default true */
  readonly backfillEnabled?: boolean;
  /**
   * Most batch workers the Distributed Map runs at once, 1..10000. They share the account's Lambda
   * concurrency (1,000 per Region by default, less on new accounts) with the event path's `maxConcurrency`.
   * @default 100
   */
  readonly backfillMaxConcurrency?: number;
  /** Percentage of batches that may still fail after their retries without failing the run, 0..100. @default 0 */
  readonly backfillToleratedFailurePercentage?: number;
  /** Images per batch (one child, one shard), 1..10000; see docs/backfill.md for the rule. @default 1000 */
  readonly backfillItemsPerBatch?: number;
  /** Largest batch input in bytes (the items' JSON), 1024..262144 (Step Functions' 256 KiB). @default 204800 */
  readonly backfillMaxInputBytesPerBatch?: number;
  /** Memory of the batch worker in MB, 128..10240. @default 1769 (one vCPU; see docs/backfill.md) */
  readonly backfillMemorySize?: number;
  /** Timeout of the batch worker in seconds, 60..900. @default 900 */
  readonly backfillTimeoutSeconds?: number;
  /**
   * Bucket holding S3 Inventory reports (CSV) of the input bucket: executions may then read their items from an
   * inventory `manifest.json` instead of listing the prefix. @default undefined (listing only)
   */
  readonly backfillInventoryBucketName?: string;
  /** Key prefix of the inventory reports in that bucket ('' or ending with '/'). @default '' */
  readonly backfillInventoryPrefix?: string;
}

/** Defaults of the backfill settings. */
export const BACKFILL_DEFAULTS = {
  backfillEnabled: true,
  backfillMaxConcurrency: 100,
  backfillToleratedFailurePercentage: 0,
  backfillItemsPerBatch: 1000,
  backfillMaxInputBytesPerBatch: 200 * 1024,
  backfillMemorySize: 1769,
  backfillTimeoutSeconds: 900,
  backfillInventoryPrefix: '',
} as const;

/** The backfill settings after defaults and validation. */
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

/** Context keys of the backfill settings and how each is parsed. */
export const BACKFILL_CONTEXT_SETTINGS = {
  backfillEnabled: 'boolean',
  backfillMaxConcurrency: 'number',
  backfillToleratedFailurePercentage: 'number',
  backfillItemsPerBatch: 'number',
  backfillMaxInputBytesPerBatch: 'number',
  backfillMemorySize: 'number',
  backfillTimeoutSeconds: 'number',
  backfillInventoryBucketName: 'string',
  backfillInventoryPrefix: 'string',
} as const satisfies Record<keyof BackfillSettings, string>;

const BUCKET_NAME = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Applies the defaults and validates; every problem is appended to `problems` (none thrown here). */
export function resolveBackfillSettings(
  settings: BackfillSettings,
  problems: string[],
): ResolvedBackfillSettings {
  const d = BACKFILL_DEFAULTS;
  const resolved: ResolvedBackfillSettings = {
    enabled: settings.backfillEnabled ?? d.backfillEnabled,
    maxConcurrency: settings.backfillMaxConcurrency ?? d.backfillMaxConcurrency,
    toleratedFailurePercentage:
      settings.backfillToleratedFailurePercentage ?? d.backfillToleratedFailurePercentage,
    itemsPerBatch: settings.backfillItemsPerBatch ?? d.backfillItemsPerBatch,
    maxInputBytesPerBatch: settings.backfillMaxInputBytesPerBatch ?? d.backfillMaxInputBytesPerBatch,
    memorySize: settings.backfillMemorySize ?? d.backfillMemorySize,
    timeoutSeconds: settings.backfillTimeoutSeconds ?? d.backfillTimeoutSeconds,
    inventoryBucketName: settings.backfillInventoryBucketName,
    inventoryPrefix: settings.backfillInventoryPrefix ?? d.backfillInventoryPrefix,
  };
  const check = (name: keyof BackfillSettings, value: unknown, ok: boolean, expected: string): void => {
    if (!ok) problems.push(invalidParameter(name, expected, value).message);
  };
  const int = (v: unknown, min: number, max: number): boolean =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
  check('backfillEnabled', resolved.enabled, typeof resolved.enabled === 'boolean', 'a boolean');
  check(
    'backfillMaxConcurrency',
    resolved.maxConcurrency,
    int(resolved.maxConcurrency, 1, 10000),
    'an integer in 1..10000',
  );
  check(
    'backfillToleratedFailurePercentage',
    resolved.toleratedFailurePercentage,
    typeof resolved.toleratedFailurePercentage === 'number' &&
      resolved.toleratedFailurePercentage >= 0 &&
      resolved.toleratedFailurePercentage <= 100,
    'a number in 0..100',
  );
  check(
    'backfillItemsPerBatch',
    resolved.itemsPerBatch,
    int(resolved.itemsPerBatch, 1, 10000),
    'an integer in 1..10000',
  );
  check(
    'backfillMaxInputBytesPerBatch',
    resolved.maxInputBytesPerBatch,
    int(resolved.maxInputBytesPerBatch, 1024, 262144),
    'an integer number of bytes in 1024..262144 (Step Functions\u2019 256 KiB payload limit)',
  );
  check(
    'backfillMemorySize',
    resolved.memorySize,
    int(resolved.memorySize, 128, 10240),
    'an integer number of MB in 128..10240',
  );
  check(
    'backfillTimeoutSeconds',
    resolved.timeoutSeconds,
    int(resolved.timeoutSeconds, 60, 900),
    'an integer number of seconds in 60..900',
  );
  check(
    'backfillInventoryBucketName',
    resolved.inventoryBucketName,
    resolved.inventoryBucketName === undefined ||
      (typeof resolved.inventoryBucketName === 'string' && BUCKET_NAME.test(resolved.inventoryBucketName)),
    'an S3 bucket name (3..63 lower-case letters, digits, dots and hyphens)',
  );
  const prefix = resolved.inventoryPrefix;
  check(
    'backfillInventoryPrefix',
    prefix,
    typeof prefix === 'string' &&
      (prefix === '' || (prefix.endsWith('/') && !prefix.startsWith('/') && !prefix.includes('*'))),
    "'' or a key prefix ending with '/' (no leading '/', no '*')",
  );
  return resolved;
}
