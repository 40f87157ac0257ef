import { readFile } from 'node:fs/promises';
import { s3DatasetStats } from '../aws/operator/dataset-listing.js';
import { s3Client } from '../aws/operator/queue-cli-options.js';
import {
  benchMsPerVariant,
  CPU_MODEL_SOURCE,
  DEFAULT_ARM64_FACTOR,
  serialFraction,
  twoWorkerSpeedup,
} from '../estimate/cpu-model.js';
import { type DatasetStats, folderDatasetStats } from '../estimate/dataset-stats.js';
import {
  batchMemoryFloorMb,
  cheapestMemory,
  type EstimateInput,
  estimate,
  MB_PER_VCPU,
  MODEL_ASSUMPTIONS,
  type PathEstimate,
} from '../estimate/estimate.js';
import { measureSample } from '../estimate/measure.js';
import { DEFAULT_PRICES, type Prices, withPriceOverrides } from '../estimate/prices.js';
import { count, duration, formatTable } from '../estimate/report.js';
import { resolveSettings } from '../pipeline/settings.js';
import { isS3Url, parseS3Url } from '../run/s3-location.js';
import {
  asUsage,
  integerOption,
  numberOption,
  type OptionValues,
  parseOptions,
  reportError,
} from './args.js';
import { EXIT, UsageError } from './exit.js';
import { SETTINGS_OPTIONS, settingsFromValues } from './settings-options.js';

/** Defaults of the backfill stack settings the estimate mirrors (lib/backfill-settings.ts). */
const STACK_DEFAULTS = { concurrency: 100, itemsPerBatch: 1000, memoryMb: 1769 } as const;

/** Bytes per pixel of an output image when the estimate has to guess sizes from pixels (assumption). */
const BYTES_PER_PIXEL: Record<string, number> = { jpeg: 0.6, webp: 0.45, avif: 0.3, png: 2 };

const HELP = `Usage: augmix estimate [<s3://bucket/prefix/ | folder>] [options]
       augmix estimate --images N --mean-bytes B [--mean-pixels P] [options]

Estimates what augmenting a dataset costs and how long it takes on AWS, for the backfill state machine with
WebDataset shards, the state machine with one object per variant, and the queue (augmix backfill enqueue):
Lambda GB-seconds, S3 GET/PUT/LIST requests, Step Functions transitions, SQS requests, logs, dollars per run
and per TB, and wall time at the given concurrency and at 1,000. Every assumption is printed.

Input (one of):
  s3://bucket/prefix/     list it with the AWS SDK (count and sizes of image keys)
  folder                  walk a local folder
  --images N --mean-bytes B [--mean-pixels P]   describe it (P defaults from B at 0.6 bytes/pixel)

Options:
  --variants K            variants per image (default 4); --jsd: JSD mode (2K + 1 outputs)
  --format F              output format (default same: outputs as large as the inputs)
  --layout L              shards | objects | all: which columns to print (default all)
  --concurrency C         batch workers at once (default ${STACK_DEFAULTS.concurrency}, the stack's backfillMaxConcurrency)
  --items-per-batch N     images per batch / shard (default ${STACK_DEFAULTS.itemsPerBatch})
  --memory MB             batch worker memory (default ${STACK_DEFAULTS.memoryMb})
  --cpu-ms MS             CPU ms per image on one Lambda vCPU (default: the bench model below)
  --cpu-factor F          Lambda arm64 vCPU vs the bench machine's core (default ${DEFAULT_ARM64_FACTOR}, an assumption)
  --io-ms MS              not-overlapped I/O per image (default ${MODEL_ASSUMPTIONS.ioMsPerImage})
  --measure N             time processImage on N of the input's images here (replaces the model)
  --prices FILE           JSON object overriding unit prices (keys as printed with --json)
  --json                  print the estimate as JSON
  --region, --profile, --s3-endpoint-url   for listing an s3:// input
  -h, --help              this help

Exit status: 0, or 2 on a usage error, 3 when the input cannot be listed.`;

