import { replayRecord } from '../augmix/augment-and-mix.js';
import { parseRecord } from '../augmix/parse-record.js';
import type { ProvenanceRecord } from '../augmix/record.js';
import { decode, encode, formatFromPath } from '../codec/index.js';
import { isProvenanceDocument, type ProvenanceDocument } from '../pipeline/provenance.js';
import { asUsage, type CommandSpec, FileError, integerOption, type ParsedArgs, runCommand } from './args.js';
import { EXIT, UsageError } from './exit.js';
import { readInputFile, readJsonFile, writeOutputFile } from './image-files.js';

const HELP = `Usage: augmix replay <record.json> <input> <output> [options]

Apply a provenance record to an image: with the original file and a variant's
record, this reproduces the variant. The record is either an input's provenance
document (K.augmix.json, as augmix run and the workers write it: pick the
variant with --variant) or a bare record (as augmix sample prints it).

The original is decoded as the record's "decode" object says (orientation, size)
and must come out at the record's width and height. A bare version-1 record
without "decode" (as the reference harness's \`replay.py sample\` writes it) means
a plain decode: no resize and no EXIF rotation, as Pillow reads the file.

Arguments:
  <record.json>  a provenance document (K.augmix.json) or record, version 1
  <input>        the original image
  <output>       .png (lossless), .jpg/.jpeg, .webp or .avif

Options:
  --variant V    with a provenance document: the variant's index (0, 1, ...)
                 or its output name (K.augmix-01.jpg); required when the
                 document holds more than one variant
  --quality Q    1..100 for .jpg/.webp/.avif (default 90/90/60)
  -h, --help     show this help`;

const SPEC: CommandSpec = {
  name: 'replay',
  help: HELP,
  options: { quality: { type: 'string' }, variant: { type: 'string' } },
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
  const record = await readRecord(recordPath, values.variant as string | undefined);
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

async function readRecord(path: string, variant: string | undefined): Promise<ProvenanceRecord> {
  let json = await readJsonFile(path);
  if (isProvenanceDocument(json)) {
    json = pickVariant(json, path, variant);
  } else if (variant !== undefined) {
    throw new UsageError(`--variant is for provenance documents (K.augmix.json); ${path} is a bare record`);
  }
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

/** The record of the variant `--variant` names (an index or an output name) in a provenance document. */
function pickVariant(document: ProvenanceDocument, path: string, variant: string | undefined): unknown {
  const { variants } = document;
  const names = variants.map((v) => `${v.variant} (${v.output})`).join(', ');
  if (variant === undefined) {
    if (variants.length === 1) return variants[0]!.record;
    throw new UsageError(`${path} holds ${variants.length} variants; choose one with --variant: ${names}`);
  }
  const found = /^\d+$/.test(variant)
    ? variants.find((v) => v.variant === Number(variant))
    : variants.find((v) => v.output === variant || v.output.endsWith(`/${variant}`));
  if (found === undefined) {
    throw new UsageError(`--variant ${variant} is not in ${path}; it holds ${names}`);
  }
  return found.record;
}
