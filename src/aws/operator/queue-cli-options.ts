import { readFileSync } from 'node:fs';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { forcePathStyle } from '../worker/worker-config.js';
import {
  DEFAULT_STACK_NAME,
  type LocateQueuesOptions,
  type PipelineQueues,
  regionOfQueueUrl,
} from './queue-locator.js';

/** `parseArgs` options shared by `augmix status` and `augmix dlq`. */
export const QUEUE_CLI_OPTIONS = {
  stack: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  'queue-url': { type: 'string' },
  'dlq-url': { type: 'string' },
  'endpoint-url': { type: 'string' },
  dev: { type: 'boolean' },
  'dev-data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Help text for the shared options. */
export const QUEUE_CLI_HELP = `Finding the queues (like the AWS CLI):
  --stack NAME          the deployed stack whose outputs name the queues (default ${DEFAULT_STACK_NAME})
  --region REGION       AWS region (default: AWS_REGION or the profile's region)
  --profile NAME        named profile from ~/.aws/config (default: AWS_PROFILE or default)
  --queue-url URL       the work queue; with --dlq-url, no stack lookup is made
  --dlq-url URL         the dead-letter queue
  --endpoint-url URL    an SQS-API endpoint to talk to instead of AWS (a local server)
  --dev                 the pipeline \`augmix dev\` runs (reads its data directory's dev.json)
  --dev-data-dir D      ... whose data directory is D (default .augmix-dev)`;

/** Values of the shared options as `parseArgs` returns them. */
export interface QueueCliValues {
  readonly stack?: string | undefined;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  readonly 'queue-url'?: string | undefined;
  readonly 'dlq-url'?: string | undefined;
  readonly 'endpoint-url'?: string | undefined;
  readonly dev?: boolean | undefined;
  readonly 'dev-data-dir'?: string | undefined;
}

/** Data directory of `augmix dev` unless `--dev-data-dir` names another. */
export const DEFAULT_DEV_DATA_DIR = '.augmix-dev';

/**
 * With `--dev`, the queues, endpoint and region of the running `augmix dev` (from `dev.json` in its data
 * directory, written when it is ready and removed when it stops), over any given explicitly; else `values`.
 * @throws Error naming the file when no `augmix dev` is running there.
 */
export function withDevTarget<T extends QueueCliValues>(values: T): T {
  if (values.dev !== true) return values;
  const file = path.join(values['dev-data-dir'] ?? DEFAULT_DEV_DATA_DIR, 'dev.json');
  let info: { queueUrl?: unknown; dlqUrl?: unknown; endpoint?: unknown; region?: unknown; pid?: unknown };
  try {
    info = JSON.parse(readFileSync(file, 'utf8')) as typeof info;
  } catch (error) {
    throw new Error(
      `--dev: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}): is augmix dev running with that data directory? (--dev-data-dir)`,
    );
  }
  if (typeof info.pid === 'number' && !isRunning(info.pid)) {
    throw new Error(`--dev: the augmix dev of ${file} (pid ${info.pid}) is no longer running`);
  }
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return {
    ...values,
    'queue-url': values['queue-url'] ?? text(info.queueUrl),
    'dlq-url': values['dlq-url'] ?? text(info.dlqUrl),
    'endpoint-url': values['endpoint-url'] ?? text(info.endpoint),
    region: values.region ?? text(info.region),
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The `locateQueues` options the shared flags ask for. */
export function locateOptionsOf(values: QueueCliValues): LocateQueuesOptions {
  return {
    stack: values.stack,
    region: values.region,
    profile: values.profile,
    endpointUrl: values['endpoint-url'],
    queueUrl: values['queue-url'],
    deadLetterQueueUrl: values['dlq-url'],
  };
}

/**
 * An SQS client for the queues: `--region`, else the region in the queue URL, else the SDK's chain;
 * `--endpoint-url` when given.
 */
export function sqsClientFor(values: QueueCliValues, queues: PipelineQueues): SQSClient {
  return sqsClient({
    region: values.region ?? regionOfQueueUrl(queues.queueUrl),
    profile: values.profile,
    endpointUrl: values['endpoint-url'],
  });
}

/** Region used against a local endpoint when nothing names one (local servers ignore it). */
export const LOCAL_ENDPOINT_REGION = 'us-east-1';

/**
 * An SQS client. With an endpoint (a local SQS-API server) and no profile named, a missing region falls back
 * to `AWS_REGION`/`AWS_DEFAULT_REGION`, then {@link LOCAL_ENDPOINT_REGION}, and missing credentials to
 * placeholder ones, so `augmix status --endpoint-url http://127.0.0.1:9324 ...` works without any AWS setup.
 * Against AWS itself the SDK's own chains apply unchanged.
 */
export function sqsClient(options: {
  region?: string | undefined;
  profile?: string | undefined;
  endpointUrl?: string | undefined;
}): SQSClient {
  const { region, profile, endpointUrl } = options;
  if (endpointUrl === undefined || profile !== undefined) {
    return new SQSClient({ region, profile, endpoint: endpointUrl });
  }
  const chain = new SQSClient({ region: region ?? LOCAL_ENDPOINT_REGION });
  return new SQSClient({
    endpoint: endpointUrl,
    region: region ?? (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || LOCAL_ENDPOINT_REGION),
    credentials: () =>
      chain.config.credentials().catch(() => ({ accessKeyId: 'local', secretAccessKey: 'local' })),
  });
}

/** The SQS client type the operator commands pass around (so that they need not import the SDK). */
export type OperatorSqsClient = SQSClient;

/**
 * An S3 client for the operator commands: path-style addressing with an endpoint (a local S3-API server) or
 * when the environment asks for it (`AWS_S3_FORCE_PATH_STYLE`).
 */
export function s3Client(options: {
  region?: string | undefined;
  profile?: string | undefined;
  endpointUrl?: string | undefined;
}): S3Client {
  const { region, profile, endpointUrl } = options;
  return new S3Client({
    region,
    profile,
    endpoint: endpointUrl,
    forcePathStyle: endpointUrl !== undefined || forcePathStyle(process.env),
  });
}
