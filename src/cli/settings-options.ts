import { MAX_WIDTH } from '../augmix/parameters.js';
import type { PipelineSettings } from '../pipeline/types.js';
import { choiceOption, integerOption, numberOption, type OptionSpecs, type OptionValues } from './args.js';

/** `parseArgs` options for every pipeline setting (shared by `run` and `preview`). */
export const SETTINGS_OPTIONS = {
  variants: { type: 'string' },
  severity: { type: 'string' },
  width: { type: 'string' },
  depth: { type: 'string' },
  alpha: { type: 'string' },
  'all-ops': { type: 'boolean' },
  seed: { type: 'string' },
  jsd: { type: 'boolean' },
  format: { type: 'string' },
  quality: { type: 'string' },
  size: { type: 'string' },
  orientation: { type: 'string' },
  'max-pixels': { type: 'string' },
  'max-bytes': { type: 'string' },
} as const satisfies OptionSpecs;

/** Help rows for {@link SETTINGS_OPTIONS}: option, description, default. */
const SETTINGS_ROWS: readonly (readonly [string, string, string])[] = [
  ['--variants K', 'variants per image (JSD mode: pairs per image)', '4'],
  ['--severity S', 'AugMix severity, 1..10', '3'],
  ['--width W', `chains per variant, 1..${MAX_WIDTH}`, '3'],
  ['--depth D', 'ops per chain, >= 1, or -1 for uniform 1..3', '-1'],
  ['--alpha A', 'Dirichlet / Beta concentration, > 0', '1'],
  ['--all-ops', 'also draw color, contrast, brightness, sharpness', ''],
  ['--seed N', 'the run seed, an integer >= 0', '0'],
  ['--jsd', 'the clean view plus K pairs of AugMix views (JSD loss)', ''],
  ['--format F', 'same | jpeg | png | webp | avif (same: the input format, else png)', 'same'],
  ['--quality Q', 'jpeg / webp / avif quality 1..100', '90 / 90 / 60'],
  ['--size N', 'resize the short side to N, centre-crop a square, then augment', 'none'],
  ['--orientation O', 'auto (apply EXIF orientation) | raw', 'auto'],
  ['--max-pixels N', 'refuse larger images (width * height)', '100000000'],
  ['--max-bytes N', 'refuse larger files, in bytes', '268435456'],
];

/** One help line: `  --option X          description  [default]`. */
export function helpLine(option: string, description: string, fallback = ''): string {
  return `  ${option.padEnd(18)}  ${description}${fallback === '' ? '' : `  [${fallback}]`}`;
}

/** Help lines for {@link SETTINGS_OPTIONS}, or for the named options only (`['severity', 'seed']`). */
export function settingsHelp(only?: readonly string[]): string[] {
  return SETTINGS_ROWS.filter(
    ([option]) => only === undefined || only.includes(option.slice(2).split(' ')[0]!),
  ).map((row) => helpLine(...row));
}

/**
 * Turns parsed option values into a partial settings object for `resolveSettings` (which validates ranges).
 * `--quality` and `--size` also accept `none` (the default).
 *
 * @throws UsageError naming the option when a value is not a number or not one of the choices
 */
export function settingsFromValues(values: OptionValues): Partial<PipelineSettings> {
  const settings: Record<string, unknown> = {
    variants: integerOption('variants', values.variants),
    severity: integerOption('severity', values.severity),
    width: integerOption('width', values.width),
    depth: integerOption('depth', values.depth),
    alpha: numberOption('alpha', values.alpha),
    allOps: values['all-ops'],
    seed: integerOption('seed', values.seed),
    jsd: values.jsd,
    format: choiceOption('format', values.format, ['same', 'jpeg', 'png', 'webp', 'avif'] as const),
    quality: values.quality === 'none' ? null : integerOption('quality', values.quality),
    size: values.size === 'none' ? null : integerOption('size', values.size),
    orientation: choiceOption('orientation', values.orientation, ['auto', 'raw'] as const),
    maxPixels: integerOption('max-pixels', values['max-pixels']),
    maxBytes: integerOption('max-bytes', values['max-bytes']),
  };
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}
