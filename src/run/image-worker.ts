import { readFileSync, statSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import type { WorkerS3 } from '../aws/bucket-run/image-worker-s3.js';
import { configureSharpWhenLoaded } from '../codec/index.js';
import { InputError } from '../codec/input-error.js';
import { failureRecord } from '../pipeline/failure.js';
import { processImage } from '../pipeline/process-image.js';
import type { ProcessedImage } from '../pipeline/types.js';
import type { ImageResult, ImageTask, ImageWorkerData } from './image-task.js';
import { serveTasks } from './serve-tasks.js';
import { writeImageFiles } from './write-outputs.js';

// A worker thread of `augmix run`: reads one image (a file, or an S3 object as the deployed worker reads it),
// decodes it once and makes all its variants (processImage), writes them with their sidecars — files atomically
// with blocking calls (this thread has nothing else to do), or objects through the deployed worker's own
// per-object functions, failure records included — and tells the main thread what it wrote; the main thread
// keeps the manifest. libvips runs one thread per operation, since the pool already runs one image per core;
// sharp loads on first use (a run of small PNGs never needs it).
configureSharpWhenLoaded({ concurrency: 1, cache: false });
const data = workerData as ImageWorkerData;
const { settings, output } = data;
// the AWS SDK is loaded only by runs that use S3
const s3: WorkerS3 | null =
  data.s3 === null ? null : (await import('../aws/bucket-run/image-worker-s3.js')).createWorkerS3(data);

serveTasks<ImageTask, ImageResult>(async (task) => ({
  result:
    output.kind === 'folder'
      ? await toFolder(task, output.root)
      : await (s3 as WorkerS3).toBucket(task, readFile),
}));

/** Into a local folder: read, process, write the files; a bad input is a `failed` result (the manifest keeps it). */
async function toFolder(task: ImageTask, outputRoot: string): Promise<ImageResult> {
  let image: ProcessedImage;
  try {
    image = await processImage(await readInput(task), task.key, settings);
  } catch (error) {
    // a bad image, or a read that failed (a file's permissions, S3 after the SDK's retries): this input failed
    return { kind: 'failed', error: failureRecord(task.key, error).error };
  }
  try {
    return { kind: 'done', written: writeImageFiles(image, outputRoot) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? null;
    return { kind: 'write-failed', code, message: error instanceof Error ? error.message : String(error) };
  }
}

/** The input's bytes, from its file or its object (size checked first either way). */
async function readInput(task: ImageTask): Promise<Uint8Array> {
  const { source } = task;
  if (source.kind === 'file') return readFile(source.path, task.key);
  return (s3 as WorkerS3).read(source, task.key);
}

/** Reads an input file; a file over the byte limit is refused before it is read. */
function readFile(file: string, key: string): Uint8Array {
  try {
    const { size } = statSync(file);
    if (size > settings.maxBytes) {
      throw new InputError(
        'too-many-bytes',
        key,
        `${size} bytes exceeds the limit of ${settings.maxBytes} bytes`,
      );
    }
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError('gone', key, 'the file disappeared after the folder was listed', {
        cause: error,
      });
    }
    throw error;
  }
}
