/**
 * The settings table: every setting of augmix-pipeline, once. Everything else is derived from it: the CLI
 * flags and their help (`src/cli/settings-options.ts`), the pipeline's defaults and validation
 * (`src/pipeline/settings.ts`), the CDK props type, `-c` context parsing and validation
 * (`lib/pipeline-settings.ts`, `lib/context-settings.ts`, `lib/resolve-pipeline-settings.ts`), the worker's
 * environment (`src/aws/worker/worker-config.ts`) and the README's settings table (`npm run docs:settings`).
 *
 * A setting's key below is its name: the CDK prop, the `-c` context key and (for image settings) the key in
 * the worker's `AUGMIX_SETTINGS` JSON.
 *
 * To add a setting:
 * 1. Add an entry to IMAGE_SETTINGS when it changes the bytes a run writes for an image (it then becomes part
 *    of `PipelineSettings`, of the run's settings check and of `AUGMIX_SETTINGS`), else to DEPLOY_SETTINGS.
 *    Give its `type` (value-types.ts: integer, numberAbove, boolean, oneOf, orNone, text, textList), its
 *    `default` (or `undefined` with a `defaultText`), a one-line `help`, and where it applies: `flag` for
 *    `augmix run`/`preview`, `env` for a variable the worker reads.
 * 2. Use it: `PipelineSettings.<name>` in the pipeline, or `ResolvedPipelineSettings.<name>` in lib/ (add it
 *    there and to `resolvePipelineSettings`' result), or `readWorkerConfig` for an `env` one.
 * 3. Run `npm run docs:settings` to regenerate the README table (a test fails while it is out of date).
 */
import { DEFAULT_AUGMIX_PARAMETERS, MAX_DEPTH, MAX_SEVERITY, MAX_WIDTH } from '../augmix/parameters.js';
import { DEFAULT_QUALITY, INPUT_IMAGE_SUFFIXES, OUTPUT_FORMATS } from '../codec/formats.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, MAX_SIZE } from '../codec/limits.js';
import {
  boolean,
  integer,
  numberAbove,
  oneOf,
  orNone,
  text,
  textList,
  type ValueType,
} from './value-types.js';

/** One row of the table. */
export interface Setting<T> {
  readonly type: ValueType<T>;
  /** The value when none is given; `undefined` when unset means "not used" or a value computed elsewhere. */
  readonly default: T | undefined;
  /** The default as help and the README say it, when `default` alone does not say it. */
  readonly defaultText?: string;
  /** One line: what the setting does (help and README add the allowed values and the default). */
  readonly help: string;
  /** The flag of `augmix run` and `augmix preview`, without `--`; absent when the CLI has none. */
  readonly flag?: string;
  /** Other names the flag is accepted under. */
  readonly aliases?: readonly string[];
  /** The environment variable the Lambda worker reads it from (image settings travel in AUGMIX_SETTINGS). */
  readonly env?: string;
}

/** A row; its value type comes from `type` alone (the default must fit it). */
function setting<T>(
  row: Omit<Setting<T>, 'default'> & { readonly default: NoInfer<T> | undefined },
): Setting<T> {
  return row;
}

/** Most variants (JSD mode: pairs) per input. */
export const MAX_VARIANTS = 1000;

/** The environment variable that carries the image settings to the worker, as a JSON object. */
export const IMAGE_SETTINGS_ENV = 'AUGMIX_SETTINGS';

