import { backfill, DEFAULT_BACKFILL_SUFFIXES } from '../aws/operator/backfill.js';
import { s3Client, sqsClient } from '../aws/operator/queue-cli-options.js';
import {
  DEFAULT_STACK_NAME,
  regionOfQueueUrl,
  STACK_OUTPUT_KEYS,
  stackOutput,
} from '../aws/operator/queue-locator.js';
import { type CommandSpec, runCommand } from './args.js';
import { EXIT, UsageError } from './exit.js';

const HELP = `Usage: augmix backfill enqueue [--bucket NAME] [--prefix PREFIX] [options]

Augments images that were in the input bucket before the pipeline was deployed through the event path: lists the
objects under a prefix and sends the work queue one S3-notification-shaped message per image, so the deployed
workers process them exactly as if they had just been uploaded (same names and bytes, one object per variant;
already augmented images are rewritten identically). Keys must be under the stack's input prefix to be processed.
Prefer \`augmix backfill start\` (the state machine) for whole datasets; enqueue suits a few thousand images, or
a stack deployed with backfillEnabled=false.

  --bucket NAME         the bucket to list (default: the stack's InputBucketName output)
  --prefix PREFIX       only keys under this prefix (default: the whole bucket)
  --suffix .EXT         enqueue keys ending so (case-insensitive; repeatable;
                        default ${DEFAULT_BACKFILL_SUFFIXES.join(' ')})
  --all                 enqueue every object, whatever its suffix
  --dry-run             list and count only; send nothing
  --stack NAME          the deployed stack (default ${DEFAULT_STACK_NAME}): QueueUrl and InputBucketName
  --queue-url URL       the work queue (instead of the stack's QueueUrl)
  --region REGION       AWS region (default: AWS_REGION or the profile's region)
  --profile NAME        named profile from ~/.aws/config
  --endpoint-url URL    an SQS-API endpoint instead of AWS (a local server)
  --s3-endpoint-url URL an S3-API endpoint instead of AWS (path-style addressing)
  -h, --help            this help

Exit status: 0 when every message was sent, 1 when SQS refused some.`;

const OPTIONS = {
  bucket: { type: 'string' },
  prefix: { type: 'string' },
  suffix: { type: 'string', multiple: true },
  all: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  stack: { type: 'string' },
  'queue-url': { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  'endpoint-url': { type: 'string' },
  's3-endpoint-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const SPEC: CommandSpec = { name: 'backfill enqueue', help: HELP, options: OPTIONS, positionals: [] };

/** The values of {@link OPTIONS}. */
interface BackfillValues {
  readonly bucket?: string;
  readonly prefix?: string;
  readonly suffix?: string[];
  readonly all?: boolean;
  readonly 'dry-run'?: boolean;
  readonly stack?: string;
  readonly 'queue-url'?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly 'endpoint-url'?: string;
  readonly 's3-endpoint-url'?: string;
}

export async function main(argv: string[]): Promise<number> {
  return runCommand(argv, SPEC, async ({ values }) => {
    const options = values as BackfillValues;
    if (options.all && options.suffix !== undefined)
      throw new UsageError('--all and --suffix exclude each other');
    for (const suffix of options.suffix ?? []) {
      if (suffix === '')
        throw new UsageError('expected --suffix to be a non-empty key ending but received ""');
    }
    return run(options);
  });
}

async function run(values: BackfillValues): Promise<number> {
  const target = { stack: values.stack, region: values.region, profile: values.profile };
  const queueUrl = values['queue-url'] ?? (await stackOutput(STACK_OUTPUT_KEYS.queueUrl, target));
  const bucket = values.bucket ?? (await stackOutput('InputBucketName', target));
  const prefix = values.prefix ?? '';
  const s3 = s3Client({
    region: values.region,
    profile: values.profile,
    endpointUrl: values['s3-endpoint-url'],
  });
  const region = values.region ?? regionOfQueueUrl(queueUrl);
  const sqs = sqsClient({ region, profile: values.profile, endpointUrl: values['endpoint-url'] });
  const dryRun = values['dry-run'] === true;
  console.log(`${dryRun ? 'Dry run: listing' : 'Backfilling'} s3://${bucket}/${prefix} → ${queueUrl}`);
  const counts = await backfill(s3, sqs, {
    bucket,
    prefix,
    queueUrl,
    dryRun,
    suffixes: values.all ? [] : (values.suffix ?? DEFAULT_BACKFILL_SUFFIXES),
    region: region ?? (await sqs.config.region().catch(() => 'us-east-1')),
    onProgress: (progress) => {
      if (process.stderr.isTTY) {
        process.stderr.write(
          `\rlisted ${progress.listed}, enqueued ${progress.enqueued}, skipped ${progress.skipped}`,
        );
      }
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  const verb = dryRun ? 'would enqueue' : 'enqueued';
  const failed = counts.failed === 0 ? '' : `, ${counts.failed} refused by SQS`;
  console.log(
    `Listed ${counts.listed} object(s): ${verb} ${counts.enqueued}, skipped ${counts.skipped} (folders or other suffixes)${failed}.`,
  );
  if (!dryRun && counts.enqueued > 0) console.log('Follow the progress with `augmix status`.');
  return counts.failed === 0 ? EXIT.ok : EXIT.someFailed;
}
