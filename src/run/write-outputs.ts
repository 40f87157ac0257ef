import path from 'node:path';
import { recordJson } from '../pipeline/record-json.js';
import type { ProcessedImage } from '../pipeline/types.js';
import { writeFileAtomicSync } from './atomic-write.js';
import type { WrittenImage } from './image-task.js';
import type { CleanLine, VariantLine } from './manifest-lines.js';
import type { OutputFolder } from './output-folder.js';

/**
 * Writes everything made for one input under `outputRoot` (in the worker thread): each variant image and its
 * provenance sidecar (the record alone, as `augmix replay` reads it, in the shared `recordJson` form) and, in
 * JSD mode, the clean view, every file atomically. Returns what was written, without the bytes.
 */
export function writeImageFiles(image: ProcessedImage, outputRoot: string): WrittenImage {
  const target = (name: string): string => path.join(outputRoot, ...name.split('/'));
  for (const variant of image.variants) {
    writeFileAtomicSync(target(variant.name), variant.bytes);
    writeFileAtomicSync(target(variant.recordName), recordJson(variant.record));
  }
  if (image.clean !== null) writeFileAtomicSync(target(image.clean.name), image.clean.bytes);
  return writtenImageOf(image);
}

/** What was written for one input (names relative to the output folder or prefix), without the bytes. */
export function writtenImageOf(image: ProcessedImage): WrittenImage {
  return {
    relativeKey: image.relativeKey,
    variants: image.variants.map(({ name, recordName, variant, seed, record }) => ({
      name,
      recordName,
      variant,
      seed,
      record,
    })),
    clean: image.clean?.name ?? null,
  };
}

/** The manifest lines of an input's written files: variants in index order, then the clean view. */
export function manifestLinesOf(written: WrittenImage): (VariantLine | CleanLine)[] {
  const lines: (VariantLine | CleanLine)[] = written.variants.map((variant) => ({
    input: written.relativeKey,
    output: variant.name,
    sidecar: variant.recordName,
    variant: variant.variant,
    seed: variant.seed,
    record: variant.record,
  }));
  if (written.clean !== null) lines.push({ input: written.relativeKey, output: written.clean, clean: true });
  return lines;
}

/**
 * Appends the manifest lines of an input whose files are whole on disk, in one write; lines already recorded
 * (an input half done before a kill) are not written twice. Returns the number of variant images written.
 */
export async function recordWrittenImage(written: WrittenImage, folder: OutputFolder): Promise<number> {
  const lines = manifestLinesOf(written).filter((line) => !folder.done.hasOutput(line.input, line.output));
  await folder.writer.appendAll(lines);
  for (const line of lines) folder.done.add(line);
  return written.variants.length;
}