const OPTIONS = {
  ...SETTINGS_OPTIONS,
  images: { type: 'string' },
  'mean-bytes': { type: 'string' },
  'mean-pixels': { type: 'string' },
  layout: { type: 'string' },
  concurrency: { type: 'string' },
  'items-per-batch': { type: 'string' },
  memory: { type: 'string' },
  'cpu-ms': { type: 'string' },
  'cpu-factor': { type: 'string' },
  'io-ms': { type: 'string' },
  measure: { type: 'string' },
  prices: { type: 'string' },
  json: { type: 'boolean' },
  region: { type: 'string' },
  profile: { type: 'string' },
  's3-endpoint-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = OptionValues & { readonly [name: string]: string | boolean | undefined };

function parse(argv: string[]) {
  const { values, positionals } = parseOptions(argv, OPTIONS);
  return { values: values as Values, positionals };
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parse(argv);
    if (values.help) {
      console.log(HELP);
      return EXIT.ok;
    }
    const plan = checkArguments(values, positionals);
    return await run(values, plan);
  } catch (error) {
    return reportError('estimate', error);
  }
}

interface Plan {
  readonly source: string | undefined;
  readonly positive: Record<string, number | undefined>;
}

function checkArguments(values: Values, positionals: readonly string[]): Plan {
  if (positionals.length > 1)
    throw new UsageError(`expected at most one input but received ${positionals.length}`);
  const source = positionals[0];
  const described = values.images !== undefined || values['mean-bytes'] !== undefined;
  if (source !== undefined && described) {
    throw new UsageError('give either an input (s3:// prefix or folder) or --images/--mean-bytes, not both');
  }
  if (source === undefined && (values.images === undefined || values['mean-bytes'] === undefined)) {
    throw new UsageError(
      'expected an input (s3://bucket/prefix/ or a folder) or both --images N and --mean-bytes B',
    );
  }
  if (values.layout !== undefined && !['shards', 'objects', 'all'].includes(String(values.layout))) {
    throw new UsageError(`--layout expects shards, objects or all, got ${JSON.stringify(values.layout)}`);
  }
  const positive: Record<string, number | undefined> = {
    images: integerOption('images', values.images),
    'mean-bytes': numberOption('mean-bytes', values['mean-bytes']),
    'mean-pixels': numberOption('mean-pixels', values['mean-pixels']),
    concurrency: integerOption('concurrency', values.concurrency),
    'items-per-batch': integerOption('items-per-batch', values['items-per-batch']),
    memory: integerOption('memory', values.memory),
    'cpu-ms': numberOption('cpu-ms', values['cpu-ms']),
    'cpu-factor': numberOption('cpu-factor', values['cpu-factor']),
    measure: integerOption('measure', values.measure),
  };
  for (const [name, value] of Object.entries(positive)) {
    if (value !== undefined && !(value > 0))
      throw new UsageError(`--${name} expects a number above 0, got ${value}`);
  }
  const memory = positive.memory;
  if (memory !== undefined && (memory < 128 || memory > 10240)) {
    throw new UsageError(`--memory expects MB in 128..10240, got ${memory}`);
  }
  const io = numberOption('io-ms', values['io-ms']);
  if (io !== undefined && io < 0) throw new UsageError(`--io-ms expects a number >= 0, got ${io}`);
  if (positive.measure !== undefined && source === undefined) {
    throw new UsageError('--measure needs an input (s3:// prefix or folder) to take its sample from');
  }
  return { source, positive };
}

