import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { S3AccessOptions, S3ClientSettings } from '../aws/bucket-run/s3-access.js';
import { loadSharpNativeLibrary, sharpModule } from '../codec/sharp-module.js';
import { failureRecord } from '../pipeline/failure.js';
import type { PipelineSettings } from '../pipeline/types.js';
import type {
  ImageHandlerData,
  ImageResult,
  ImageTask,
  ImageWorkerData,
  OutputTarget,
} from './image-task.js';
import { InlinePool } from './inline-pool.js';
import { folderListing, type InputEntry, type InputListing } from './input-listing.js';
import type { SourceFingerprint } from './manifest-lines.js';
import { type OutputFolder, openManifest, openOutputFolder } from './output-folder.js';
import { TaskCancelledError, type TaskPool, WorkerPool, WorkerStartError } from './pool.js';
import type { ProgressState } from './progress.js';
import {
  describeOutput,
  RunFatalError,
  type RunInput,
  type RunOutput,
  RunUsageError,
  resolveRunInput,
  resolveRunOutput,
  S3_TASKS_PER_WORKER,
  TASKS_PER_WORKER,
} from './run-targets.js';
import { openSharpGate, surelyNeedsSharp } from './sharp-gate.js';
import { type RunSummary, summarize } from './summary.js';
import { walkInputs } from './walk.js';
import { recordWrittenImage } from './write-outputs.js';

export { RunFatalError, RunUsageError, S3_TASKS_PER_WORKER, TASKS_PER_WORKER };

/** What a run tells its front end while it works. */
export interface RunObserver {
  /** Called after every finished image (and once at the start). */
  progress?(state: ProgressState): void;
  /** A line for stderr: a failed input, a skipped folder, a notice. */
  message?(line: string): void;
}

export interface RunDatasetOptions {
  /** A local folder, or `s3://bucket/prefix/`. */
  readonly input: string;
  /** A local folder, or `s3://bucket/prefix/`. */
  readonly output: string;
  /** Resolved settings (`resolveSettings`). */
  readonly settings: PipelineSettings;
  /** How to reach S3 (`s3://` input or output). @default the SDK's defaults */
  readonly s3?: S3AccessOptions;
  /** The manifest of an `s3://` output, a local file. @default defaultManifestPath (in the current folder) */
  readonly manifest?: string;
  /**
   * Images made at once: worker threads, or with 1 this thread (one JavaScript thread fewer to start).
   * @default os.availableParallelism()
   */
  readonly concurrency?: number;
  /** Image extensions. @default DEFAULT_IMAGE_EXTENSIONS */
  readonly extensions?: readonly string[];
  /** Start over in a folder made with other settings. @default false */
  readonly force?: boolean;
  /** `augmix-pipeline <version>`, recorded in the manifest header. */
  readonly tool: string;
  /** Aborting stops dispatching; images in flight are finished and recorded. */
  readonly signal?: AbortSignal;
  readonly observer?: RunObserver;
}

/**
 * `augmix run`: lists the input (walks a folder, or lists a bucket prefix with ListObjectsV2), and for every
 * image not yet recorded in the manifest makes its variants in a pool of worker threads, writes them with their
 * provenance document under the output, mirroring the relative keys, and appends their manifest lines. Bad inputs
 * are recorded and the run goes on. An output inside the input is left out of the listing.
 *
 * Into a folder, files are written atomically and the manifest is `<output>/manifest.jsonl`. Into a bucket,
 * each image goes through the deployed worker's per-object function (same names, same bytes, a failure record
 * `K.augmix-error.json` for a bad image) and the manifest is a local file (`manifest`).
 *
 * @throws RunUsageError, SettingsMismatchError (exit 2); RunFatalError, OutputBusyError, ManifestError and
 *   file-system errors on the output (exit 3)
 */
