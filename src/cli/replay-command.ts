import { replayRecord } from '../augmix/augment-and-mix.js';
import { parseRecord } from '../augmix/parse-record.js';
import type { ProvenanceRecord } from '../augmix/record.js';
import { decode, encode, formatFromPath } from '../codec/index.js';
import { asUsage, type CommandSpec, FileError, integerOption, type ParsedArgs, runCommand } from './args.js';
import { EXIT, UsageError } from './exit.js';
import { readInputFile, readJsonFile, writeOutputFile } from './image-files.js';

const HELP = `Usage: augmix replay <record.json> <input> <output> [options]

Apply a provenance record to an image: with the original file and a variant's
record (K.augmix-00.json), this reproduces the variant.

The original is decoded as the record's "decode" object says (orientation, size)
and must come out at the record's width and height. A bare version-1 record
without "decode" (as the reference harness's \`replay.py sample\` writes it) means
a plain decode: no resize and no EXIF rotation, as Pillow reads the file.

Arguments:
  <record.json>  a provenance record, version 1
  <input>        the original image
  <output>       .png (lossless), .jpg/.jpeg, .webp or .avif

Options:
  --quality Q    1..100 for .jpg/.webp/.avif (default 90/90/60)
  -h, --help     show this help`;

const SPEC: CommandSpec = {
  name: 'replay',
  help: HELP,
  options: { quality: { type: 'string' } },
  positionals: ['record.json', 'input', 'output'],
};

/** `augmix replay <record.json> <input> <output>`. */
export function main(argv: string[]): Promise<number> {
  return runCommand(argv, SPEC, run);
}

async function run({ values, positionals }: ParsedArgs): Promise<number> {
  const [recordPath, input, output] = positionals as [string, string, string];
  const format = asUsage(() => formatFromPath(output));
  const quality = integerOption('quality', values.quality) ?? null;
  if (quality !== null && (quality < 1 || quality > 100)) {
    throw new UsageError(`--quality expects an integer in 1..100, got ${quality}`);
  }
  const record = await readRecord(recordPath);
  const settings = record.decode;
  const decoded = await decode(await readInputFile(input), {
    input,
    orientation: settings?.orientation ?? 'raw',
    size: settings?.size ?? null,
  });
  const { width, height } = decoded.image;
  if (settings !== undefined && (width !== settings.width || height !== settings.height)) {
    throw new FileError(
      input,
      `decodes to ${width}x${height} but the record was made on ${settings.width}x${settings.height} ` +
        `(orientation ${settings.orientation}, size ${settings.size ?? 'none'}): is this the record's original?`,
    );
  }
  const image = replayRecord(decoded.image, record);
  await writeOutputFile(output, await encode(image, format, { quality }));
  return EXIT.ok;
}

async function readRecord(path: string): Promise<ProvenanceRecord> {
  const json = await readJsonFile(path);
  try {
    return parseRecord(json, {
      warn: (message) => console.error(`augmix replay: ${path}: warning: ${message}`),
    });
  } catch (error) {
    throw new FileError(
      path,
      `not a valid provenance record: ${error instanceof Error ? error.message : error}`,
    );
  }
}
