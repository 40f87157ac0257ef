import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { failureRecord } from '../pipeline/failure.js';
import type { PipelineSettings } from '../pipeline/types.js';
import type { ImageResult, ImageTask, ImageWorkerData } from './image-task.js';
import { type OutputFolder, openOutputFolder } from './output-folder.js';
import { WorkerPool, WorkerStartError } from './pool.js';
import type { ProgressState } from './progress.js';
import { type RunSummary, summarize } from './summary.js';
import { resolveFolder, type WalkEntry, type WalkResult, walkInputs } from './walk.js';
import { recordWrittenImage } from './write-outputs.js';

/**
 * Images a worker holds at once: while one waits on sharp (the libuv pool) or the disk, the worker augments
 * the other, so its thread is not idle between the stages of one image.
 */
export const TASKS_PER_WORKER = 2;

/** A problem with the command itself (exit 2): missing input folder, output folder = input folder. */
export class RunUsageError extends Error {
  override readonly name = 'RunUsageError';
}

/** The run cannot go on (exit 3): the output is not writable, the disk is full, a worker cannot start. */
export class RunFatalError extends Error {
  override readonly name = 'RunFatalError';
}

/** What a run tells its front end while it works. */
export interface RunObserver {
  /** Called after every finished image (and once at the start). */
  progress?(state: ProgressState): void;
  /** A line for stderr: a failed input, a skipped folder, a notice. */
  message?(line: string): void;
}

export interface RunDatasetOptions {
  readonly inputDir: string;
  readonly outputDir: string;
  /** Resolved settings (`resolveSettings`). */
  readonly settings: PipelineSettings;
  /** Worker threads. @default os.availableParallelism() */
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
  /** The worker module. @default ./image-worker.js next to this module */
  readonly workerUrl?: URL;
}

/**
 * `augmix run`: walks `inputDir`, and for every image not yet recorded in `outputDir/manifest.jsonl` makes its
 * variants in a pool of worker threads, writes them (atomically) with their provenance sidecars under
 * `outputDir`, mirroring the input tree, and appends their manifest lines. Bad inputs are recorded and the
 * run goes on. When the output folder lies inside the input folder, the walk leaves it out.
 *
 * @throws RunUsageError, SettingsMismatchError (exit 2); RunFatalError, OutputBusyError, ManifestError and
 *   file-system errors on the output (exit 3)
 */
export async function runDataset(options: RunDatasetOptions): Promise<RunSummary> {
  const started = performance.now();
  const { settings, observer = {} } = options;
  const inputRoot = await checkInputFolder(options.inputDir);
  const outputRoot = await resolveFolder(options.outputDir);
  if (outputRoot === inputRoot) {
    throw new RunUsageError('the output folder must not be the input folder (outputs would mix with inputs)');
  }
  const walk = await walkInputs(inputRoot, { extensions: options.extensions, exclude: [outputRoot] });
  reportWalk(walk, observer);

  const folder = await openOutput(outputRoot, options);
  let run: RunState | undefined;
  try {
    reportFolder(folder, options.tool, observer);
    const expected = settings.jsd ? settings.variants * 2 : settings.variants;
    const todo = walk.images.filter((entry) => !folder.done.isComplete(entry.key, expected, settings.jsd));
    run = await processAll(todo, folder, outputRoot, options);
  } finally {
    await folder.close();
  }
  if (run.fatal !== null) throw run.fatal;
  return summarize({
    walk,
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
  todo: readonly WalkEntry[],
  folder: OutputFolder,
  outputRoot: string,
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

  // sharp's guidance for worker threads: load it in the main thread first, so that its shared library is
  // loaded (and never unloaded) by the process rather than by a worker. libvips is then kept to one thread per
  // operation process-wide; the pool supplies the parallelism.
  const codec = await import('../codec/index.js');
  codec.configureSharp({ concurrency: 1, cache: false });
  const workerData: ImageWorkerData = { settings, outputRoot };
  const pool = new WorkerPool<ImageTask, ImageResult>(
    options.workerUrl ?? new URL('./image-worker.js', import.meta.url),
    { size: concurrency, workerData, tasksPerWorker: TASKS_PER_WORKER },
  );
  let next = 0;
  const lane = async (): Promise<void> => {
    for (;;) {
      if (signal?.aborted || state.fatal !== null) return;
      const entry = todo[next];
      next += 1;
      if (entry === undefined) return;
      await processOne(entry, pool, folder, outputRoot, state, observer, options.inputDir);
      progress();
    }
  };
  try {
    // one more image per worker than it holds, so that a worker's next task is always queued
    await Promise.all(Array.from({ length: concurrency * (TASKS_PER_WORKER + 1) }, lane));
  } finally {
    await pool.close();
  }
  state.interrupted = (signal?.aborted ?? false) && state.done < state.total;
  state.workMs = performance.now() - workStarted;
  return state;
}

async function processOne(
  entry: WalkEntry,
  pool: WorkerPool<ImageTask, ImageResult>,
  folder: OutputFolder,
  outputRoot: string,
  state: RunState,
  observer: RunObserver,
  inputDir: string,
): Promise<void> {
  let result: ImageResult;
  try {
    result = await pool.run({ key: entry.key, path: entry.path });
  } catch (error) {
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
      state.fatal ??= new RunFatalError(`cannot write to ${outputRoot}: ${describeIoError(error)}`, {
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
        `augmix run: ${path.join(inputDir, entry.key)}: ${reason(entry.key, result.error.message)} [${result.error.code}]`,
      );
    }
    state.done += 1;
  } catch (error) {
    state.fatal ??= new RunFatalError(`cannot write to ${outputRoot}: ${describeIoError(error)}`, {
      cause: error,
    });
  }
}

async function checkInputFolder(inputDir: string): Promise<string> {
  const info = await stat(inputDir).catch(() => null);
  if (info === null) throw new RunUsageError(`input folder ${JSON.stringify(inputDir)} does not exist`);
  if (!info.isDirectory()) throw new RunUsageError(`input ${JSON.stringify(inputDir)} is not a folder`);
  return resolveFolder(inputDir);
}

async function openOutput(outputRoot: string, options: RunDatasetOptions): Promise<OutputFolder> {
  try {
    return await openOutputFolder(outputRoot, {
      settings: options.settings,
      tool: options.tool,
      force: options.force ?? false,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string') {
      throw new RunFatalError(`cannot use the output folder ${outputRoot}: ${describeIoError(error)}`, {
        cause: error,
      });
    }
    throw error;
  }
}

function reportWalk(walk: WalkResult, observer: RunObserver): void {
  for (const key of walk.excluded) {
    observer.message?.(`augmix run: leaving out ${key}/ (it is the output folder)`);
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
  return code !== undefined && hints[code] !== undefined ? `${hints[code]} (${message})` : message;
}
