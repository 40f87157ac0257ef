import {
  isMoveTaskUnsupported,
  REDRIVE_METHODS,
  type RedriveResult,
  redriveByCopy,
  redriveWithMoveTask,
} from '../aws/operator/dlq-redrive.js';
import {
  locateOptionsOf,
  type OperatorSqsClient,
  QUEUE_CLI_HELP,
  QUEUE_CLI_OPTIONS,
  type QueueCliValues,
  sqsClientFor,
  withDevTarget,
} from '../aws/operator/queue-cli-options.js';
import { locateQueues, type PipelineQueues } from '../aws/operator/queue-locator.js';
import { readQueueDepth } from '../aws/operator/queue-status.js';
import { type CommandSpec, runCommand } from './args.js';
import { EXIT, UsageError } from './exit.js';
import { didYouMean } from './suggest.js';

const HELP = `Usage: augmix dlq redrive [options]

Moves the messages of the pipeline's dead-letter queue back to its work queue, after the cause of the failures
is fixed; the workers then process them again (re-processing is idempotent).

  --method auto|move-task|copy
                        move-task: SQS's StartMessageMoveTask (what the console's "DLQ redrive" does);
                        copy: receive → send → delete, 10 at a time (any SQS-API server; honours --max);
                        auto (default): move-task, or copy with --max or when the server lacks move tasks
  --max N               move at most N messages (uses copy)
  --dry-run             print what would be moved and change nothing
  --no-wait             move-task: return once the task started instead of waiting for it to finish
  -h, --help            this help

${QUEUE_CLI_HELP}

Exit status: 0 when everything asked for was moved, 1 when some messages could not be moved.`;

const OPTIONS = {
  ...QUEUE_CLI_OPTIONS,
  method: { type: 'string' },
  max: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'no-wait': { type: 'boolean' },
} as const;

type Method = 'auto' | (typeof REDRIVE_METHODS)[number];

const SPEC: CommandSpec = { name: 'dlq', help: HELP, options: OPTIONS, positionals: ['action'] };

/** The values of {@link OPTIONS}. */
type DlqValues = QueueCliValues & {
  readonly method?: string;
  readonly max?: string;
  readonly 'dry-run'?: boolean;
  readonly 'no-wait'?: boolean;
};

export async function main(argv: string[]): Promise<number> {
  return runCommand(argv, SPEC, async ({ values, positionals }) => {
    const [action] = positionals;
    if (action !== 'redrive') {
      throw new UsageError(
        `expected the action "redrive" but received ${JSON.stringify(action)}${didYouMean(action ?? '', ['redrive'])}`,
      );
    }
    const options = values as DlqValues;
    const method = methodOf(options.method);
    const max = maxOf(options.max);
    if (method === 'move-task' && max !== undefined) {
      throw new UsageError('--max needs --method copy (a move task cannot stop after N messages)');
    }
    return redrive(options, method, max);
  });
}

async function redrive(given: DlqValues, method: Method, max: number | undefined): Promise<number> {
  const values = withDevTarget(given);
  const queues = await locateQueues(locateOptionsOf(values));
  const sqs = sqsClientFor(values, queues);
  const depth = await readQueueDepth(sqs, queues.deadLetterQueueUrl);
  const limit = max === undefined ? '' : ` (at most ${max})`;
  console.log(
    `Dead-letter queue ${queues.deadLetterQueueUrl}: ${depth.waiting} message(s) waiting, ${depth.inFlight} in flight.`,
  );
  console.log(`Work queue ${queues.queueUrl}.`);
  if (values['dry-run']) {
    const count = Math.min(depth.waiting, max ?? depth.waiting);
    console.log(`Dry run: would move ${count} message(s)${limit} to the work queue; nothing moved.`);
    return EXIT.ok;
  }
  if (depth.waiting === 0) {
    console.log('Nothing to redrive.');
    return EXIT.ok;
  }
  let result: RedriveResult;
  if (method === 'copy' || (method === 'auto' && max !== undefined)) {
    result = await copy(queues, sqs, max);
  } else {
    try {
      result = await redriveWithMoveTask(sqs, queues, { wait: !values['no-wait'] });
    } catch (error) {
      if (method !== 'auto' || !isMoveTaskUnsupported(error)) throw error;
      console.log('The server does not support StartMessageMoveTask; copying instead.');
      result = await copy(queues, sqs, max);
    }
  }
  return report(result, values['no-wait'] === true);
}

function copy(
  queues: PipelineQueues,
  sqs: OperatorSqsClient,
  max: number | undefined,
): Promise<RedriveResult> {
  return redriveByCopy(sqs, queues, {
    ...(max === undefined ? {} : { max }),
    onProgress: (moved, failed) => {
      if (process.stderr.isTTY) process.stderr.write(`\rmoved ${moved}, failed ${failed}`);
    },
  });
}

function report(result: RedriveResult, noWait: boolean): number {
  if (process.stderr.isTTY && result.method === 'copy') process.stderr.write('\n');
  if (result.method === 'move-task') {
    const reason = result.failureReason === undefined ? '' : ` (${result.failureReason})`;
    if (noWait && result.taskStatus === 'RUNNING') {
      console.log(
        `Move task started (StartMessageMoveTask); ${result.moved} moved so far. Follow it with \`augmix status\`.`,
      );
      return EXIT.ok;
    }
    console.log(
      `Move task ${result.taskStatus}${reason}: moved ${result.moved} message(s) to the work queue.`,
    );
    return result.taskStatus === 'COMPLETED' ? EXIT.ok : EXIT.someFailed;
  }
  const left = result.failed === 0 ? '' : `; ${result.failed} could not be moved and stay in the DLQ`;
  console.log(`Moved ${result.moved} message(s) to the work queue (receive → send → delete)${left}.`);
  return result.failed === 0 ? EXIT.ok : EXIT.someFailed;
}

function methodOf(raw: string | undefined): Method {
  const value = raw ?? 'auto';
  if (value === 'auto' || (REDRIVE_METHODS as readonly string[]).includes(value)) return value as Method;
  throw new UsageError(`expected --method to be auto, move-task or copy but received ${JSON.stringify(raw)}`);
}

function maxOf(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`expected --max to be an integer >= 1 but received ${JSON.stringify(raw)}`);
  }
  return value;
}