async function run(values: Values, plan: Plan): Promise<number> {
  const settings = asUsage(() => resolveSettings(settingsFromValues(values)));
  const prices = await loadPrices(str(values.prices));
  const { positive } = plan;
  const sampleSize = positive.measure ?? 0;
  const assumptions: string[] = [];

  let stats: DatasetStats | undefined;
  if (plan.source !== undefined) {
    stats = isS3Url(plan.source)
      ? await listS3(plan.source, values, sampleSize)
      : await folderDatasetStats(plan.source, sampleSize);
    if (stats.images === 0) throw new Error(`${stats.source}: no images found`);
  }
  const images = stats?.images ?? positive.images!;
  const meanBytes = stats === undefined ? positive['mean-bytes']! : stats.totalBytes / stats.images;
  const outputsPerImage = settings.jsd ? 2 * settings.variants + 1 : settings.variants;
  // Per-object output, as the event path writes it: each output, the input's provenance document, and one
  // DeleteObjects (a POST, billed with PUTs) for the names the key no longer has.
  const objectPutsPerImage = outputsPerImage + 2;

  let meanPixels = positive['mean-pixels'] ?? meanBytes / BYTES_PER_PIXEL.jpeg!;
  if (positive['mean-pixels'] === undefined && positive.measure === undefined) {
    assumptions.push(`mean pixels ${count(meanPixels)} = mean bytes / 0.6 bytes per pixel (a JPEG figure)`);
  }
  let meanOutputBytes =
    settings.format === 'same' ? meanBytes : meanPixels * (BYTES_PER_PIXEL[settings.format] ?? 1);
  const cpuFactor = positive['cpu-factor'] ?? DEFAULT_ARM64_FACTOR;
  let cpuMsPerImage: number;
  let cpuSource: string;
  if (positive.measure !== undefined && stats !== undefined) {
    const measured = await measureSample(stats.sample, settings);
    if (measured.images === 0)
      throw new Error(`${stats.source}: none of the ${stats.sample.length} sample images could be processed`);
    meanPixels = measured.meanPixels;
    meanOutputBytes = measured.meanOutputBytes;
    cpuMsPerImage = measured.msPerImage * cpuFactor;
    cpuSource =
      `measured here: processImage on ${measured.images} of the input's images, one at a time on one core: ` +
      `${measured.msPerImage.toFixed(1)} ms per image (${count(measured.meanPixels)} px, outputs ${count(measured.meanOutputBytes)} B)` +
      (measured.failed > 0 ? `; ${measured.failed} sample image(s) failed and were skipped` : '');
  } else if (positive['cpu-ms'] !== undefined) {
    cpuMsPerImage = positive['cpu-ms'];
    cpuSource = `given: --cpu-ms ${cpuMsPerImage}`;
  } else {
    const benchMs = benchMsPerVariant(meanPixels) * outputsPerImage;
    cpuMsPerImage = benchMs * cpuFactor;
    cpuSource = `model: ${CPU_MODEL_SOURCE}: ${benchMs.toFixed(1)} ms per image of ${count(meanPixels)} px`;
  }
  if (positive['cpu-ms'] === undefined) {
    assumptions.push(
      `CPU per image on one Lambda arm64 vCPU: ${cpuMsPerImage.toFixed(1)} ms = ${cpuFactor} x (${cpuSource})`,
    );
  } else {
    assumptions.push(`CPU per image on one Lambda arm64 vCPU: ${cpuSource}`);
  }
  if (settings.format === 'same' && positive.measure === undefined) {
    assumptions.push('each output image is as large as its input (same format and size)');
  }
  const s = serialFraction(twoWorkerSpeedup(meanPixels));
  const itemsPerBatch = positive['items-per-batch'] ?? STACK_DEFAULTS.itemsPerBatch;
  const memoryMb = positive.memory ?? STACK_DEFAULTS.memoryMb;
  const concurrency = positive.concurrency ?? STACK_DEFAULTS.concurrency;
  const ioMs = numberOption('io-ms', values['io-ms']) ?? MODEL_ASSUMPTIONS.ioMsPerImage;
  const input: EstimateInput = {
    images,
    meanBytes,
    meanPixels,
    outputsPerImage,
    objectPutsPerImage,
    meanOutputBytes,
    cpuMsPerImage,
    serialFraction: s,
    concurrency,
    itemsPerBatch,
    memoryMb,
    prices,
    assumptions: { ioMsPerImage: ioMs },
  };
  const all = estimate(input);
  const layout = values.layout ?? 'all';
  const shown = all.filter(
    (e) => layout === 'all' || (layout === 'shards' ? e.path === 'shards' : e.path !== 'shards'),
  );
  const floorMb = batchMemoryFloorMb(itemsPerBatch, outputsPerImage, meanOutputBytes);
  const cheapest = cheapestMemory({ cpuMsPerImage, serialFraction: s, ioMsPerImage: ioMs, floorMb });

  if (values.json) {
    console.log(
      JSON.stringify(
        {
          input: { ...input, source: stats?.source ?? null },
          estimates: shown,
          cheapestMemory: { ...cheapest, floorMb },
          prices,
          assumptions: { ...MODEL_ASSUMPTIONS, ioMsPerImage: ioMs, cpuFactor, notes: assumptions },
        },
        null,
        2,
      ),
    );
    return EXIT.ok;
  }
  console.log(
    `${stats?.source ?? 'described dataset'}: ${count(images)} images, ${((images * meanBytes) / 1e12).toFixed(3)} TB, ` +
      `mean ${count(meanBytes)} B; K = ${settings.variants}${settings.jsd ? ' (JSD)' : ''}, ${outputsPerImage} outputs per image`,
  );
  console.log('');
  console.log(formatTable(shown, concurrency));
  console.log('');
  printComparisons(all, concurrency);
  console.log(
    `Cheapest batch-worker memory per image: ${count(cheapest.memoryMb)} MB (${(cheapest.gbSecondsPerImage * 1000).toFixed(2)} GB-ms per image); ` +
      `the estimate uses ${count(memoryMb)} MB.`,
  );
  console.log('');
  console.log('Assumptions:');
  const a = MODEL_ASSUMPTIONS;
  for (const line of [
    ...assumptions,
    `prices: ${prices.region}, ${prices.date} list prices without free tier (docs/backfill-cost.md; --prices FILE overrides)`,
    `Lambda: arm64, ${count(memoryMb)} MB = ${(memoryMb / MB_PER_VCPU).toFixed(2)} vCPU (1 vCPU per ${MB_PER_VCPU} MB); ` +
      `above 1 vCPU speed-up by Amdahl with serial fraction ${s.toFixed(2)} (from the bench's 2-worker speed-up)`,
    `I/O not hidden behind computation: ${ioMs} ms per image; per invocation ${a.invocationOverheadSeconds} s; INIT ${a.initSeconds} s per environment`,
    `batch: ${count(itemsPerBatch)} images per child and shard; ${a.putsPerShard} PUTs per shard (.tar and index) + ${a.putsPerRun} per run; ` +
      `the finalize step GETs each shard index`,
    `Step Functions: ${a.transitionsPerChild} transitions per child + ${a.transitionsPerRun} per run; Standard children; X-Ray traces: one per execution`,
    `objects: ${objectPutsPerImage} PUT-class requests per image (each output, the provenance document, one DeleteObjects), as the event path writes; LIST: ${a.keysPerListPage} keys per page`,
    `logs: ${a.logBytesPerImage} B per image, ${a.logBytesPerInvocation} B per invocation, ${a.logBytesPerChild} B per child execution`,
    `wall time: waves of children of equal length + Lambda's ramp (1,000 environments per ${a.rampSecondsPer1000} s); ` +
      'listing overlaps processing; no S3 throttling',
    `queue: batches of ${a.queueBatchSize}, event worker ${a.queueMemoryMb} MB, SQS scale-up ${a.sqsRampPerMinute}/min, ` +
      'the enqueue keeps ahead of the workers',
    `the account's Lambda concurrency allows the concurrency asked (1,000 per Region by default; less on new accounts)`,
  ]) {
    console.log(`  - ${line}`);
  }
  return EXIT.ok;
}

