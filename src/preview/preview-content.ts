import { runChain } from '../augmix/augment-and-mix.js';
import type { RgbImage } from '../augmix/image.js';
import type { DecodeSettings, OpStep } from '../augmix/record.js';
import { augmentVariant } from '../pipeline/augment-variant.js';
import type { PipelineSettings } from '../pipeline/types.js';
import type { SheetContent, SheetRow, SheetTile } from './contact-sheet.js';

export interface PreviewContentOptions {
  /** Resolved settings; `variants` is the number of variants shown. */
  readonly settings: PipelineSettings;
  /** The relative key the seeds derive from (what `augmix run` would use). */
  readonly key: string;
  /** The variant whose chains are shown step by step. @default 0 */
  readonly chainsOf?: number;
}

/**
 * What `augmix preview` shows for a decoded image: the original and `settings.variants` AugMix variants with
 * the seeds `augmix run` uses for `key` (same records, same pixels), then, for variant `chainsOf`, every chain
 * from the original through each op (labelled with the op and its value) and the mix that makes the variant.
 */
export function previewContent(
  image: RgbImage,
  decode: DecodeSettings,
  options: PreviewContentOptions,
): SheetContent {
  const { settings, key, chainsOf = 0 } = options;
  const variants = Array.from({ length: settings.variants }, (_, i) =>
    augmentVariant(image, decode, key, i, settings),
  );
  const shown = variants[chainsOf];
  if (shown === undefined) {
    throw new RangeError(
      `Expected chainsOf to be an integer in 0..${settings.variants - 1} but received ${chainsOf}`,
    );
  }
  const name = (i: number): string => `augmix-${String(i).padStart(2, '0')}`;
  const depth = settings.depth === -1 ? '-1 (1..3)' : String(settings.depth);

  const title = [
    `augmix preview: ${key}, ${image.width}x${image.height}`,
    `seed ${settings.seed}  severity ${settings.severity}  width ${settings.width}  depth ${depth}  ` +
      `alpha ${settings.alpha}  all-ops ${settings.allOps ? 'on' : 'off'}`,
  ];
  const overview: SheetRow = {
    heading: `the original and ${settings.variants} variants (the seeds augmix run uses for key ${key})`,
    tiles: [
      { image, label: ['original', `${image.width}x${image.height}`] },
      ...variants.map((variant, i) => ({
        image: variant.image,
        label: [name(i), `seed ${variant.seed}`, `m ${formatValue(variant.record.m)}`],
      })),
    ],
  };

  const chainRows: SheetRow[] = [];
  const chainResults: SheetTile[] = [];
  shown.record.chains.forEach((steps, c) => {
    const weight = shown.record.weights[c]!;
    const tiles: SheetTile[] = [{ image, label: ['original'] }];
    const result = runChain(image, steps, (stepImage: RgbImage, step: OpStep) => {
      tiles.push({ image: stepImage, label: [stepLabel(step), `step ${tiles.length}`] });
    });
    chainRows.push({
      heading: `${name(chainsOf)}, chain ${c + 1} of ${shown.record.chains.length}: weight ${formatValue(weight)}`,
      tiles,
    });
    chainResults.push({ image: result, label: [`chain ${c + 1}`, `w ${formatValue(weight)}`] });
  });
  const mix: SheetRow = {
    heading:
      `${name(chainsOf)} = (1 - m) * original + m * sum(w_i * chain_i), ` +
      `m = ${formatValue(shown.record.m)}, w = ${shown.record.weights.map(formatValue).join(' / ')}`,
    tiles: [
      { image, label: ['original', `1 - m = ${formatValue(1 - shown.record.m)}`] },
      ...chainResults,
      { image: shown.image, label: [name(chainsOf), 'mixed'] },
    ],
  };
  return { title, rows: [overview, ...chainRows, mix] };
}

/** `rotate -7`, `shear_x 0.0312`, `equalize` */
export function stepLabel(step: OpStep): string {
  return step.value === null ? step.op : `${step.op} ${formatValue(step.value)}`;
}

/** Integers as they are, other numbers with at most four decimals (`0.0312`, `-12.25`). */
export function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
}