const ANY_SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/** Settings that decide the bytes written for an image (`PipelineSettings`), in the order records list them. */
export const IMAGE_SETTINGS = {
  severity: setting({
    type: integer(1, MAX_SEVERITY, { placeholder: 'S' }),
    default: DEFAULT_AUGMIX_PARAMETERS.severity,
    help: 'AugMix severity: every op level is drawn from [0.1, severity)',
    flag: 'severity',
  }),
  width: setting({
    type: integer(1, MAX_WIDTH, { placeholder: 'W' }),
    default: DEFAULT_AUGMIX_PARAMETERS.width,
    help: 'chains mixed into each variant (the mixture width)',
    flag: 'width',
    aliases: ['mixture-width', 'mixture_width'],
  }),
  depth: setting({
    type: integer(1, MAX_DEPTH, {
      extra: [-1],
      expected: `-1 (random 1..3) or an integer in 1..${MAX_DEPTH}`,
      placeholder: 'D',
    }),
    default: DEFAULT_AUGMIX_PARAMETERS.depth,
    help: 'ops per chain',
    flag: 'depth',
    aliases: ['chain-depth', 'chain_depth'],
  }),
  alpha: setting({
    type: numberAbove(0, 'A'),
    default: DEFAULT_AUGMIX_PARAMETERS.alpha,
    help: 'Dirichlet and Beta concentration',
    flag: 'alpha',
  }),
  allOps: setting({
    type: boolean(),
    default: DEFAULT_AUGMIX_PARAMETERS.allOps,
    help: 'also draw color, contrast, brightness and sharpness',
    flag: 'all-ops',
    aliases: ['all_ops'],
  }),
  variants: setting({
    type: integer(1, MAX_VARIANTS, { placeholder: 'K' }),
    default: 4,
    help: 'variants per image (JSD mode: pairs per image)',
    flag: 'variants',
  }),
  jsd: setting({
    type: boolean(),
    default: false,
    help: 'JSD mode: the clean view plus K pairs of independent AugMix views',
    flag: 'jsd',
  }),
  seed: setting({
    type: integer(0, ANY_SAFE_INTEGER),
    default: 0,
    help: 'the run seed (variant seeds derive from it, the relative key and the index)',
    flag: 'seed',
  }),
  format: setting({
    type: oneOf(['same', ...OUTPUT_FORMATS], { placeholder: 'F' }),
    default: 'same',
    help: 'output format (same: the input’s when it is one of these, else png)',
    flag: 'format',
  }),
  quality: setting({
    type: orNone(integer(1, 100, { placeholder: 'Q' })),
    default: null,
    defaultText: `the format’s (jpeg ${DEFAULT_QUALITY.jpeg}, webp ${DEFAULT_QUALITY.webp}, avif ${DEFAULT_QUALITY.avif})`,
    help: 'encoder quality of jpeg, webp and avif outputs',
    flag: 'quality',
  }),
  size: setting({
    type: orNone(integer(1, MAX_SIZE)),
    default: null,
    help: 'resize the short side to this and centre-crop a square before augmenting',
    flag: 'size',
  }),
  orientation: setting({
    type: oneOf(['auto', 'raw'], { placeholder: 'O' }),
    default: 'auto',
    help: 'auto applies the EXIF orientation; raw keeps the stored pixel order',
    flag: 'orientation',
  }),
  maxPixels: setting({
    type: integer(1, ANY_SAFE_INTEGER),
    default: DEFAULT_MAX_PIXELS,
    help: 'larger images (width × height) get a too-many-pixels failure',
    flag: 'max-pixels',
  }),
  maxBytes: setting({
    type: integer(1, ANY_SAFE_INTEGER),
    default: DEFAULT_MAX_BYTES,
    help: 'larger files get a too-many-bytes failure',
    flag: 'max-bytes',
  }),
  allowNonRaster: setting({
    type: boolean(),
    default: false,
    help: 'also decode SVG, PDF and other non-raster inputs (else unsupported-format); their render time has no bound',
    flag: 'allow-non-raster',
  }),
};

const BUCKET_NAME = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const PREFIX_EXPECTED = "'' or a key prefix ending with '/' (no leading '/', no '*')";

/** True for '' and for a key prefix ending with '/' without a leading '/' or a wildcard. */
export function isKeyPrefix(value: string): boolean {
  return value === '' || (value.endsWith('/') && !value.startsWith('/') && !value.includes('*'));
}

