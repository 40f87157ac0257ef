import { setTimeout as sleep } from 'node:timers/promises';
import {
  locateOptionsOf,
  QUEUE_CLI_HELP,
  QUEUE_CLI_OPTIONS,
  type QueueCliValues,
  sqsClientFor,
  withDevTarget,
} from '../aws/operator/queue-cli-options.js';
import { locateQueues } from '../aws/operator/queue-locator.js';
import {
  formatPipelineStatus,
  type PipelineStatus,
  readPipelineStatus,
} from '../aws/operator/queue-status.js';
import { type CommandSpec, runCommand } from './args.js';
import { EXIT, UsageError } from './exit.js';

const HELP = `Usage: augmix status [options]

Shows the deployed pipeline's work queue backlog (messages waiting), the messages in flight (being processed
by workers), delayed messages and the dead-letter queue depth. On a terminal it refreshes until Ctrl-C;
otherwise it prints once.

  --watch               refresh until interrupted (the default on a terminal)
  --once                print once and exit (the default when stdout is not a terminal)
  --interval SECONDS    refresh period of --watch (default 5)
  --json                JSON output: one object per reading
  -h, --help            this help

${QUEUE_CLI_HELP}

Counts are SQS's approximate attributes; they lag the queues by up to a minute.`;

const OPTIONS = {
  ...QUEUE_CLI_OPTIONS,
  watch: { type: 'boolean' },
  once: { type: 'boolean' },
  interval: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Default refresh period of `--watch`, in seconds. */
export const DEFAULT_INTERVAL_SECONDS = 5;

const SPEC: CommandSpec = { name: 'status', help: HELP, options: OPTIONS, positionals: [] };

/** The values of {@link OPTIONS}. */
type StatusValues = QueueCliValues & {
  readonly watch?: boolean;
  readonly once?: boolean;
  readonly interval?: string;
  readonly json?: boolean;
};

export async function main(argv: string[]): Promise<number> {
  return runCommand(argv, SPEC, async ({ values }) => {
    const options = values as StatusValues;
    if (options.watch && options.once) throw new UsageError('--watch and --once exclude each other');
    const interval = intervalOf(options.interval);
    const watch = options.watch ?? (!options.once && process.stdout.isTTY === true && !options.json);
    return showStatus(options, watch, interval);
  });
}

async function showStatus(given: StatusValues, watch: boolean, interval: number): Promise<number> {
  const values = withDevTarget(given);
  const queues = await locateQueues(locateOptionsOf(values));
  const sqs = sqsClientFor(values, queues);
  const render = (status: PipelineStatus): string =>
    values.json
      ? JSON.stringify({ ...status, source: queues.source })
      : formatPipelineStatus(status, queues.source);

  const first = await readPipelineStatus(sqs, queues);
  if (!watch) {
    console.log(render(first));
    return EXIT.ok;
  }

  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const redraw = process.stdout.isTTY === true && !values.json;
  try {
    let text = render(first);
    while (!stop.signal.aborted) {
      if (redraw) {
        process.stdout.write(`\x1b[H\x1b[2J${text}\n\nRefreshing every ${interval} s; Ctrl-C to stop.\n`);
      } else {
        process.stdout.write(`${text}\n${values.json ? '' : '\n'}`);
      }
      try {
        await sleep(interval * 1000, undefined, { signal: stop.signal });
      } catch {
        break;
      }
      text = await readPipelineStatus(sqs, queues).then(render, (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        return values.json
          ? JSON.stringify({ time: new Date().toISOString(), error: message })
          : `error: ${message}`;
      });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return EXIT.ok;
}

function intervalOf(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_INTERVAL_SECONDS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(
      `expected --interval to be a number of seconds > 0 but received ${JSON.stringify(raw)}`,
    );
  }
  return seconds;
}
