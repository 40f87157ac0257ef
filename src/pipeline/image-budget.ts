/**
 * The time and memory one image needs in the worker, from figures measured with `bench/image-budget.ts`
 * (docs/budgets.md has the table, the method and the derivation). The stack refuses settings whose worst-case
 * image does not fit the function (lib/budgets.ts); the worker keeps the worst case's time in reserve and
 * hands back images it could not finish (`IMAGE_TIME_RESERVE_MS`).
 */

/**
 * Seconds per megapixel for one image with K = 4 plain variants, the slowest output format (PNG: its
 * encoder dominates), one core: 1.67 s/MP measured (JPEG: 0.50 s/MP).
 */
export const SECONDS_PER_MEGAPIXEL_K4 = 1.67;

/** Peak resident memory per megapixel of one image in flight (PNG; JPEG 21 MiB/MP). */
export const MIB_PER_MEGAPIXEL = 28;

/** Resident memory of the worker before any image (Node, the SDK, sharp): 80 MiB measured, rounded up. */
export const BASE_MIB = 150;

/**
 * Factor between the measuring machine and a Lambda arm64 vCPU, which were not compared here: a margin,
 * not a measurement.
 */
export const TIME_SAFETY_FACTOR = 1.5;

/** Seconds kept for S3 reads and writes and the start of an invocation, on top of the image's own time. */
export const IO_MARGIN_SECONDS = 5;

/** Share of the function's memory the images may use (the rest: GC headroom, buffers in flight). */
export const MEMORY_SHARE = 0.9;

/** What decides one image's worst case. */
export interface ImageBudgetInput {
  readonly maxPixels: number;
  readonly maxBytes: number;
  readonly variants: number;
  readonly jsd: boolean;
  /** Images in flight at once in one invocation (they share its one JavaScript thread). */
  readonly imageConcurrency: number;
}

/**
 * Encoded images per input relative to the measured K = 4: time is modelled as one decode plus one
 * augment-and-encode per output image, the five units of the K = 4 measurement scaled to this many.
 */
function workUnits(variants: number, jsd: boolean): number {
  const images = jsd ? 2 * variants + 1 : variants;
  return (1 + images) / 5;
}

/**
 * Worst-case wall seconds for one image of `maxPixels` while `imageConcurrency` images share the invocation:
 * `MP × 1.67 s × units × 1.5 × images at once + 5 s`.
 */
export function worstImageSeconds(input: ImageBudgetInput): number {
  const megapixels = input.maxPixels / 1e6;
  const compute =
    megapixels *
    SECONDS_PER_MEGAPIXEL_K4 *
    workUnits(input.variants, input.jsd) *
    TIME_SAFETY_FACTOR *
    input.imageConcurrency;
  return compute + IO_MARGIN_SECONDS;
}

/**
 * Worst-case peak memory in MiB: the base plus, per image in flight, its bytes (`maxBytes`) and
 * `maxPixels × 28 MiB/MP`.
 */
export function worstMemoryMiB(input: ImageBudgetInput): number {
  const perImage = input.maxBytes / 2 ** 20 + (input.maxPixels / 1e6) * MIB_PER_MEGAPIXEL;
  return BASE_MIB + input.imageConcurrency * perImage;
}

/** Milliseconds the worker keeps in reserve before it starts an image (the worst case, rounded up). */
export function imageTimeReserveMs(input: ImageBudgetInput): number {
  return Math.ceil(worstImageSeconds(input) * 1000);
}
