import { randomBytes } from 'node:crypto';
import {
  BACKFILL_OUTPUT_KEYS,
  type BackfillProgress,
  backfillProgress,
  latestExecution,
  type OperatorSfnClient,
  redriveBackfill,
  sfnClient,
  startBackfill,
} from '../aws/operator/backfill-executions.js';
import { DEFAULT_STACK_NAME, stackOutput } from '../aws/operator/queue-locator.js';
import type { BackfillLayout } from '../backfill/batch-event.js';
import type { BackfillExecutionInput } from '../backfill/execution-input.js';
import { resolveSettings } from '../pipeline/settings.js';
import { parseS3Url } from '../run/s3-location.js';
import { isKeyPrefix } from '../settings/table.js';
import { asUsage, type OptionSpecs, type OptionValues, parseOptions, reportError } from './args.js';
import { formatProgress } from './backfill-progress.js';
import { EXIT, UsageError } from './exit.js';
import { SETTINGS_OPTIONS, settingsFromValues, settingsHelp } from './settings-options.js';
import { didYouMean } from './suggest.js';

const TARGET_HELP = `Finding the state machine (like the AWS CLI):
  --stack NAME          the deployed stack (default ${DEFAULT_STACK_NAME}): its BackfillStateMachineArn output
  --state-machine ARN   the state machine (no stack lookup for it)
  --region REGION       AWS region (default: AWS_REGION or the profile's region)
  --profile NAME        named profile from ~/.aws/config
  --endpoint-url URL    a Step Functions API endpoint instead of AWS (a local server)`;

const HELP = `Usage: augmix backfill <start|status|redrive|enqueue> ...

Augments a dataset already in the input bucket with the stack's backfill state machine (a Step Functions
Distributed Map that hands batches of images to the batch worker):

  augmix backfill start s3://bucket/prefix/ [--layout shards|objects] [AugMix options]
                        start an execution over every object under the prefix; prints its ARN
  augmix backfill status [<execution ARN>] [--json]
                        images done / failed / total with a progress bar and ETA (refreshes on a terminal);
                        default: the state machine's latest execution
  augmix backfill redrive <execution ARN>
                        rerun only the failed batches of a failed, timed-out or aborted execution
  augmix backfill enqueue [--prefix PREFIX] ...
                        the event path instead: one SQS message per image (augmix backfill enqueue --help);
                        \`augmix backfill --prefix …\` (the earlier form) is the same

Options of start:
  --layout L            shards (WebDataset .tar, one per batch; default) | objects (one object per variant)
  --output-prefix P     where this run writes, under the stack's output prefix (default: shards: <stack output
                        prefix>backfill/<name>/; objects: the stack's output prefix, as the event path)
  --name NAME           the execution's name (default backfill-<UTC time>-<random>)
  --inventory-manifest KEY   read the items from this S3 Inventory manifest.json (CSV) in the stack's inventory
                        bucket instead of listing the prefix
${settingsHelp().join('\n')}
  (AugMix options not given take the stack's settings.)

${TARGET_HELP}
  --json                status: print the progress as JSON once
  -h, --help            this help

Exit status: 0; 1 when status finds the execution failed; 2 on a usage error; 3 when AWS refuses.`;

