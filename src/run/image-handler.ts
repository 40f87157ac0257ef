import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import type { WorkerS3 } from '../aws/bucket-run/image-worker-s3.js';
import { configureSharpWhenLoaded } from '../codec/index.js';
import { InputError } from '../codec/input-error.js';
import { failureRecord } from '../pipeline/failure.js';
import { processImage } from '../pipeline/process-image.js';
import { md5Hex, type SourceVersion } from '../pipeline/provenance.js';
import type { PipelineSettings, ProcessedImage } from '../pipeline/types.js';
import type { ImageHandlerData, ImageResult, ImageTask } from './image-task.js';
import { assertStorableLocally } from './local-names.js';
import type { SourceFingerprint } from './manifest-lines.js';
import { removeOtherOutputs, writeImageFiles, writtenNames } from './write-outputs.js';

/** Does one image of `augmix run`: reads it, makes its variants, writes them, and says what it wrote. */
export type ImageTaskHandler = (task: ImageTask) => Promise<ImageResult>;

/**
 * The work of `augmix run` on one image, in whichever thread runs it (a worker thread, or the main thread of a
 * one-image-at-a-time run): reads the image (a file, or an S3 object as the deployed worker reads it), decodes
 * it once and makes all its variants (processImage), writes them and its provenance document — files
 * atomically with blocking calls, or objects through the deployed worker's own per-object functions, failure
 * records included — and returns what it wrote; the main thread keeps the manifest. libvips runs one thread per
 * operation, since a run already does one image per core; sharp loads on first use (a run of small PNGs or
 * JPEGs never needs it).
 */
export async function imageTaskHandler(data: ImageHandlerData): Promise<ImageTaskHandler> {
  configureSharpWhenLoaded({ concurrency: 1, cache: false });
  const { settings, output } = data;
  // the AWS SDK is loaded only by runs that use S3
  const s3: WorkerS3 | null =
    data.s3 === null ? null : (await import('../aws/bucket-run/image-worker-s3.js')).createWorkerS3(data);
  if (output.kind === 'folder') return (task) => toFolder(task, output.root, settings, s3);
  const bucket = s3 as WorkerS3;
  return (task) => bucket.toBucket(task, (file, key) => readFile(file, key, settings));
}

/**
 * Into a local folder: check the output names fit, read, process, write the files (then, for an input done
 * before from other content, remove its outputs this result does not name); a bad input is a `failed` result
 * (the manifest keeps it).
 */
async function toFolder(
  task: ImageTask,
  outputRoot: string,
  settings: PipelineSettings,
  s3: WorkerS3 | null,
): Promise<ImageResult> {
  let image: ProcessedImage;
  let input: ReadInput;
  try {
    assertStorableLocally(task.key, settings);
    input = await readInput(task, settings, s3);
    image = await processImage(input.bytes, task.key, settings);
  } catch (error) {
    // a bad image, a name too long, or a read that failed (permissions, S3 after the SDK's retries)
    if (task.redo === true) removeOtherOutputs(task.key, [], outputRoot, settings);
    return { kind: 'failed', error: failureRecord(task.key, error).error };
  }
  try {
    const written = writeImageFiles(image, outputRoot, input.source, input.fingerprint);
    if (task.redo === true) removeOtherOutputs(task.key, writtenNames(written), outputRoot, settings);
    return { kind: 'done', written };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? null;
    return { kind: 'write-failed', code, message: error instanceof Error ? error.message : String(error) };
  }
}

/** An input's bytes, the source version they are, and the run's fingerprint of it. */
interface ReadInput {
  readonly bytes: Uint8Array;
  readonly source: SourceVersion;
  readonly fingerprint: SourceFingerprint;
}

/** The input's bytes, from its file or its object (size checked first either way). */
async function readInput(
  task: ImageTask,
  settings: PipelineSettings,
  s3: WorkerS3 | null,
): Promise<ReadInput> {
  const { source } = task;
  if (source.kind === 'file') {
    const file = readFile(source.path, task.key, settings);
    return {
      bytes: file.bytes,
      source: { key: task.key, eTag: md5Hex(file.bytes), size: file.bytes.length },
      fingerprint: { size: file.bytes.length, mtimeMs: file.mtimeMs },
    };
  }
  const object = await (s3 as WorkerS3).read(source, task.key);
  return {
    bytes: object.bytes,
    source: object.source,
    fingerprint: { size: object.source.size, eTag: object.source.eTag },
  };
}

interface ReadFile {
  readonly bytes: Uint8Array;
  readonly mtimeMs: number;
}

/**
 * Reads an input file, with its modification time taken from the same open file (so the fingerprint is that
 * of the bytes read); a file over the byte limit is refused before it is read.
 */
function readFile(file: string, key: string, settings: PipelineSettings): ReadFile {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError('gone', key, 'the file disappeared after the folder was listed', {
        cause: error,
      });
    }
    throw error;
  }
  try {
    const { size, mtimeMs } = fstatSync(fd);
    if (size > settings.maxBytes) {
      throw new InputError(
        'too-many-bytes',
        key,
        `${size} bytes exceeds the limit of ${settings.maxBytes} bytes`,
      );
    }
    return { bytes: readFileSync(fd), mtimeMs };
  } finally {
    closeSync(fd);
  }
}
