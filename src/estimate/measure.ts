import { performance } from 'node:perf_hooks';
import { decode } from '../codec/decode.js';
import { processImage } from '../pipeline/process-image.js';
import type { PipelineSettings } from '../pipeline/types.js';

/** What timing `processImage` on a sample of the user's images found, on this machine's one core. */
export interface Measurement {
  readonly images: number;
  /** Mean wall ms of one `processImage` call (decode, K variants, encodes), after one warm-up call. */
  readonly msPerImage: number;
  readonly meanPixels: number;
  /** Mean bytes of one output image. */
  readonly meanOutputBytes: number;
  /** Sample images that failed (bad input), skipped from the means. */
  readonly failed: number;
}

/**
 * Times `processImage` on each sample image, one at a time on the calling thread (so one core), after a
 * warm-up call on the first image that is not counted (module loading and JIT).
 */
export async function measureSample(
  sample: readonly { readonly key: string; readonly read: () => Promise<Uint8Array> }[],
  settings: PipelineSettings,
): Promise<Measurement> {
  const inputs: { key: string; bytes: Uint8Array }[] = [];
  for (const item of sample) inputs.push({ key: item.key, bytes: await item.read() });
  if (inputs.length > 0)
    await processImage(inputs[0]!.bytes, inputs[0]!.key, settings).catch(() => undefined);
  let ms = 0;
  let pixels = 0;
  let outputBytes = 0;
  let outputs = 0;
  let done = 0;
  for (const { key, bytes } of inputs) {
    try {
      const start = performance.now();
      const result = await processImage(bytes, key, settings);
      ms += performance.now() - start;
      const decoded = await decode(bytes, { maxPixels: settings.maxPixels, maxBytes: settings.maxBytes });
      pixels += decoded.image.width * decoded.image.height;
      for (const variant of result.variants) outputBytes += variant.bytes.length;
      outputs += result.variants.length;
      done++;
    } catch {
      // A bad image is not timed; it is counted below.
    }
  }
  return {
    images: done,
    msPerImage: done === 0 ? 0 : ms / done,
    meanPixels: done === 0 ? 0 : pixels / done,
    meanOutputBytes: outputs === 0 ? 0 : outputBytes / outputs,
    failed: inputs.length - done,
  };
}