const TARGET_OPTIONS = {
  stack: { type: 'string' },
  'state-machine': { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  'endpoint-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const START_OPTIONS = {
  ...SETTINGS_OPTIONS,
  ...TARGET_OPTIONS,
  layout: { type: 'string' },
  'output-prefix': { type: 'string' },
  name: { type: 'string' },
  'inventory-manifest': { type: 'string' },
} as const;

const STATUS_OPTIONS = {
  ...TARGET_OPTIONS,
  json: { type: 'boolean' },
  interval: { type: 'string' },
} as const;

type Values = OptionValues & { readonly [name: string]: string | boolean | undefined };

/** Execution names: 1..80 letters, digits, '-' and '_'. */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/;

const SUBCOMMANDS = ['start', 'status', 'redrive', 'enqueue'] as const;

export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'enqueue') return (await import('./backfill-enqueue-command.js')).main(rest);
  // The earlier form, `augmix backfill --prefix train/ …`, is the enqueue.
  if (sub?.startsWith('-') && sub !== '-h' && sub !== '--help') {
    return (await import('./backfill-enqueue-command.js')).main(argv);
  }
  try {
    if (sub === undefined || sub === '--help' || sub === '-h') {
      console.log(HELP);
      return sub === undefined ? EXIT.usage : EXIT.ok;
    }
    switch (sub) {
      case 'start':
        return await start(rest);
      case 'status':
        return await status(rest);
      case 'redrive':
        return await redrive(rest);
      default:
        throw new UsageError(
          `expected the action start, status, redrive or enqueue but received ${JSON.stringify(sub)}` +
            didYouMean(sub, SUBCOMMANDS),
        );
    }
  } catch (error) {
    return reportError('backfill', error);
  }
}

function parse(argv: string[], options: OptionSpecs) {
  const { values, positionals } = parseOptions(argv, options);
  return { values: values as Values, positionals };
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function client(values: Values): OperatorSfnClient {
  return sfnClient({
    region: str(values.region),
    profile: str(values.profile),
    endpointUrl: str(values['endpoint-url']),
  });
}

async function stateMachineArn(values: Values): Promise<string> {
  return str(values['state-machine']) ?? (await output(values, BACKFILL_OUTPUT_KEYS.stateMachineArn));
}

function output(values: Values, key: string): Promise<string> {
  return stackOutput(key, {
    stack: str(values.stack),
    region: str(values.region),
    profile: str(values.profile),
  });
}

/** Checks the arguments of `start` and builds the execution input (no AWS call). */
export function startInput(
  values: Values,
  positionals: readonly string[],
  stack: { inputBucket: string; inputPrefix: string; outputPrefix: string },
  name: string,
): BackfillExecutionInput {
  if (positionals.length !== 1) {
    throw new UsageError(
      `start expects one s3://bucket/prefix/ but received ${positionals.length} arguments`,
    );
  }
  const location = asUsage(() => {
    try {
      return parseS3Url(positionals[0]!);
    } catch (error) {
      throw new RangeError(error instanceof Error ? error.message : String(error));
    }
  });
  if (location.bucket !== stack.inputBucket) {
    throw new UsageError(
      `the state machine reads only the stack's input bucket ${JSON.stringify(stack.inputBucket)}, not ${JSON.stringify(location.bucket)}`,
    );
  }
  if (!location.prefix.startsWith(stack.inputPrefix)) {
    throw new UsageError(
      `the prefix ${JSON.stringify(location.prefix)} is not under the stack's input prefix ${JSON.stringify(stack.inputPrefix)}`,
    );
  }
  const layout = (str(values.layout) ?? 'shards') as BackfillLayout;
  if (layout !== 'shards' && layout !== 'objects') {
    throw new UsageError(`--layout expects shards or objects, got ${JSON.stringify(values.layout)}`);
  }
  const outputPrefix =
    str(values['output-prefix']) ??
    (layout === 'shards' ? `${stack.outputPrefix}backfill/${name}/` : stack.outputPrefix);
  if (!isKeyPrefix(outputPrefix) || !outputPrefix.startsWith(stack.outputPrefix)) {
    throw new UsageError(
      `--output-prefix expects a key prefix ending with '/' under the stack's output prefix ${JSON.stringify(stack.outputPrefix)}, got ${JSON.stringify(outputPrefix)}`,
    );
  }
  const settings = settingsFromValues(values);
  asUsage(() => resolveSettings(settings));
  const manifest = str(values['inventory-manifest']);
  return {
    inputPrefix: location.prefix,
    outputPrefix,
    layout,
    settings,
    ...(manifest === undefined ? {} : { inventoryManifestKey: manifest }),
  };
}

/** `backfill-20261203T101500Z-1a2b`. */
export function defaultExecutionName(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `backfill-${stamp}-${randomBytes(2).toString('hex')}`;
}

async function start(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, START_OPTIONS);
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  const name = str(values.name) ?? defaultExecutionName();
  if (!EXECUTION_NAME.test(name)) {
    throw new UsageError(`--name expects 1..80 letters, digits, '-' or '_', got ${JSON.stringify(name)}`);
  }
  // Check what needs no AWS call first, against a permissive stack, so usage errors come before lookups.
  startInput(
    values,
    positionals,
    { inputBucket: parseBucket(positionals), inputPrefix: '', outputPrefix: '' },
    name,
  );
  const stack = {
    inputBucket: await output(values, BACKFILL_OUTPUT_KEYS.inputBucketName),
    inputPrefix: jsonString(await output(values, BACKFILL_OUTPUT_KEYS.inputPrefix)),
    outputPrefix: jsonString(await output(values, BACKFILL_OUTPUT_KEYS.outputPrefix)),
  };
  const input = startInput(values, positionals, stack, name);
  const arn = await startBackfill(client(values), await stateMachineArn(values), input, name);
  console.log(arn);
  console.error(
    `Started: s3://${stack.inputBucket}/${input.inputPrefix} → ${input.layout} under ${input.outputPrefix || '(the output bucket root)'}. ` +
      'Follow it with `augmix backfill status`.',
  );
  return EXIT.ok;
}

