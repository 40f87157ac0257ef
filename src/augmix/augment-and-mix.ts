import { invalidParameter } from './errors.js';
import { assertRgbImage, type RgbImage } from './image.js';
import { mixImages } from './mix.js';
import { recycleImageData } from './ops/image-buffers.js';
import { applyOp } from './ops/index.js';
import type { AugmixParameters } from './parameters.js';
import { LegacyRandomState } from './random/legacy-random-state.js';
import type { OpStep, ProvenanceRecord } from './record.js';
import { sampleRecord } from './sample.js';

/** Called after each step of a chain with the step's 8-bit output (e.g. to preview intermediates). */
export type StepCallback = (output: RgbImage, step: OpStep, index: number) => void;

/** One AugMix variant and the provenance record that reproduces it. */
export interface AugmixResult {
  readonly image: RgbImage;
  readonly record: ProvenanceRecord;
}

/** The JSD triplet: the untouched clean view and two independent AugMix views. */
export interface JsdResult {
  /** A copy of the input (the official clean view is only preprocessed). */
  readonly clean: RgbImage;
  readonly views: readonly [AugmixResult, AugmixResult];
}

/** The mixed image of a replayed record together with each chain's output. */
export interface ReplayResult {
  readonly image: RgbImage;
  readonly chains: readonly RgbImage[];
}

/**
 * Applies a chain's steps in order, each to the previous step's 8-bit output, starting from `image`.
 * An empty chain returns a copy of `image`. The input is never modified.
 */
export function runChain(image: RgbImage, steps: readonly OpStep[], onStep?: StepCallback): RgbImage {
  assertRgbImage(image);
  let current: RgbImage = image;
  steps.forEach((step, index) => {
    const next = applyOp(current, step.op, step.value);
    if (onStep) {
      onStep(next, step, index);
    } else if (current !== image && current.data !== next.data) {
      // an intermediate no one else has seen: its buffer serves a later op
      recycleImageData(current.data);
    }
    current = next;
  });
  return current === image ? { width: image.width, height: image.height, data: image.data.slice() } : current;
}

/**
 * Replays a provenance record on `image` (the decoded original): every chain from the original, then the
 * harness's 8-bit mix. Returns the mixed image and each chain's output.
 */
export function replayRecordWithChains(image: RgbImage, record: ProvenanceRecord): ReplayResult {
  assertRgbImage(image);
  if (record.chains.length !== record.weights.length) {
    throw invalidParameter(
      'record.weights.length',
      `record.chains.length (${record.chains.length})`,
      record.weights.length,
    );
  }
  const { decode } = record;
  if (decode && (decode.width !== image.width || decode.height !== image.height)) {
    throw invalidParameter(
      'image size',
      `the record's decoded size ${decode.width}x${decode.height}`,
      `${image.width}x${image.height}`,
    );
  }
  // grown by push (a packed array, whether this code runs optimised or not: one shape for mixImages)
  const chains: RgbImage[] = [];
  for (const steps of record.chains) chains.push(runChain(image, steps));
  return { image: mixImages(image, chains, record.weights, record.m), chains };
}

/** Replays a provenance record on `image` and returns the mixed image (see {@link replayRecordWithChains}). */
export function replayRecord(image: RgbImage, record: ProvenanceRecord): RgbImage {
  const { image: mixed, chains } = replayRecordWithChains(image, record);
  // the chain outputs are dead here: their buffers serve the next variant's ops
  for (const chain of chains) recycleImageData(chain.data);
  return mixed;
}

/**
 * One AugMix variant: draws a record with numpy's legacy `RandomState(seed)` in the official order (for the
 * image's size), then replays it. `replay.py sample --seed <seed> --size W H` draws the same record.
 *
 * @param params AugMix parameters (missing ones take the official defaults)
 * @param seed an integer in [0, 2^32), e.g. from `variantSeed`
 */
export function augmentAndMix(
  image: RgbImage,
  params: Partial<AugmixParameters>,
  seed: number,
): AugmixResult {
  assertRgbImage(image);
  const record = sampleRecord(new LegacyRandomState(seed), params, {
    width: image.width,
    height: image.height,
  });
  return { image: replayRecord(image, record), record };
}

/**
 * The JSD triplet of the official training code: the clean image and two independent AugMix views (separate
 * draws of weights, m, depths, ops and levels), one per seed.
 */
export function augmentJsd(
  image: RgbImage,
  params: Partial<AugmixParameters>,
  seeds: readonly [number, number],
): JsdResult {
  assertRgbImage(image);
  if (!Array.isArray(seeds) || seeds.length !== 2) {
    throw invalidParameter('seeds', 'two seeds, one per view', seeds, TypeError);
  }
  const clean = { width: image.width, height: image.height, data: image.data.slice() };
  return { clean, views: [augmentAndMix(image, params, seeds[0]), augmentAndMix(image, params, seeds[1])] };
}