export async function runDataset(options: RunDatasetOptions): Promise<RunSummary> {
  const started = performance.now();
  const { settings, observer = {} } = options;
  const input = await resolveRunInput(options.input);
  const endpoint = options.s3?.endpointUrl ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  const output = await resolveRunOutput(options.output, input, {
    manifest: options.manifest,
    endpoint: endpoint ?? null,
  });
  let s3Settings: S3ClientSettings | null = null;
  let listing: InputListing;
  if (input.kind === 'bucket' || output.kind === 'bucket') {
    // the AWS SDK is loaded only for runs that use S3
    const bucketRun = await import('../aws/bucket-run/bucket-run.js');
    s3Settings = await bucketRun.s3ClientSettings(options.s3 ?? {});
    listing = await bucketRun.listWithS3(input, output, s3Settings, options.extensions);
  } else {
    listing = folderListing(
      await walkInputs(input.root, { extensions: options.extensions, exclude: [output.root] }),
    );
  }
  reportListing(listing, output, observer);

  const folder = await openOutput(output, options);
  let run: RunState | undefined;
  try {
    reportFolder(folder, options.tool, observer);
    const expected = settings.jsd ? settings.variants * 2 : settings.variants;
    const todo = await inputsToDo(listing.images, folder, expected, settings.jsd);
    run = await processAll(todo, folder, { input, output, s3: s3Settings }, options);
  } finally {
    await folder.close();
  }
  if (run.fatal !== null) throw run.fatal;
  return summarize({
    walk: listing,
    todo: run.total,
    done: run.done,
    failed: run.failed,
    variants: run.variants,
    interrupted: run.interrupted,
    elapsedMs: performance.now() - started,
    workMs: run.workMs,
    concurrency: run.concurrency,
    manifest: folder.manifestPath,
  });
}

/** Where a run reads and writes. */
interface RunTargets {
  readonly input: RunInput;
  readonly output: RunOutput;
  readonly s3: S3ClientSettings | null;
}

interface RunState {
  total: number;
  done: number;
  failed: number;
  variants: number;
  interrupted: boolean;
  fatal: Error | null;
  workMs: number;
  concurrency: number;
}

