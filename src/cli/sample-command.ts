import { basename } from 'node:path';
import { assertRelativeKey } from '../augmix/seed.js';
import { decode } from '../codec/index.js';
import { augmentVariant } from '../pipeline/augment-variant.js';
import { recordJson } from '../pipeline/record-json.js';
import { resolveSettings } from '../pipeline/settings.js';
import {
  asUsage,
  type CommandSpec,
  choiceOption,
  integerOption,
  numberOption,
  type ParsedArgs,
  runCommand,
} from './args.js';
import { EXIT } from './exit.js';
import { readInputFile } from './image-files.js';

const HELP = `Usage: augmix sample <input> [options]

Print (JSON) the provenance record that \`augmix run\` (or the AWS workers) writes
for one variant of an image with these settings: the sampled chain weights, m,
and every op with its value, plus the decode settings. Nothing is written.

The variant's seed comes from the one seed rule: (--seed, --key, --variant).

Arguments:
  <input>                 the image

Options:
  --seed S                the run's seed, an integer >= 0 (default 0)
  --variant I             the variant index, 0-based (default 0); in JSD mode
                          pair j's two views are variants 2j and 2j+1
  --key REL               the input's key relative to the run's input folder or
                          prefix, e.g. train/cat/001.jpg (default: the input's
                          file name, which is the key when the input sits at the
                          top of the input folder)
  --size N                resize the short side to N and centre-crop a square
  --orientation auto|raw  apply the EXIF orientation (auto, default) or not (raw)
  --severity N            1..10 (default 3)
  --width N               chains mixed, 1..16 (default 3)
  --depth N               ops per chain, -1 = random 1..3 (default -1)
  --alpha A               Dirichlet/Beta concentration, > 0 (default 1)
  --all-ops               also draw color, contrast, brightness, sharpness
  -h, --help              show this help`;

const SPEC: CommandSpec = {
  name: 'sample',
  help: HELP,
  options: {
    seed: { type: 'string' },
    variant: { type: 'string' },
    key: { type: 'string' },
    size: { type: 'string' },
    orientation: { type: 'string' },
    severity: { type: 'string' },
    width: { type: 'string' },
    depth: { type: 'string' },
    alpha: { type: 'string' },
    'all-ops': { type: 'boolean' },
  },
  positionals: ['input'],
};

/** `augmix sample <input> [options]`: print a variant's provenance record. */
export function main(argv: string[]): Promise<number> {
  return runCommand(argv, SPEC, run);
}

async function run({ values, positionals }: ParsedArgs): Promise<number> {
  const [input] = positionals as [string];
  const settings = asUsage(() =>
    resolveSettings({
      seed: integerOption('seed', values.seed),
      size: integerOption('size', values.size),
      orientation: choiceOption('orientation', values.orientation, ['auto', 'raw'] as const),
      severity: integerOption('severity', values.severity),
      width: integerOption('width', values.width),
      depth: integerOption('depth', values.depth),
      alpha: numberOption('alpha', values.alpha),
      allOps: values['all-ops'] === true,
    }),
  );
  const variant = integerOption('variant', values.variant) ?? 0;
  asUsage(() => {
    if (variant < 0) throw new RangeError(`Expected --variant to be an integer >= 0 but received ${variant}`);
  });
  const key = typeof values.key === 'string' ? values.key : basename(input);
  asUsage(() => assertRelativeKey(key, '--key'));

  const { orientation, size, maxPixels, maxBytes } = settings;
  const decoded = await decode(await readInputFile(input), { input, orientation, size, maxPixels, maxBytes });
  const { record } = augmentVariant(decoded.image, decoded.decode, key, variant, settings);
  process.stdout.write(recordJson(record));
  return EXIT.ok;
}
