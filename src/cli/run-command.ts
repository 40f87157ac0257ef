import { availableParallelism } from 'node:os';
import type { S3AccessOptions } from '../aws/bucket-run/s3-access.js';
import { resolveSettings } from '../pipeline/settings.js';
import type { PipelineSettings } from '../pipeline/types.js';
import { removeLiveTempFiles } from '../run/atomic-write.js';
import { ManifestError } from '../run/manifest-lines.js';
import { SettingsMismatchError } from '../run/output-folder.js';
import { createProgressReporter, type ProgressMode } from '../run/progress.js';
import { RunFatalError, RunUsageError, runDataset } from '../run/run-dataset.js';
import { OutputBusyError } from '../run/run-lock.js';
import { MAX_SHARD_SIZE, runShards } from '../run/run-shards.js';
import { tasksPerWorkerFor } from '../run/run-targets.js';
import { isS3Url } from '../run/s3-location.js';
import { formatSummary, type RunSummary } from '../run/summary.js';
import { DEFAULT_IMAGE_EXTENSIONS } from '../run/walk.js';
import { DEFAULT_SHARD_SIZE } from '../shards/shard.js';
import {
  asUsage,
  type CommandSpec,
  choiceOption,
  integerOption,
  type ParsedArgs,
  reportError,
  runCommand,
} from './args.js';
import { EXIT, UsageError } from './exit.js';
import { neededPoolSize, relaunch, shouldRelaunch, watchParent } from './relaunch.js';
import {
  helpLine,
  SETTINGS_ALIASES,
  SETTINGS_OPTIONS,
  settingsFromValues,
  settingsHelp,
} from './settings-options.js';
import { toolVersion } from './tool-version.js';

