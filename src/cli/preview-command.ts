import path from 'node:path';
import { decode, encode } from '../codec/index.js';
import { resolveSettings } from '../pipeline/settings.js';
import { drawContactSheet } from '../preview/contact-sheet.js';
import { previewContent } from '../preview/preview-content.js';
import { asUsage, type CommandSpec, integerOption, type ParsedArgs, runCommand } from './args.js';
import { EXIT, UsageError } from './exit.js';
import { readInputFile, writeOutputFile } from './image-files.js';
import {
  helpLine,
  SETTINGS_ALIASES,
  SETTINGS_OPTIONS,
  settingsFromValues,
  settingsHelp,
} from './settings-options.js';

const SHEET_OPTIONS = [
  'variants',
  'severity',
  'width',
  'depth',
  'alpha',
  'all-ops',
  'seed',
  'size',
  'orientation',
];
const LIMIT_OPTIONS = ['max-pixels', 'max-bytes'];

const HELP = `Usage: augmix preview <image> [--variants N] [--out sheet.png] [--seed S] [AugMix options]

Draws a contact sheet (PNG): the original, N AugMix variants made with the seeds \`augmix run\` uses for the
image (key = its file name, or --key), and for one variant each chain step by step, labelled with the op and
its value, then the mix (weights and m) that makes the variant.

Options:
${helpLine('--variants N', 'variants shown', '4')}
${helpLine('--out FILE', 'the sheet, a .png', '<image name>.preview.png')}
${helpLine('--key KEY', 'relative key the seeds derive from', "the image's file name")}
${helpLine('--chains-of I', 'the variant whose chains are shown', '0')}
${helpLine('--thumbnail PX', 'longest side of each picture, 32..512', '128')}
${helpLine('--json', "print the sheet's size and label boxes on stdout")}
${settingsHelp(SHEET_OPTIONS.filter((name) => name !== 'variants')).join('\n')}
${settingsHelp(LIMIT_OPTIONS).join('\n')}
${helpLine('-h, --help', 'show this help')}`;

const SPEC: CommandSpec = {
  name: 'preview',
  help: HELP,
  options: {
    ...Object.fromEntries(
      [...SHEET_OPTIONS, ...LIMIT_OPTIONS].map((name) => [
        name,
        SETTINGS_OPTIONS[name as keyof typeof SETTINGS_OPTIONS],
      ]),
    ),
    out: { type: 'string' },
    key: { type: 'string' },
    'chains-of': { type: 'string' },
    thumbnail: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: ['image'],
  aliases: Object.fromEntries(
    Object.entries(SETTINGS_ALIASES).filter(([, flag]) => SHEET_OPTIONS.includes(flag)),
  ),
};

export async function main(argv: string[]): Promise<number> {
  return runCommand(argv, SPEC, async (args) => preview(args));
}

async function preview({ values, positionals }: ParsedArgs): Promise<number> {
  const input = positionals[0]!;
  const settings = asUsage(() => resolveSettings(settingsFromValues(values)));
  const key = typeof values.key === 'string' ? values.key : path.basename(input);
  const chainsOf = integerOption('chains-of', values['chains-of']) ?? 0;
  if (chainsOf < 0 || chainsOf >= settings.variants) {
    throw new UsageError(
      `--chains-of must be in 0..${settings.variants - 1} (one of the --variants), got ${chainsOf}`,
    );
  }
  const thumbnail = integerOption('thumbnail', values.thumbnail) ?? 128;
  if (thumbnail < 32 || thumbnail > 512)
    throw new UsageError(`--thumbnail must be in 32..512, got ${thumbnail}`);
  const out = typeof values.out === 'string' ? values.out : `${path.basename(input)}.preview.png`;
  if (path.extname(out).toLowerCase() !== '.png')
    throw new UsageError(`--out must name a .png file, got ${out}`);

  const bytes = await readInputFile(input);
  const { orientation, size, maxPixels, maxBytes } = settings;
  const decoded = await decode(bytes, { input, orientation, size, maxPixels, maxBytes });
  const content = asUsage(() => previewContent(decoded.image, decoded.decode, { settings, key, chainsOf }));
  const sheet = drawContactSheet(content, { thumbnail });
  await writeOutputFile(out, await encode(sheet.image, 'png'));
  if (values.json === true) {
    const { width, height } = sheet.image;
    process.stdout.write(`${JSON.stringify({ out, width, height, labels: sheet.labels })}\n`);
  } else {
    console.log(`augmix preview: wrote ${out} (${sheet.image.width}x${sheet.image.height})`);
  }
  return EXIT.ok;
}
