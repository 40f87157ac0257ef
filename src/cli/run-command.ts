import { availableParallelism } from 'node:os';
import { resolveSettings } from '../pipeline/settings.js';
import type { PipelineSettings } from '../pipeline/types.js';
import { removeLiveTempFiles } from '../run/atomic-write.js';
import { ManifestError } from '../run/manifest-lines.js';
import { SettingsMismatchError } from '../run/output-folder.js';
import { createProgressReporter, type ProgressMode } from '../run/progress.js';
import { neededPoolSize, relaunch, shouldRelaunch, watchParent } from '../run/relaunch.js';
import { RunFatalError, RunUsageError, runDataset, TASKS_PER_WORKER } from '../run/run-dataset.js';
import { OutputBusyError } from '../run/run-lock.js';
import { helpLine, SETTINGS_OPTIONS, settingsFromValues, settingsHelp } from '../run/settings-options.js';
import { formatSummary, type RunSummary } from '../run/summary.js';
import { toolVersion } from '../run/tool-version.js';
import { DEFAULT_IMAGE_EXTENSIONS } from '../run/walk.js';
import { asUsage, type CommandSpec, integerOption, type ParsedArgs, runCommand } from './args.js';
import { EXIT, UsageError } from './commands.js';

/** Exit code after Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

const USAGE = `Usage: augmix run <input-dir> <output-dir> [options]

Writes AugMix variants of every image under <input-dir> (recursively) into <output-dir>, mirroring its folders:
<key>.augmix-00.<ext> with its provenance record <key>.augmix-00.json, ... (JSD mode: <key>.clean.<ext> and pairs
<key>.jsd-00a/-00b). <output-dir>/manifest.jsonl lists every output and every failed input.

Options:
${settingsHelp().join('\n')}
${helpLine('--concurrency N', 'worker threads', `all cores: ${availableParallelism()}`)}
${helpLine('--ext LIST', 'image extensions, comma-separated', DEFAULT_IMAGE_EXTENSIONS.join(','))}
${helpLine('--force', 'start over when <output-dir> was made with other settings')}
${helpLine('--quiet', 'no progress and no summary (failed inputs are still reported)')}
${helpLine('--json', 'print a machine-readable summary on stdout')}
${helpLine('-h, --help', 'show this help')}

Input: files with an image extension (case-insensitive); other files are counted as ignored. Names starting
with "." are skipped, symbolic links are not followed. An output folder inside the input folder is left out.
Resume: rerunning the same command skips images whose outputs are all in the manifest and tries failed ones
again; a folder made with other settings is refused (exit 2) unless --force, which starts it over.
Exit status: 0 all images done, 1 some images failed (or a folder could not be read), 2 usage error, 3 the
run cannot go on (output not writable, disk full), 130 interrupted (Ctrl-C finishes the images in flight and
keeps the manifest whole; press again to stop at once).`;

const SPEC: CommandSpec = {
  name: 'run',
  help: USAGE,
  options: {
    ...SETTINGS_OPTIONS,
    concurrency: { type: 'string' },
    ext: { type: 'string' },
    force: { type: 'boolean' },
    quiet: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  positionals: ['input-dir', 'output-dir'],
};

/** Parsed `augmix run` arguments. */
interface RunArguments {
  readonly inputDir: string;
  readonly outputDir: string;
  readonly settings: PipelineSettings;
  readonly concurrency: number;
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
    const needed = neededPoolSize(args.concurrency * TASKS_PER_WORKER);
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
    const summary = await runDataset({
      inputDir: args.inputDir,
      outputDir: args.outputDir,
      settings: args.settings,
      concurrency: args.concurrency,
      extensions: args.extensions,
      force: args.force,
      tool: toolVersion(),
      signal: controller.signal,
      observer: { progress: (state) => reporter.update(state), message: (line) => reporter.message(line) },
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
  console.error(`augmix run: ${error instanceof Error ? (error.stack ?? message) : message}`);
  return EXIT.fatal;
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
  return {
    inputDir: positionals[0]!,
    outputDir: positionals[1]!,
    settings: asUsage(() => resolveSettings(settingsFromValues(values))),
    concurrency,
    extensions,
    force: values.force === true,
    quiet: values.quiet === true,
    json: values.json === true,
  };
}
