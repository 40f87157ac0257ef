import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { formatS3Url, isS3Url, parseS3Url, type S3Location } from './s3-location.js';
import { resolveFolder } from './walk.js';

/** A run's input: a local folder (absolute, symlinks resolved) or a bucket prefix. */
export type RunInput =
  | { readonly kind: 'folder'; readonly root: string }
  | { readonly kind: 'bucket'; readonly location: S3Location };

/** A run's output: a local folder (its manifest inside) or a bucket prefix (its manifest a local file). */
export type RunOutput =
  | { readonly kind: 'folder'; readonly root: string }
  | { readonly kind: 'bucket'; readonly location: S3Location; readonly manifest: string };

/**
 * A problem with the command itself (exit 2): missing input folder, output = input or a file, a bad `s3://` URL.
 */
export class RunUsageError extends Error {
  override readonly name = 'RunUsageError';
}

/** The run cannot go on (exit 3): the output is not writable, the disk is full, a worker cannot start. */
export class RunFatalError extends Error {
  override readonly name = 'RunFatalError';
}

/**
 * Images a worker holds at once with local files: while one waits on sharp (the libuv pool) or the disk, the
 * worker augments the other, so its thread is not idle between the stages of one image.
 */
export const TASKS_PER_WORKER = 2;

/**
 * Images a worker holds at once when the input or the output is a bucket: an image also waits on S3 (one
 * GetObject, 2K+ PutObjects), so more of them keep the worker's thread busy.
 */
export const S3_TASKS_PER_WORKER = 4;

/** Images per worker for a run between `input` and `output` (command-line arguments). */
export function tasksPerWorkerFor(input: string, output: string): number {
  return isS3Url(input) || isS3Url(output) ? S3_TASKS_PER_WORKER : TASKS_PER_WORKER;
}

/**
 * The default manifest of a bucket output: `augmix-<hash>.manifest.jsonl` in the current folder, the hash (12
 * hex digits of SHA-256) taken over the endpoint, the input (resolved folder or normalised URL) and the output,
 * so the same command, run from the same folder, finds it again.
 */
export function defaultManifestPath(input: RunInput, output: S3Location, endpoint: string | null): string {
  const from = input.kind === 'folder' ? input.root : formatS3Url(input.location);
  const hash = createHash('sha256')
    .update(`${endpoint ?? 'aws'}\0${from}\0${formatS3Url(output)}`)
    .digest('hex')
    .slice(0, 12);
  return path.resolve(`augmix-${hash}.manifest.jsonl`);
}

/** Parses and checks a run's input argument (a folder that exists, or `s3://bucket/prefix/`). */
export async function resolveRunInput(argument: string): Promise<RunInput> {
  if (isS3Url(argument)) return { kind: 'bucket', location: parseUrl(argument) };
  const info = await stat(argument).catch(() => null);
  if (info === null) throw new RunUsageError(`input folder ${JSON.stringify(argument)} does not exist`);
  if (!info.isDirectory()) throw new RunUsageError(`input ${JSON.stringify(argument)} is not a folder`);
  return { kind: 'folder', root: await resolveFolder(argument) };
}

export interface ResolveOutputOptions {
  /** `--manifest`, for a bucket output. @default {@link defaultManifestPath} */
  readonly manifest?: string;
  /** The S3 endpoint, part of the default manifest's hash. @default null */
  readonly endpoint?: string | null;
}

/**
 * Parses a run's output argument and checks it against the input: a folder must not be the input folder; a
 * prefix of the input's bucket must not hold the input prefix (the deployed worker would take every input for
 * one of its outputs). An output inside the input is allowed: the listing leaves it out.
 */
export async function resolveRunOutput(
  argument: string,
  input: RunInput,
  options: ResolveOutputOptions = {},
): Promise<RunOutput> {
  if (!isS3Url(argument)) {
    if (options.manifest !== undefined) {
      throw new RunUsageError(
        `--manifest is for s3:// outputs; the manifest of an output folder is ${path.join(argument, 'manifest.jsonl')}`,
      );
    }
    const existing = await stat(argument).catch(() => null);
    if (existing !== null && !existing.isDirectory()) {
      throw new RunUsageError(
        `output ${JSON.stringify(argument)} is a file; expected a folder (new or existing)`,
      );
    }
    const root = await resolveFolder(argument);
    if (input.kind === 'folder' && root === input.root) {
      throw new RunUsageError(
        'the output folder must not be the input folder (outputs would mix with inputs)',
      );
    }
    return { kind: 'folder', root };
  }
  const location = parseUrl(argument);
  if (
    input.kind === 'bucket' &&
    input.location.bucket === location.bucket &&
    input.location.prefix.startsWith(location.prefix)
  ) {
    throw new RunUsageError(
      `the output ${formatS3Url(location)} must not hold the input ${formatS3Url(input.location)}: ` +
        'inputs under the output prefix are taken for outputs (use another output prefix)',
    );
  }
  const manifest =
    options.manifest === undefined
      ? defaultManifestPath(input, location, options.endpoint ?? null)
      : path.resolve(options.manifest);
  return { kind: 'bucket', location, manifest };
}

/** How messages name an output. */
export function describeOutput(output: RunOutput): string {
  return output.kind === 'folder' ? output.root : formatS3Url(output.location);
}

function parseUrl(argument: string): S3Location {
  try {
    return parseS3Url(argument);
  } catch (error) {
    throw new RunUsageError(error instanceof Error ? error.message : String(error));
  }
}