/** CloudWatch Logs' retention values in days (9999 = never expire). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
  9999,
] as const;

/** Settings of the AWS deployment (CDK props and `-c` context keys); they do not change an image's bytes. */
export const DEPLOY_SETTINGS = {
  inputPrefix: setting({
    type: text(PREFIX_EXPECTED, isKeyPrefix, 'PREFIX'),
    default: '',
    help: 'key prefix the notification listens on; stripped from keys to get the relative key',
    env: 'INPUT_PREFIX',
  }),
  outputPrefix: setting({
    type: text(PREFIX_EXPECTED, isKeyPrefix, 'PREFIX'),
    default: '',
    help: 'key prefix the variants are written under',
    env: 'OUTPUT_PREFIX',
  }),
  suffixes: setting({
    type: textList(
      "a non-empty list of literal key suffixes such as '.jpg' (no wildcards)",
      (suffix) => suffix.length > 0 && suffix.length <= 1024 && !/[*?]/.test(suffix),
    ),
    default: INPUT_IMAGE_SUFFIXES,
    help: 'key suffixes that trigger the pipeline (literal, case-sensitive)',
  }),
  matchUpperCaseSuffixes: setting({
    type: boolean(),
    default: true,
    help: 'also listen for each suffix in upper case (.JPG)',
  }),
  existingInputBucketName: setting({
    type: text(
      'an S3 bucket name (3..63 lower-case letters, digits, dots and hyphens)',
      (name) => BUCKET_NAME.test(name),
      'NAME',
    ),
    default: undefined,
    defaultText: 'none (a new input bucket)',
    help: 'use this existing bucket as the input bucket (only notifications are added to it)',
  }),
  existingInputBucketKmsKeyArn: setting({
    type: text(
      'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>)',
      (arn) => KMS_KEY_ARN.test(arn),
      'ARN',
    ),
    default: undefined,
    defaultText: 'none (S3-managed keys)',
    help: 'the SSE-KMS key of the existing input bucket (the worker may decrypt with it)',
  }),
  outputToInputBucket: setting({
    type: boolean(),
    default: false,
    help: 'write the variants into the input bucket (the prefixes must then not overlap)',
  }),
  memorySize: setting({
    type: integer(128, 10240, { expected: 'an integer number of MB in 128..10240' }),
    default: 3008,
    help: 'worker memory in MB; also its vCPUs (one per 1769 MB)',
  }),
  timeoutSeconds: setting({
    type: integer(1, 900, { expected: 'an integer number of seconds in 1..900' }),
    default: 180,
    help: 'worker timeout; the queue’s visibility timeout is 6× this',
  }),
  imageConcurrency: setting({
    type: integer(1, 64),
    default: undefined,
    defaultText: 'the worker’s vCPUs',
    help: 'images a worker processes at once within a batch',
    env: 'IMAGE_CONCURRENCY',
  }),
  batchSize: setting({
    type: integer(1, 10000),
    default: 10,
    help: 'messages per invocation (above 10 needs a batching window of at least 1 s)',
  }),
  maxBatchingWindowSeconds: setting({
    type: integer(0, 300),
    default: 1,
    help: 'seconds Lambda gathers messages before invoking',
  }),
  maxConcurrency: setting({
    type: integer(2, 1000),
    default: 100,
    help: 'most concurrent worker invocations for the queue',
  }),
  maxReceiveCount: setting({
    type: integer(1, 1000),
    default: 5,
    help: 'receives before a message moves to the dead-letter queue',
  }),
  deleteOutputsOnInputDelete: setting({
    type: boolean(),
    default: false,
    help: 'delete an input’s outputs when the input is deleted (ObjectRemoved events); off: they are kept',
    env: 'DELETE_OUTPUTS_ON_INPUT_DELETE',
  }),
  alarmEmail: setting({
    type: text('an e-mail address', (address) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address), 'ADDRESS'),
    default: undefined,
    defaultText: 'none (the alarm has no action)',
    help: 'e-mail the dead-letter queue alarm notifies (an SNS topic with this subscription)',
  }),
  logRetentionDays: setting({
    type: oneOf<number>(LOG_RETENTION_DAYS, {
      expected: `one of CloudWatch Logs' retention values (${LOG_RETENTION_DAYS.join(', ')})`,
    }),
    default: 30,
    help: 'days the worker’s logs are kept',
  }),
  backfillEnabled: setting({
    type: boolean(),
    default: true,
    help: 'deploy the backfill state machine (Distributed Map) and its batch worker',
  }),
  backfillMaxConcurrency: setting({
    type: integer(1, 10000),
    default: 100,
    help: 'most batch workers the backfill runs at once (shares the account’s Lambda concurrency with maxConcurrency)',
  }),
  backfillToleratedFailurePercentage: setting({
    type: integer(0, 100),
    default: 0,
    help: 'percent of batches that may still fail after their retries without failing the backfill run',
  }),
  backfillItemsPerBatch: setting({
    type: integer(1, 10000),
    default: 1000,
    help: 'images per backfill batch (one batch worker invocation, one shard); see docs/backfill.md',
  }),
  backfillMaxInputBytesPerBatch: setting({
    type: integer(1024, 262144, { expected: 'an integer number of bytes in 1024..262144 (256 KiB)' }),
    default: 204800,
    help: 'largest batch input (the items’ JSON) Step Functions hands a batch worker',
  }),
  backfillMemorySize: setting({
    type: integer(128, 10240, { expected: 'an integer number of MB in 128..10240' }),
    default: 1769,
    help: 'batch worker memory in MB (1769 = one vCPU, the lowest cost per image; docs/backfill.md)',
  }),
  backfillTimeoutSeconds: setting({
    type: integer(60, 900, { expected: 'an integer number of seconds in 60..900' }),
    default: 900,
    help: 'batch worker timeout',
  }),
  backfillInventoryBucketName: setting({
    type: text(
      'an S3 bucket name (3..63 lower-case letters, digits, dots and hyphens)',
      (name) => BUCKET_NAME.test(name),
      'NAME',
    ),
    default: undefined,
    defaultText: 'none (the backfill lists the prefix)',
    help: 'bucket of the input bucket’s S3 Inventory reports (CSV), which a backfill may read instead of listing',
  }),
  backfillInventoryPrefix: setting({
    type: text(PREFIX_EXPECTED, isKeyPrefix, 'PREFIX'),
    default: '',
    help: 'key prefix of the inventory reports in that bucket',
  }),
};

/** Every setting: the image settings, then the deployment's. */
export const SETTINGS = { ...IMAGE_SETTINGS, ...DEPLOY_SETTINGS };

/** The value type of a setting. */
export type ValueOf<S> = S extends Setting<infer T> ? T : never;

export type ImageSettingName = keyof typeof IMAGE_SETTINGS;
export type DeploySettingName = keyof typeof DEPLOY_SETTINGS;
export type SettingName = keyof typeof SETTINGS;

/** Every image setting with a value: what `processImage` takes (`resolveSettings` fills in the defaults). */
export type ImageSettingValues = { readonly [K in ImageSettingName]: ValueOf<(typeof IMAGE_SETTINGS)[K]> };

/** The deployment settings, all optional (as CDK props and context give them). */
export type DeploySettingValues = {
  readonly [K in DeploySettingName]?: ValueOf<(typeof DEPLOY_SETTINGS)[K]>;
};

/** The environment variable the worker reads a setting from. */
export function envVariable(name: SettingName): string {
  const variable = (SETTINGS[name] as Setting<unknown>).env;
  if (variable === undefined) throw new Error(`the worker does not read the setting ${name}`);
  return variable;
}