/** Exit code after Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

const USAGE = `Usage: augmix run <input> <output> [options]
       <input>, <output>: a local folder or s3://bucket/prefix/ (S3, or a local S3-API server with --endpoint-url)

Writes AugMix variants of every image under <input> (recursively) into <output>, mirroring its relative keys:
<key>.augmix-00.<ext> with its provenance record <key>.augmix-00.json, ... (JSD mode: <key>.clean.<ext> and pairs
<key>.jsd-00a/-00b). The manifest lists every output and every failed input: <output>/manifest.jsonl for a
folder, a local file (--manifest) for a bucket.

Options:
${settingsHelp().join('\n')}
${helpLine('--layout L', 'objects (files beside the mirrored keys) | shards (WebDataset .tar shards)', 'objects')}
${helpLine('--shard-size N', `inputs per shard (--layout shards), 1..${MAX_SHARD_SIZE}`, String(DEFAULT_SHARD_SIZE))}
${helpLine('--concurrency N', 'images made at once, one per thread', `all cores: ${availableParallelism()}`)}
${helpLine('--ext LIST', 'image extensions, comma-separated', DEFAULT_IMAGE_EXTENSIONS.join(','))}
${helpLine('--force', 'start over when the output was made with other settings')}
${helpLine('--quiet', 'no progress and no summary (failed inputs are still reported)')}
${helpLine('--json', 'print a machine-readable summary on stdout')}
${helpLine('-h, --help', 'show this help')}

S3 options (for s3:// arguments; credentials from the AWS SDK's chain: AWS_ACCESS_KEY_ID, AWS_PROFILE, SSO ...):
${helpLine('--endpoint-url URL', 'an S3-API server instead of AWS (s3rver, MinIO); implies path style')}
${helpLine('--region R', 'AWS region', 'AWS_REGION, the profile, else us-east-1')}
${helpLine('--profile P', 'named profile of ~/.aws/config')}
${helpLine('--force-path-style', 'bucket in the path, not the host name (also AUGMIX_S3_FORCE_PATH_STYLE=true)')}
${helpLine('--manifest PATH', 'the manifest of an s3:// output', './augmix-<hash>.manifest.jsonl')}

Shards (--layout shards): the backfill's WebDataset layout, made locally. Every listed key (images and other
files, in code-point order, as S3 lists them) is numbered; each run of N keys becomes shard-<first number, 9
digits>.tar with its index shard-<...>.index.json, then manifest.json and wids-index.json: byte-identical to
what the backfill state machine writes for the same batch. A sample's members are <key>.aug0.<ext> ...,
<key>.json (provenance) and <key>.clean.<ext> in JSD mode (pairs: aug0a/aug0b ...), where <key> is the relative
key with "%" and "." in its last segment written %25 and %2E. No resume: a rerun rewrites the same bytes.

Input: files with an image extension (case-insensitive); other files are counted as ignored. Names starting
with "." are skipped, symbolic links are not followed. An output folder inside the input folder is left out.
In a bucket, as for the deployed pipeline: the relative key is the object key minus the input prefix; keys
ending in an image extension are images (names starting with "." too), others are ignored, folder markers
(keys ending in "/") are skipped, and an output prefix inside the input prefix is left out.
Output to a bucket: exactly what the deployed Lambda worker writes (same names and bytes for the same seed,
one K.augmix.json provenance document per input, K.augmix-error.json failure records), through its own
per-object code, objects rewritten in place and other names of the input deleted.
With an endpoint (--endpoint-url, or the SDK's AWS_ENDPOINT_URL_S3): checksums only where required (unless
AWS_REQUEST_CHECKSUM_CALCULATION / AWS_RESPONSE_CHECKSUM_VALIDATION say otherwise), and when no credentials are
found requests go unsigned (s3rver accepts them). An s3rver serving more than 1000 keys under a prefix must itself run with
NODE_OPTIONS=--openssl-legacy-provider (its continuation tokens use DES); augmix does not need it.
Resume: rerunning the same command skips images done from the same content (a file's size and modification
time, an object's size and ETag, as the manifest records them), redoes replaced ones and tries failed ones
again; an output made with other settings is refused (exit 2) unless --force, which starts it over. For a
bucket the manifest is local (by default in the current folder, named by a hash of the endpoint, input and
output): a run from elsewhere, or without it, rewrites every object, identically.
Exit status: 0 all images done, 1 some images failed (or a folder could not be read), 2 usage error, 3 the
run cannot go on (output not writable, disk full), 130 interrupted (Ctrl-C finishes the images in flight and
keeps the manifest whole; press again to stop at once).`;

const SPEC: CommandSpec = {
  name: 'run',
  help: USAGE,
  options: {
    ...SETTINGS_OPTIONS,
    'endpoint-url': { type: 'string' },
    region: { type: 'string' },
    profile: { type: 'string' },
    'force-path-style': { type: 'boolean' },
    manifest: { type: 'string' },
    concurrency: { type: 'string' },
    layout: { type: 'string' },
    'shard-size': { type: 'string' },
    ext: { type: 'string' },
    force: { type: 'boolean' },
    quiet: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  positionals: ['input', 'output'],
  aliases: SETTINGS_ALIASES,
};

/** Parsed `augmix run` arguments. */
interface RunArguments {
  /** A folder or an `s3://` URL. */
  readonly input: string;
  /** A folder or an `s3://` URL. */
  readonly output: string;
  readonly settings: PipelineSettings;
  readonly s3: S3AccessOptions;
  readonly manifest: string | undefined;
  readonly concurrency: number;
  readonly layout: 'objects' | 'shards';
  /** Inputs per shard (`--layout shards`), or `undefined` for the default. */
  readonly shardSize: number | undefined;
  readonly extensions: readonly string[] | undefined;
  readonly force: boolean;
  readonly quiet: boolean;
  readonly json: boolean;
}

export async function main(argv: string[]): Promise<number> {
  return runCommand(argv, SPEC, async (parsed) => {
    const args = runArguments(parsed);
    // sharp's decodes and encodes run on the libuv pool, shared by all worker threads: one thread per image
    // in flight. The pool's size is fixed when it starts, so a larger one needs a new process.
    const needed = neededPoolSize(args.concurrency * tasksPerWorkerFor(args.input, args.output));
    if (shouldRelaunch(process.env, needed)) return relaunch(needed);
    return execute(args);
  });
}

