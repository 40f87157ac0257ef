import { ALL_OPS, isOpName, NULL_OPS } from '../augmix/op-names.js';
import { applyOp, assertOpValue } from '../augmix/ops/index.js';
import { decode, encode, formatFromPath } from '../codec/index.js';
import { asUsage, type CommandSpec, numberValue, type ParsedArgs, runCommand } from './args.js';
import { EXIT, UsageError } from './exit.js';
import { imageOptions, readInputFile, writeOutputFile } from './image-files.js';

const HELP = `Usage: augmix op <name> <value> <input> <output> [options]

Apply one AugMix op with a concrete value to an image and write the result: the
same pixels as the reference harness's \`replay.py op\` (Pillow).

Arguments:
  <name>     ${ALL_OPS.slice(0, 5).join(', ')},
             ${ALL_OPS.slice(5, 9).join(', ')},
             ${ALL_OPS.slice(9).join(', ')} (the all-ops four)
  <value>    the op's value: null for autocontrast and equalize; an integer for
             posterize (bits kept, 0..8), solarize (threshold), translate_x and
             translate_y (pixels; positive moves the picture left/up); degrees for
             rotate (counter-clockwise); a number for shear_x/shear_y; a factor
             >= 0 for color, contrast, brightness, sharpness (1 = identity).
             Negative values work as they are: augmix op rotate -12 in.jpg out.png
  <input>    any image sharp reads (JPEG, PNG, WebP, AVIF, TIFF, GIF, ...)
  <output>   .png (lossless), .jpg/.jpeg, .webp or .avif

Options:
  --orientation auto|raw  apply the EXIF orientation (auto, the default) or keep
                          the stored pixel order (raw, as Pillow does)
  --size N                resize the short side to N and centre-crop a square first
  --quality Q             1..100 for .jpg/.webp/.avif (default 90/90/60)
  -h, --help              show this help`;

const SPEC: CommandSpec = {
  name: 'op',
  help: HELP,
  options: {
    orientation: { type: 'string' },
    size: { type: 'string' },
    quality: { type: 'string' },
  },
  positionals: ['name', 'value', 'input', 'output'],
};

/** `augmix op <name> <value> <input> <output>`: one op, one value, one image. */
export function main(argv: string[]): Promise<number> {
  return runCommand(argv, SPEC, run);
}

async function run({ values, positionals }: ParsedArgs): Promise<number> {
  const [name, valueText, input, output] = positionals as [string, string, string, string];
  if (!isOpName(name)) throw new UsageError(`unknown op ${JSON.stringify(name)}; ops: ${ALL_OPS.join(', ')}`);
  const value = valueText === 'null' ? null : numberValue(`the value of ${name}`, valueText);
  if (value === null && !NULL_OPS.has(name)) throw new UsageError(`${name} needs a number, not null`);
  asUsage(() => assertOpValue(name, value));
  const format = asUsage(() => formatFromPath(output));
  const { orientation, size, quality } = imageOptions(values);

  const bytes = await readInputFile(input);
  const decoded = await decode(bytes, { input, orientation, size });
  const result = applyOp(decoded.image, name, value);
  await writeOutputFile(output, await encode(result, format, { quality }));
  return EXIT.ok;
}
