import type { PipelineSettings } from '../src/pipeline/types.js';

/** The AugMix and output settings the workers apply (`AUGMIX_SETTINGS`); unset ones take the core's defaults. */
export type AugmixSettings = Partial<PipelineSettings>;

/** Names of the AugMix and output settings, in the order the docs list them. */
export const AUGMIX_SETTING_NAMES = [
  'severity',
  'width',
  'depth',
  'alpha',
  'allOps',
  'variants',
  'jsd',
  'seed',
  'format',
  'quality',
  'size',
  'orientation',
  'maxPixels',
  'maxBytes',
] as const satisfies readonly (keyof PipelineSettings)[];

/** Everything a user of the pipeline may change: typed stack props, also settable as CDK context (`-c`). */
export interface AugmixPipelineSettings extends AugmixSettings {
  /**
   * Name of an existing bucket (a dataset you already have) to use as the input bucket instead of creating
   * one. The stack only adds its ObjectCreated notifications to that bucket, next to the ones already there.
   * @default undefined (a new input bucket is created)
   */
  readonly existingInputBucketName?: string;
  /**
   * ARN of the KMS key that encrypts the existing input bucket (SSE-KMS); the worker is granted
   * `kms:Decrypt` on it (and `kms:GenerateDataKey` when it also writes there). Only with
   * `existingInputBucketName`.
   * @default undefined (S3-managed encryption, no KMS grant)
   */
  readonly existingInputBucketKmsKeyArn?: string;
  /**
   * Key prefix the notification listens on, and that is stripped from keys to get the relative key the
   * seed rule and layout use. '' = the whole bucket; otherwise it must end with '/'.
   * @default ''
   */
  readonly inputPrefix?: string;
  /** Key prefix the variants are written under ('' or ending with '/'). @default '' */
  readonly outputPrefix?: string;
  /**
   * Write the variants into the input bucket (under `outputPrefix`) instead of a new output bucket. The
   * input and output prefixes must then not overlap, so outputs never trigger the pipeline again.
   * @default false
   */
  readonly outputToInputBucket?: boolean;
  /** Key suffixes that trigger the pipeline (literal, case-sensitive). @default DEFAULT_IMAGE_SUFFIXES */
  readonly suffixes?: readonly string[];
  /** Also listen for each suffix in upper case (`.JPG`). @default true */
  readonly matchUpperCaseSuffixes?: boolean;
  /** Worker memory in MB, 128..10240; also decides its vCPUs (one per 1769 MB). @default 3008 */
  readonly memorySize?: number;
  /** Worker timeout in seconds, 1..900; the queue's visibility timeout is 6× this. @default 120 */
  readonly timeoutSeconds?: number;
  /** Images a worker processes at once within a batch. @default the worker's vCPUs (from memorySize) */
  readonly imageConcurrency?: number;
  /** Messages per invocation, 1..10000 (above 10 needs a batching window >= 1 s). @default 10 */
  readonly batchSize?: number;
  /** Seconds Lambda gathers messages before invoking, 0..300. @default 1 */
  readonly maxBatchingWindowSeconds?: number;
  /** Most concurrent worker invocations for the queue, 2..1000. @default 100 */
  readonly maxConcurrency?: number;
  /** Receives before a message moves to the dead-letter queue, 1..1000. @default 5 */
  readonly maxReceiveCount?: number;
  /** Days the worker's logs are kept (a CloudWatch Logs retention value). @default 30 */
  readonly logRetentionDays?: number;
}