function printComparisons(all: readonly PathEstimate[], concurrency: number): void {
  const shards = all.find((e) => e.path === 'shards')!;
  const objects = all.find((e) => e.path === 'objects')!;
  console.log(
    `PUT requests: objects / shards = ${count(objects.s3Put / shards.s3Put)}x fewer with shards; ` +
      `objects need ${count(objects.putsPerSecond)} PUT/s = ${Math.ceil(objects.putsPerSecond / MODEL_ASSUMPTIONS.putsPerSecondPerPrefix)} ` +
      `partitioned prefixes at ${count(MODEL_ASSUMPTIONS.putsPerSecondPerPrefix)} PUT/s each.`,
  );
  if (concurrency !== 1000) {
    console.log(
      `1,000-way concurrency would finish the shards in ${duration(shards.wallSecondsAt1000)} instead of ` +
        `${duration(shards.wallSeconds)}, at about the same cost (needs that much Lambda concurrency in the account).`,
    );
  }
}

async function loadPrices(file: string | undefined): Promise<Prices> {
  if (file === undefined) return DEFAULT_PRICES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--prices ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return asUsage(() => withPriceOverrides(parsed, `--prices ${file}`));
}

async function listS3(url: string, values: Values, sampleSize: number): Promise<DatasetStats> {
  const location = asUsage(() => {
    try {
      return parseS3Url(url);
    } catch (error) {
      throw new RangeError(error instanceof Error ? error.message : String(error));
    }
  });
  const s3 = s3Client({
    region: str(values.region),
    profile: str(values.profile),
    endpointUrl: str(values['s3-endpoint-url']),
  });
  return s3DatasetStats(s3, location.bucket, location.prefix, sampleSize);
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