async function execute(args: RunArguments): Promise<number> {
  const controller = new AbortController();
  const mode: ProgressMode = args.quiet ? 'none' : process.stderr.isTTY ? 'bar' : 'lines';
  const reporter = createProgressReporter({ stream: process.stderr, mode });
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts += 1;
    if (interrupts === 1) {
      reporter.message(`augmix run: ${signal}: finishing the images in flight (again to stop at once)`);
      controller.abort();
      return;
    }
    removeLiveTempFiles();
    process.exit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  watchParent(() => onSignal('SIGHUP'));
  try {
    const summary =
      args.layout === 'shards'
        ? await runShards({
            input: args.input,
            output: args.output,
            settings: args.settings,
            s3: args.s3,
            shardSize: args.shardSize,
            concurrency: args.concurrency,
            extensions: args.extensions,
            tool: toolVersion(),
            signal: controller.signal,
            observer: {
              progress: (state) => reporter.update(state),
              message: (line) => reporter.message(line),
            },
          })
        : await runDataset({
            input: args.input,
            output: args.output,
            settings: args.settings,
            s3: args.s3,
            manifest: args.manifest,
            concurrency: args.concurrency,
            extensions: args.extensions,
            force: args.force,
            tool: toolVersion(),
            signal: controller.signal,
            observer: {
              progress: (state) => reporter.update(state),
              message: (line) => reporter.message(line),
            },
          });
    reporter.finish();
    report(summary, args);
    if (summary.interrupted) return EXIT_INTERRUPTED;
    return summary.failed > 0 || summary.problems > 0 ? EXIT.someFailed : EXIT.ok;
  } catch (error) {
    reporter.finish();
    return failure(error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function report(summary: RunSummary, args: RunArguments): void {
  if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (!args.quiet) (args.json ? process.stderr : process.stdout).write(`${formatSummary(summary)}\n`);
}

function failure(error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RunUsageError || error instanceof SettingsMismatchError) {
    console.error(`augmix run: ${message}`);
    return EXIT.usage;
  }
  if (error instanceof RunFatalError || error instanceof OutputBusyError || error instanceof ManifestError) {
    console.error(`augmix run: ${message}`);
    return EXIT.fatal;
  }
  return reportError('run', error);
}

function runArguments({ values, positionals }: ParsedArgs): RunArguments {
  const concurrency = integerOption('concurrency', values.concurrency) ?? availableParallelism();
  if (concurrency < 1 || concurrency > 256) {
    throw new UsageError(`--concurrency must be in 1..256, got ${concurrency}`);
  }
  const ext = values.ext;
  const extensions =
    typeof ext === 'string' ? ext.split(',').map((e) => e.trim().replace(/^\./, '')) : undefined;
  if (extensions?.some((e) => e === '' || /[/\\]/.test(e))) {
    throw new UsageError(
      `--ext expects comma-separated extensions such as jpg,png, got ${JSON.stringify(ext)}`,
    );
  }
  const input = positionals[0]!;
  const output = positionals[1]!;
  const layout = choiceOption('layout', values.layout, ['objects', 'shards'] as const) ?? 'objects';
  const shardSize = integerOption('shard-size', values['shard-size']);
  if (layout !== 'shards') {
    if (shardSize !== undefined) throw new UsageError('--shard-size applies to --layout shards only');
  } else {
    if (shardSize !== undefined && (shardSize < 1 || shardSize > MAX_SHARD_SIZE)) {
      throw new UsageError(`--shard-size must be in 1..${MAX_SHARD_SIZE}, got ${shardSize}`);
    }
    const given = ['manifest', 'force'].filter((name) => values[name] !== undefined);
    if (given.length > 0) {
      throw new UsageError(
        `--${given[0]} applies to --layout objects only (shards are rewritten whole, no resume)`,
      );
    }
  }
  const s3 = s3AccessOf(values);
  if (!isS3Url(input) && !isS3Url(output)) {
    const given = Object.keys(S3_ONLY_OPTIONS).filter((name) => values[name] !== undefined);
    if (given.length > 0) {
      throw new UsageError(`--${given[0]} applies to s3:// inputs and outputs only`);
    }
  }
  return {
    input,
    output,
    settings: asUsage(() => resolveSettings(settingsFromValues(values))),
    s3,
    manifest: typeof values.manifest === 'string' ? values.manifest : undefined,
    concurrency,
    layout,
    shardSize,
    extensions,
    force: values.force === true,
    quiet: values.quiet === true,
    json: values.json === true,
  };
}

/** Options that only mean something with an `s3://` argument. */
const S3_ONLY_OPTIONS = {
  'endpoint-url': true,
  region: true,
  profile: true,
  'force-path-style': true,
  manifest: true,
} as const;

function s3AccessOf(values: ParsedArgs['values']): S3AccessOptions {
  const text = (name: string): string | undefined => {
    const value = values[name];
    if (value === '') throw new UsageError(`--${name} must not be empty`);
    return typeof value === 'string' ? value : undefined;
  };
  const endpointUrl = text('endpoint-url');
  if (endpointUrl !== undefined && !/^https?:\/\/[^/]/i.test(endpointUrl)) {
    throw new UsageError(
      `--endpoint-url expects an http:// or https:// URL such as http://127.0.0.1:4568, got ${JSON.stringify(endpointUrl)}`,
    );
  }
  return {
    endpointUrl,
    region: text('region'),
    profile: text('profile'),
    forcePathStyle: values['force-path-style'] === true,
  };
}
