import { readFileSync, statSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { configureSharp } from '../codec/index.js';
import { InputError } from '../pipeline/errors.js';
import { failureRecord } from '../pipeline/failure.js';
import { processImage } from '../pipeline/process-image.js';
import type { ProcessedImage } from '../pipeline/types.js';
import type { ImageResult, ImageTask, ImageWorkerData } from './image-task.js';
import { serveTasks } from './serve-tasks.js';
import { writeImageFiles } from './write-outputs.js';

// A worker thread of `augmix run`: reads one image, decodes it once and makes all its variants (processImage),
// writes them with their sidecars (atomically, with blocking calls: this thread has nothing else to do), and
// tells the main thread what it wrote; the main thread keeps the manifest. libvips runs one thread per
// operation, since the pool already runs one image per core.
configureSharp({ concurrency: 1, cache: false });
const { settings, outputRoot } = workerData as ImageWorkerData;

serveTasks<ImageTask, ImageResult>(async (task) => {
  let image: ProcessedImage;
  try {
    image = await processImage(readInput(task, settings.maxBytes), task.key, settings);
  } catch (error) {
    return { result: { kind: 'failed', error: failureRecord(task.key, error).error } };
  }
  try {
    return { result: { kind: 'done', written: writeImageFiles(image, outputRoot) } };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? null;
    return {
      result: { kind: 'write-failed', code, message: error instanceof Error ? error.message : String(error) },
    };
  }
});

/** Reads an input file; a file over the byte limit is refused before it is read. */
function readInput(task: ImageTask, maxBytes: number): Uint8Array {
  try {
    const { size } = statSync(task.path);
    if (size > maxBytes) {
      throw new InputError(
        'too-many-bytes',
        task.key,
        `${size} bytes exceeds the limit of ${maxBytes} bytes`,
      );
    }
    return readFileSync(task.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError('gone', task.key, 'the file disappeared after the folder was listed', {
        cause: error,
      });
    }
    throw error;
  }
}
