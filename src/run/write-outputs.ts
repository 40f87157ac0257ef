import { rmSync } from 'node:fs';
import path from 'node:path';
import { everyOutputName } from '../augmix/layout.js';
import { provenanceDocument, type SourceVersion } from '../pipeline/provenance.js';
import { recordJson } from '../pipeline/record-json.js';
import type { PipelineSettings, ProcessedImage } from '../pipeline/types.js';
import { writeFileAtomicSync } from './atomic-write.js';
import type { WrittenImage } from './image-task.js';
import type { DoneLine, SourceFingerprint } from './manifest-lines.js';
import type { OutputFolder } from './output-folder.js';

/**
 * Writes everything made for one input under `outputRoot` (in the worker thread): each variant image, in JSD
 * mode the clean view, then the input's provenance document (`K.augmix.json`: the source's key, ETag and size
 * and every variant's record, in the shared `recordJson` form), every file atomically. Returns what was
 * written, without the bytes.
 */
export function writeImageFiles(
  image: ProcessedImage,
  outputRoot: string,
  source: SourceVersion,
  fingerprint: SourceFingerprint | null,
): WrittenImage {
  const target = (name: string): string => outputFile(outputRoot, name);
  for (const variant of image.variants) writeFileAtomicSync(target(variant.name), variant.bytes);
  if (image.clean !== null) writeFileAtomicSync(target(image.clean.name), image.clean.bytes);
  writeFileAtomicSync(target(image.documentName), recordJson(provenanceDocument(image, source)));
  return writtenImageOf(image, fingerprint);
}

/**
 * Removes the files an input's earlier outputs may have left that `keep` does not name: the other formats'
 * variants (a replaced input of another format), or all of them (`keep` empty: the input now fails).
 */
export function removeOtherOutputs(
  relativeKey: string,
  keep: readonly string[],
  outputRoot: string,
  settings: PipelineSettings,
): void {
  const kept = new Set(keep);
  for (const name of everyOutputName(relativeKey, settings.variants, settings.jsd)) {
    if (!kept.has(name)) rmSync(outputFile(outputRoot, name), { force: true });
  }
}

function outputFile(outputRoot: string, name: string): string {
  return path.join(outputRoot, ...name.split('/'));
}

/** What was written for one input (names relative to the output folder or prefix), without the bytes. */
export function writtenImageOf(image: ProcessedImage, source: SourceFingerprint | null): WrittenImage {
  return {
    relativeKey: image.relativeKey,
    source,
    document: image.documentName,
    variants: image.variants.map(({ name, variant, seed }) => ({ name, variant, seed })),
    clean: image.clean?.name ?? null,
  };
}

/** Every name written for an input (variants, clean view, document). */
export function writtenNames(written: WrittenImage): string[] {
  const names = written.variants.map((variant) => variant.name);
  if (written.clean !== null) names.push(written.clean);
  names.push(written.document);
  return names;
}

/** The manifest line of an input whose files are written. */
export function manifestLineOf(written: WrittenImage): DoneLine {
  return {
    input: written.relativeKey,
    source: written.source,
    document: written.document,
    variants: written.variants.map(({ variant, seed, name }) => ({ variant, seed, output: name })),
    clean: written.clean,
  };
}

/**
 * Appends the manifest line of an input whose files are whole on disk (or in the bucket), in one write.
 * Returns the number of variant images written.
 */
export async function recordWrittenImage(written: WrittenImage, folder: OutputFolder): Promise<number> {
  const line = manifestLineOf(written);
  await folder.writer.append(line);
  folder.done.add(line);
  return written.variants.length;
}
