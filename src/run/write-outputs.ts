import path from 'node:path';
import { recordJson } from '../pipeline/record-json.js';
import type { ProcessedImage } from '../pipeline/types.js';
import { writeFileAtomic } from './atomic-write.js';
import type { CleanLine, VariantLine } from './manifest-lines.js';
import type { OutputFolder } from './output-folder.js';

/**
 * Writes everything made for one input under `outputRoot`: each variant image and its provenance sidecar
 * (the record alone, as `augmix replay` reads it, in the shared `recordJson` form) and, in JSD mode, the clean view, every file atomically.
 * Only then are the manifest lines appended (variants in index order, then the clean view), so a line never
 * names a file that is not whole on disk. Lines already recorded (an input half done before a kill) are not
 * written twice. Returns the number of variant images written.
 */
export async function writeImageOutputs(
  image: ProcessedImage,
  outputRoot: string,
  folder: OutputFolder,
): Promise<number> {
  const target = (name: string): string => path.join(outputRoot, ...name.split('/'));
  const writes: Promise<void>[] = [];
  for (const variant of image.variants) {
    writes.push(writeFileAtomic(target(variant.name), variant.bytes));
    writes.push(writeFileAtomic(target(variant.recordName), recordJson(variant.record)));
  }
  if (image.clean !== null) writes.push(writeFileAtomic(target(image.clean.name), image.clean.bytes));
  const results = await Promise.allSettled(writes);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure !== undefined) throw failure.reason;

  const lines: (VariantLine | CleanLine)[] = image.variants.map((variant) => ({
    input: image.relativeKey,
    output: variant.name,
    sidecar: variant.recordName,
    variant: variant.variant,
    seed: variant.seed,
    record: variant.record,
  }));
  if (image.clean !== null) lines.push({ input: image.relativeKey, output: image.clean.name, clean: true });
  for (const line of lines) {
    if (folder.done.hasOutput(line.input, line.output)) continue;
    await folder.writer.append(line);
    folder.done.add(line);
  }
  return image.variants.length;
}
