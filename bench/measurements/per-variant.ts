import { augmentAndMix } from '../../src/augmix/augment-and-mix.js';
import type { OutputFormat } from '../../src/augmix/layout.js';
import { variantSeed } from '../../src/augmix/seed.js';
import { decode, encode } from '../../src/codec/index.js';
import { processImage } from '../../src/pipeline/process-image.js';
import { augmixParametersOf, resolveSettings } from '../../src/pipeline/settings.js';
import type { CaseResult, Measurement, MeasureOptions } from '../measurement.js';
import { sharpFloor } from '../sharp-floor.js';
import { syntheticPhoto } from '../synthetic-input.js';
import { fmt, table } from '../table.js';
import { msPerCall, peakRssMiB } from '../timing.js';

/** Variants per input. */
const K = 4;
const KEY = 'bench/input';

const CASES: Readonly<Record<string, CaseSpec>> = {
  '32px-png': { width: 32, height: 32, format: 'png' },
  '224px-jpeg': { width: 224, height: 224, format: 'jpeg' },
  '2048px-jpeg': { width: 2048, height: 1536, format: 'jpeg' },
};

interface CaseSpec {
  readonly width: number;
  readonly height: number;
  readonly format: OutputFormat;
}

interface PerVariantResult extends CaseSpec {
  readonly case: string;
  readonly inputBytes: number;
  readonly decodeMs: number;
  readonly augmentMs: number;
  readonly encodeMs: number;
  /** decode/K + augment + encode. */
  readonly perVariantMs: number;
  /** Decode once + encode K times, per variant. */
  readonly floorMs: number;
  /** `processImage` with K variants, per variant. */
  readonly processImageMs: number;
  readonly peakRssMiB: number;
}

/**
 * Per-variant cost = decode/K + augment + encode (default AugMix: severity 3, width 3, depth -1, alpha 1),
 * split into its parts, beside the sharp floor (decode once + encode K times, no augmentation) and the measured
 * `processImage` of the same input.
 */
export const perVariant: Measurement = {
  name: 'per-variant',
  title: `Per-variant cost, K = ${K}, default AugMix, one core`,
  cases: Object.keys(CASES),
  async measure(caseName: string, { quick }: MeasureOptions): Promise<CaseResult> {
    const spec = CASES[caseName];
    if (spec === undefined) throw new Error(`unknown case ${caseName}`);
    const budgetMs = quick ? 250 : 2500;
    const timing = { budgetMs, warmup: spec.width > 1000 ? 1 : 5, samples: quick ? 3 : 5 };
    const source = syntheticPhoto(spec.width, spec.height);
    const input = await encode(source, spec.format);
    const settings = resolveSettings({ variants: K });
    const params = augmixParametersOf(settings);

    const decodeMs = await msPerCall(timing, () => decode(input));
    const { image } = await decode(input);
    const seeds = Array.from({ length: 64 }, (_, i) => variantSeed(0, KEY, i));
    const augmentMs = await msPerCall(timing, (i) => augmentAndMix(image, params, seeds[i % seeds.length]!));
    const samples = seeds.slice(0, K).map((seed) => augmentAndMix(image, params, seed).image);
    const encodeMs = await msPerCall(timing, (i) => encode(samples[i % K]!, spec.format));
    const floorMs = (await msPerCall(timing, () => sharpFloor(input, spec.format, K))) / K;
    const processImageMs = (await msPerCall(timing, () => processImage(input, KEY, settings))) / K;

    const result: PerVariantResult = {
      case: caseName,
      ...spec,
      inputBytes: input.length,
      decodeMs,
      augmentMs,
      encodeMs,
      perVariantMs: decodeMs / K + augmentMs + encodeMs,
      floorMs,
      processImageMs,
      peakRssMiB: peakRssMiB(),
    };
    return result as unknown as CaseResult;
  },
  report(results: readonly CaseResult[]): string[] {
    const rows = (results as unknown as PerVariantResult[]).map((r) => {
      const perSecond = 1000 / r.perVariantMs;
      const floor = 1000 / r.floorMs;
      return [
        `${r.width}x${r.height} ${r.format}`,
        fmt(r.decodeMs / K),
        fmt(r.augmentMs),
        fmt(r.encodeMs),
        fmt(r.perVariantMs),
        fmt(perSecond),
        fmt(1000 / r.processImageMs),
        fmt(floor),
        fmt(perSecond / floor, 2),
        fmt(r.peakRssMiB),
      ];
    });
    return [
      ...table(
        [
          'input',
          'decode/K ms',
          'augment ms',
          'encode ms',
          'per variant ms',
          'variants/s',
          'processImage v/s',
          'floor v/s',
          'x floor',
          'peak RSS MiB',
        ],
        rows,
      ),
      '',
      'variants/s = 1000 / (decode/K + augment + encode); processImage v/s = the whole processImage call / K;',
      'floor = decode once + encode K times with sharp alone (no augmentation, no JS PNG path), measured in the same run;',
      'x floor = variants/s / floor v/s. The comparison with the official training path is the whole-run table.',
    ];
  },
};
