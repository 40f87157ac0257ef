import { imageTimeReserveMs } from '../../pipeline/image-budget.js';
import { resolveSettings } from '../../pipeline/settings.js';
import type { PipelineSettings } from '../../pipeline/types.js';
import { DEPLOY_SETTINGS, envVariable, IMAGE_SETTINGS_ENV } from '../../settings/table.js';

/** The variables of the settings table the worker reads. */
const INPUT_PREFIX = envVariable('inputPrefix');
const OUTPUT_PREFIX = envVariable('outputPrefix');
const IMAGE_CONCURRENCY = envVariable('imageConcurrency');

/** The worker's configuration, read once per container from its environment (the worker environment contract). */
export interface WorkerConfig {
  /** Bucket the outputs are written to (`OUTPUT_BUCKET`). */
  readonly outputBucket: string;
  /** Stripped from object keys to get the relative key (`INPUT_PREFIX`; '' = whole bucket, else ends in `/`). */
  readonly inputPrefix: string;
  /** Prepended to the layout's output names (`OUTPUT_PREFIX`; '' or ends in `/`). */
  readonly outputPrefix: string;
  /** Validated pipeline settings (`AUGMIX_SETTINGS`, a JSON object of `Partial<PipelineSettings>`). */
  readonly settings: PipelineSettings;
  /** Images processed at once within one batch (`IMAGE_CONCURRENCY`). */
  readonly imageConcurrency: number;
  /**
   * libvips threads per image (`VIPS_CONCURRENCY`), or `null` for sharp's default. Applied through
   * `configureSharp`: on glibc Linux without jemalloc (Lambda) sharp itself sets 1 thread, ignoring the
   * variable.
   */
  readonly vipsConcurrency: number | null;
  /**
   * Delete an input's outputs when the input is deleted (`DELETE_OUTPUTS_ON_INPUT_DELETE`; the stack then also
   * sends ObjectRemoved events). Off: a deleted input's outputs are kept.
   */
  readonly deleteOutputsOnInputDelete: boolean;
  /**
   * Milliseconds an invocation must have left to start an image (`IMAGE_TIME_RESERVE_MS`); images it cannot
   * start are handed back to SQS. @default the worst case of the settings (`imageTimeReserveMs`)
   */
  readonly imageTimeReserveMs: number;
}

/** Environment variables as Node exposes them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A missing or invalid environment variable; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads and validates the worker configuration.
 *
 * Prefixes are folders: a non-empty `INPUT_PREFIX`/`OUTPUT_PREFIX` without a trailing `/` gets one, so
 * `uploads` and `uploads/` both map `uploads/cat/1.jpg` to the relative key `cat/1.jpg`.
 * `IMAGE_CONCURRENCY` defaults to 1 (the stack sets it from the function's memory).
 * @throws ConfigError naming the variable that is missing or invalid.
 */
export function readWorkerConfig(env: Environment): WorkerConfig {
  const settings = settingsFrom(env);
  const imageConcurrency = imageConcurrencyFrom(env);
  return {
    outputBucket: requiredString(env, 'OUTPUT_BUCKET'),
    inputPrefix: folderPrefix(env, INPUT_PREFIX),
    outputPrefix: folderPrefix(env, OUTPUT_PREFIX),
    settings,
    imageConcurrency,
    vipsConcurrency: positiveInteger(env, 'VIPS_CONCURRENCY', null),
    deleteOutputsOnInputDelete: booleanFlag(env, 'DELETE_OUTPUTS_ON_INPUT_DELETE'),
    imageTimeReserveMs: positiveInteger(
      env,
      'IMAGE_TIME_RESERVE_MS',
      imageTimeReserveMs({ ...settings, imageConcurrency }),
    ),
  };
}

/** `AUGMIX_S3_FORCE_PATH_STYLE`: `true` for local S3 servers (s3rver); path-style addressing. */
export function forcePathStyle(env: Environment): boolean {
  return booleanFlag(env, 'AUGMIX_S3_FORCE_PATH_STYLE');
}

/** A true/false variable: unset, '', `false` or `0` is false; `true` or `1` is true; anything else an error. */
function booleanFlag(env: Environment, name: string): boolean {
  const value = env[name];
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new ConfigError(`Expected ${name} to be true or false but received ${JSON.stringify(value)}`);
}

function requiredString(env: Environment, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ConfigError(
      `Expected ${name} to be set (a non-empty string) but it is ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function folderPrefix(env: Environment, name: string): string {
  const value = env[name] ?? '';
  if (value.startsWith('/')) {
    throw new ConfigError(
      `Expected ${name} to be '' or a key prefix without a leading "/" but received ${JSON.stringify(value)}`,
    );
  }
  return value === '' || value.endsWith('/') ? value : `${value}/`;
}

function positiveInteger<T extends number | null>(env: Environment, name: string, fallback: T): number | T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1 || !/^\d+$/.test(raw.trim())) {
    throw new ConfigError(`Expected ${name} to be an integer >= 1 but received ${JSON.stringify(raw)}`);
  }
  return value;
}

/** `IMAGE_CONCURRENCY`, as the settings table allows it; 1 when unset. */
function imageConcurrencyFrom(env: Environment): number {
  const raw = env[IMAGE_CONCURRENCY];
  if (raw === undefined || raw === '') return 1;
  const { type } = DEPLOY_SETTINGS.imageConcurrency;
  const value = type.parse(raw);
  if (!type.accepts(value)) {
    throw new ConfigError(
      `Expected ${IMAGE_CONCURRENCY} to be ${type.expected} but received ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function settingsFrom(env: Environment): PipelineSettings {
  const raw = env[IMAGE_SETTINGS_ENV];
  if (raw === undefined || raw.trim() === '') return resolveSettings({});
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(`Expected AUGMIX_SETTINGS to be a JSON object but it is not JSON: ${raw}`, {
      cause: error,
    });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(`Expected AUGMIX_SETTINGS to be a JSON object but received ${raw}`);
  }
  try {
    return resolveSettings(json as Partial<PipelineSettings>);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`Invalid AUGMIX_SETTINGS: ${reason}`, { cause: error });
  }
}