async function processAll(
  todo: readonly InputEntry[],
  folder: OutputFolder,
  targets: RunTargets,
  options: RunDatasetOptions,
): Promise<RunState> {
  const { settings, observer = {}, signal } = options;
  const concurrency = Math.max(1, Math.min(options.concurrency ?? availableParallelism(), todo.length));
  const state: RunState = {
    total: todo.length,
    done: 0,
    failed: 0,
    variants: 0,
    interrupted: false,
    fatal: null,
    workMs: 0,
    concurrency: todo.length === 0 ? 0 : concurrency,
  };
  const workStarted = performance.now();
  const progress = (): void =>
    observer.progress?.({
      done: state.done,
      total: state.total,
      variants: state.variants,
      failed: state.failed,
      elapsedMs: performance.now() - workStarted,
    });
  progress();
  if (todo.length === 0 || signal?.aborted) {
    state.interrupted = signal?.aborted ?? false;
    return state;
  }

  const { input, output } = targets;
  const tasksPerWorker = targets.s3 === null ? TASKS_PER_WORKER : S3_TASKS_PER_WORKER;
  /** The next input to hand to the pool. */
  let next = 0;
  const handlerData: ImageHandlerData = {
    settings,
    output: outputTarget(output),
    inputPrefix: input.kind === 'bucket' ? input.location.prefix : '',
    s3: targets.s3,
  };
  let pool: TaskPool<ImageTask, ImageResult>;
  let sharpGate: ReturnType<typeof openSharpGate> | null = null;
  if (concurrency === 1) {
    // in this thread (see InlinePool): one image at a time from files (read with blocking calls, nothing to
    // overlap), as many as a worker would hold from S3 (each waits on the network)
    const { imageTaskHandler } = await import('./image-handler.js');
    pool = new InlinePool(await imageTaskHandler(handlerData), {
      tasksPerWorker: targets.s3 === null ? 1 : S3_TASKS_PER_WORKER,
    });
  } else {
    // sharp's native library is loaded by this thread before any worker loads sharp (see sharp-gate.ts), when
    // the first worker needs it; each worker configures libvips itself (one thread per operation, no cache)
    const gate = openSharpGate(keepSharpLoaded);
    sharpGate = gate;
    const workerData: ImageWorkerData = { ...handlerData, sharpGate: gate.gate };
    pool = new WorkerPool<ImageTask, ImageResult>(new URL('./image-worker.js', import.meta.url), {
      size: concurrency,
      workerData,
      tasksPerWorker,
      // small images take well under a millisecond each: they travel in batches (see the pool), smaller
      // ones at the end so the workers finish together
      quickTasksPerWorker: QUICK_TASKS_PER_WORKER,
      backlog: () => todo.length - next,
      // the SDK's warning about this Node.js version: once, from the main thread, not once per worker
      env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    // a run that will surely need sharp loads it while its workers start (on the other cores), not after
    if (surelyNeedsSharp(todo, settings)) gate.loadNow();
  }
  const lane = async (): Promise<void> => {
    for (;;) {
      if (signal?.aborted || state.fatal !== null) return;
      const entry = todo[next];
      next += 1;
      if (entry === undefined) return;
      await processOne(entry, pool, folder, describeOutput(output), state, observer);
      progress();
    }
  };
  // on a stop, images queued for the pool and not yet taken by a worker are left for the next run
  const withdraw = (): void => pool.cancelQueued();
  signal?.addEventListener('abort', withdraw, { once: true });
  try {
    // one more image per worker than it holds, so that a worker's next task is always queued
    await Promise.all(Array.from({ length: concurrency * (pool.maxTasksPerWorker + 1) }, lane));
  } finally {
    signal?.removeEventListener('abort', withdraw);
    await pool.close();
    sharpGate?.close();
  }
  state.interrupted = (signal?.aborted ?? false) && state.done < state.total;
  state.workMs = performance.now() - workStarted;
  return state;
}

/**
 * Loads sharp's native library in this thread, or all of sharp where the library cannot be found alone (see
 * `loadSharpNativeLibrary`).
 */
function keepSharpLoaded(): void {
  try {
    if (loadSharpNativeLibrary()) return;
  } catch {
    // the prebuilt binary would not load: sharp's own loader tries its other places, and explains a failure
  }
  sharpModule();
}

/**
 * Images a worker may hold while they are quick ones (small images): sent and answered in batches. Each
 * message costs both threads a wake-up (and, on one core, a switch between them): at 32 px, batches of up to
 * 64 instead of 8 took about 7% off a run's CPU time.
 */
const QUICK_TASKS_PER_WORKER = 64;

async function processOne(
  entry: InputEntry,
  pool: TaskPool<ImageTask, ImageResult>,
  folder: OutputFolder,
  outputName: string,
  state: RunState,
  observer: RunObserver,
): Promise<void> {
  let result: ImageResult;
  try {
    result = await pool.run({ key: entry.key, source: entry.source, redo: entry.redo });
  } catch (error) {
    if (error instanceof TaskCancelledError) return; // the run stopped before a worker took it
    if (error instanceof WorkerStartError) {
      state.fatal ??= new RunFatalError(error.message, { cause: error });
      return;
    }
    // the worker thread died on this image (out of memory, a crash): an `internal` failure of this input
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    result = { kind: 'failed', error: failureRecord(entry.key, new Error(`${entry.key}: ${message}`)).error };
  }
  try {
    if (result.kind === 'write-failed') {
      const error = Object.assign(new Error(result.message), { code: result.code ?? undefined });
      state.fatal ??= new RunFatalError(`cannot write to ${outputName}: ${describeIoError(error)}`, {
        cause: error,
      });
      return;
    }
    if (result.kind === 'done') {
      const written = await recordWrittenImage(result.written, folder);
      state.variants += written; // not `+= await`: that would read the count before the await
    } else {
      await folder.writer.append({ input: entry.key, error: result.error });
      state.failed += 1;
      observer.message?.(
        `augmix run: ${entry.display}: ${reason(entry.key, result.error.message)} [${result.error.code}]`,
      );
    }
    state.done += 1;
  } catch (error) {
    state.fatal ??= new RunFatalError(`cannot write to ${outputName}: ${describeIoError(error)}`, {
      cause: error,
    });
  }
}

/**
 * The inputs a run still has to do: those without a manifest line for their current content. A file's
 * fingerprint is its size and modification time (a `stat`, only for inputs the manifest names), an object's its
 * listed size and ETag; an input done from other content is redone (`redo`: its old outputs are replaced).
 */
async function inputsToDo(
  images: readonly InputEntry[],
  folder: OutputFolder,
  count: number,
  jsd: boolean,
): Promise<InputEntry[]> {
  const todo: InputEntry[] = [];
  const check = async (entry: InputEntry): Promise<InputEntry | null> => {
    if (folder.done.lineOf(entry.key) === undefined) return entry;
    const fingerprint = await fingerprintOf(entry);
    if (folder.done.isComplete(entry.key, count, jsd, fingerprint)) return null;
    return { ...entry, redo: true };
  };
  for (let start = 0; start < images.length; start += STAT_CONCURRENCY) {
    const checked = await Promise.all(images.slice(start, start + STAT_CONCURRENCY).map(check));
    for (const entry of checked) if (entry !== null) todo.push(entry);
  }
  return todo;
}

/** Stats a run makes at once when it checks which recorded inputs changed. */
const STAT_CONCURRENCY = 32;

async function fingerprintOf(entry: InputEntry): Promise<SourceFingerprint | null> {
  const { source } = entry;
  if (source.kind === 'object') {
    return source.size === null || source.eTag === null ? null : { size: source.size, eTag: source.eTag };
  }
  const info = await stat(source.path).catch(() => null);
  return info === null ? null : { size: info.size, mtimeMs: info.mtimeMs };
}

/** What the workers are told about the output. */
function outputTarget(output: RunOutput): OutputTarget {
  return output.kind === 'folder'
    ? { kind: 'folder', root: output.root }
    : { kind: 'bucket', bucket: output.location.bucket, prefix: output.location.prefix };
}

async function openOutput(output: RunOutput, options: RunDatasetOptions): Promise<OutputFolder> {
  const openOptions = { settings: options.settings, tool: options.tool, force: options.force ?? false };
  try {
    return output.kind === 'folder'
      ? await openOutputFolder(output.root, openOptions)
      : await openManifest(output.manifest, openOptions);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string') {
      const what =
        output.kind === 'folder' ? `the output folder ${output.root}` : `the manifest ${output.manifest}`;
      throw new RunFatalError(`cannot use ${what}: ${describeIoError(error)}`, { cause: error });
    }
    throw error;
  }
}

function reportListing(walk: InputListing, output: RunOutput, observer: RunObserver): void {
  const what = output.kind === 'folder' ? 'output folder' : 'output prefix';
  for (const key of walk.excluded) {
    observer.message?.(`augmix run: leaving out ${key}/ (it is the ${what})`);
  }
  for (const problem of walk.problems) {
    observer.message?.(`augmix run: ${problem.key}: ${problem.reason}`);
  }
}

function reportFolder(folder: OutputFolder, tool: string, observer: RunObserver): void {
  if (folder.overridden.length > 0) {
    observer.message?.('augmix run: --force: the output folder was made with other settings; starting over');
  }
  if (folder.tornLineDropped) {
    observer.message?.(
      'augmix run: dropped a torn last manifest line (the run before was cut off); redoing it',
    );
  }
  if (folder.retriedFailures > 0) {
    observer.message?.(`augmix run: trying ${folder.retriedFailures} input(s) that failed before again`);
  }
  if (folder.resumed && folder.header.tool !== tool) {
    observer.message?.(`augmix run: note: the folder was made by ${folder.header.tool}, this is ${tool}`);
  }
}

/** The reason part of an error message that starts with the input's key. */
function reason(key: string, message: string): string {
  return message.startsWith(`${key}: `) ? message.slice(key.length + 2) : message;
}

function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const hints: Readonly<Record<string, string>> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
  };
  const message = error instanceof Error ? error.message : String(error);
  if (code === undefined) return message;
  if (hints[code] !== undefined) return `${hints[code]} (${message})`;
  // an S3 error's code (AccessDenied, SlowDown) is not in its message
  return message.includes(code) ? message : `${code}: ${message}`;
}