/** The prefix outputs are JSON strings (CloudFormation refuses an empty output value). */
function jsonString(text: string): string {
  const value = JSON.parse(text) as unknown;
  if (typeof value !== 'string')
    throw new Error(`expected a JSON string in the stack output but found ${text}`);
  return value;
}

function parseBucket(positionals: readonly string[]): string {
  try {
    return positionals.length === 1 ? parseS3Url(positionals[0]!).bucket : '';
  } catch {
    return '';
  }
}

function checkExecutionArn(arn: string): string {
  if (!EXECUTION_ARN.test(arn)) {
    throw new UsageError(
      `expected an execution ARN (arn:aws:states:<region>:<account>:execution:<state machine>:<name>) but received ${JSON.stringify(arn)}`,
    );
  }
  return arn;
}

async function status(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, STATUS_OPTIONS);
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 1)
    throw new UsageError(`status expects at most one execution ARN, got ${positionals.length}`);
  const interval = str(values.interval) === undefined ? 5 : Number(values.interval);
  if (!(interval >= 1))
    throw new UsageError(`--interval expects seconds >= 1, got ${JSON.stringify(values.interval)}`);
  const given = positionals[0] === undefined ? undefined : checkExecutionArn(positionals[0]);
  const sfn = client(values);
  const arn = given ?? (await latestExecution(sfn, await stateMachineArn(values)));
  if (arn === undefined) {
    console.log('The backfill state machine has no execution yet: start one with `augmix backfill start`.');
    return EXIT.ok;
  }
  const live = process.stdout.isTTY && values.json !== true;
  for (;;) {
    const progress = await backfillProgress(sfn, arn);
    if (values.json) {
      console.log(JSON.stringify(progress, null, 2));
      return exitOf(progress);
    }
    const text = formatProgress(progress);
    if (!live || progress.status !== 'RUNNING') {
      if (live) process.stdout.write('\x1b[2K\r');
      console.log(text);
      return exitOf(progress);
    }
    process.stdout.write(`\x1b[2K\r${text.split('\n').join('  ')}`);
    await new Promise((resolve) => setTimeout(resolve, interval * 1000));
  }
}

function exitOf(progress: BackfillProgress): number {
  return progress.status === 'RUNNING' || progress.status === 'SUCCEEDED' ? EXIT.ok : EXIT.someFailed;
}

async function redrive(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, TARGET_OPTIONS);
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1)
    throw new UsageError(`redrive expects one execution ARN, got ${positionals.length}`);
  const arn = checkExecutionArn(positionals[0]!);
  const date = await redriveBackfill(client(values), arn);
  console.log(
    `Redriven ${arn}${date === undefined ? '' : ` at ${date.toISOString()}`}: only its unsuccessful batches run again.`,
  );
  return EXIT.ok;
}
