import { readFile, stat } from 'node:fs/promises';
import { type Transferable, workerData } from 'node:worker_threads';
import { configureSharp } from '../codec/index.js';
import { InputError } from '../pipeline/errors.js';
import { failureRecord } from '../pipeline/failure.js';
import { processImage } from '../pipeline/process-image.js';
import type { ImageResult, ImageTask, ImageWorkerData } from './image-task.js';
import { serveTasks } from './serve-tasks.js';

// A worker thread of `augmix run`: reads one image, decodes it once and makes all its variants (processImage),
// and moves the encoded bytes back to the main thread, which writes them. libvips runs one thread per
// operation, since the pool already runs one image per core.
configureSharp({ concurrency: 1, cache: false });
const { settings } = workerData as ImageWorkerData;

serveTasks<ImageTask, ImageResult>(async (task) => {
  try {
    const bytes = await readInput(task, settings.maxBytes);
    const image = await processImage(bytes, task.key, settings);
    const arrays = [
      ...image.variants.map((variant) => variant.bytes),
      ...(image.clean ? [image.clean.bytes] : []),
    ];
    return { result: { kind: 'done', image }, transfer: transferable(arrays) };
  } catch (error) {
    return { result: { kind: 'failed', error: failureRecord(task.key, error).error } };
  }
});

/** Reads an input file; a file over the byte limit is refused before it is read. */
async function readInput(task: ImageTask, maxBytes: number): Promise<Uint8Array> {
  try {
    const info = await stat(task.path);
    if (info.size > maxBytes) {
      throw new InputError(
        'too-many-bytes',
        task.key,
        `${info.size} bytes exceeds the limit of ${maxBytes} bytes`,
      );
    }
    return await readFile(task.path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new InputError('gone', task.key, 'the file disappeared after the folder was listed', {
        cause: error,
      });
    }
    throw error;
  }
}

/** The buffers that can be moved rather than copied: whole, distinct ArrayBuffers (not slices of a pool). */
function transferable(arrays: readonly Uint8Array[]): Transferable[] {
  const buffers = new Set<ArrayBuffer>();
  for (const array of arrays) {
    const buffer = array.buffer;
    if (buffer instanceof ArrayBuffer && array.byteOffset === 0 && array.byteLength === buffer.byteLength) {
      buffers.add(buffer);
    }
  }
  return [...buffers];
}
