/**
 * Per-image CPU time of `processImage`, modelled from `npm run bench` figures measured on the development
 * machine (2-core AMD EPYC, Node 20, one core pinned, K = 4, default AugMix; README "Speed"):
 *
 * - "whole `processImage`" 224×224 JPEG: 405 variants/s → 2.469 ms per variant;
 * - "whole `processImage`" 2048×1536 JPEG: 8.4 variants/s → 119.0 ms per variant;
 * - a whole `augmix run` on 2 workers vs 1: 1.41× (32×32 PNG), 1.54× (224×224 JPEG), 1.83× (2048×1536 JPEG).
 *
 * A variant's time is taken as linear in its pixels through those two points (decode, augment and encode all
 * are per pixel; the intercept is the per-call overhead). Lambda's arm64 (Graviton) core is assumed
 * {@link DEFAULT_ARM64_FACTOR}× slower than this x86 core: an assumption, not a measurement (the arm64 smoke
 * test runs under qemu, which says nothing about speed); `augmix estimate --cpu-factor` changes it and
 * `--measure` replaces the whole model by timing `processImage` on the user's own images here.
 */
export const BENCH_POINTS = [
  { label: '224×224 JPEG', pixels: 224 * 224, msPerVariant: 1000 / 405 },
  { label: '2048×1536 JPEG', pixels: 2048 * 1536, msPerVariant: 1000 / 8.4 },
] as const;

/** Measured speed-up of 2 workers over 1 (whole `augmix run`), by image size. */
export const TWO_WORKER_SPEEDUP = [
  { pixels: 32 * 32, speedup: 1.41 },
  { pixels: 224 * 224, speedup: 1.54 },
  { pixels: 2048 * 1536, speedup: 1.83 },
] as const;

/** Assumed slowdown of one Lambda arm64 vCPU against the bench machine's core (not measured). */
export const DEFAULT_ARM64_FACTOR = 1.5;

/** Where the figures came from (printed with the estimate). */
export const CPU_MODEL_SOURCE =
  'npm run bench, whole processImage, 2-core AMD EPYC / Node 20, one core: 224x224 JPEG 405 variants/s, ' +
  '2048x1536 JPEG 8.4 variants/s; linear in pixels between them';

/** CPU milliseconds of one variant on the bench machine's core, for an image of `pixels` pixels. */
export function benchMsPerVariant(pixels: number): number {
  const [small, large] = BENCH_POINTS;
  const perPixel = (large.msPerVariant - small.msPerVariant) / (large.pixels - small.pixels);
  const intercept = small.msPerVariant - perPixel * small.pixels;
  return Math.max(intercept, intercept + perPixel * pixels);
}

/**
 * The two-worker speed-up for an image of `pixels` pixels, interpolated in log(pixels) between the measured
 * points and clamped to them.
 */
export function twoWorkerSpeedup(pixels: number): number {
  const points = TWO_WORKER_SPEEDUP;
  if (pixels <= points[0].pixels) return points[0].speedup;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (pixels <= b.pixels) {
      const t = Math.log(pixels / a.pixels) / Math.log(b.pixels / a.pixels);
      return a.speedup + t * (b.speedup - a.speedup);
    }
  }
  return points[points.length - 1]!.speedup;
}

/** Serial fraction (Amdahl) that gives `speedup` on two workers. */
export function serialFraction(speedup: number): number {
  return Math.min(1, Math.max(0, 2 / speedup - 1));
}
