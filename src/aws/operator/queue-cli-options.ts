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
  help: { type: 'boolean', short: 'h' },
} as const;

/** Help text for the shared options. */
export const QUEUE_CLI_HELP = `Finding the queues (like the AWS CLI):
  --stack NAME          the deployed stack whose outputs name the queues (default ${DEFAULT_STACK_NAME})
  --region REGION       AWS region (default: AWS_REGION or the profile's region)
  --profile NAME        named profile from ~/.aws/config (default: AWS_PROFILE or default)
  --queue-url URL       the work queue; with --dlq-url, no stack lookup is made
  --dlq-url URL         the dead-letter queue
  --endpoint-url URL    an SQS-API endpoint to talk to instead of AWS (a local server)`;

/** Values of the shared options as `parseArgs` returns them. */
export interface QueueCliValues {
  readonly stack?: string | undefined;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  readonly 'queue-url'?: string | undefined;
  readonly 'dlq-url'?: string | undefined;
  readonly 'endpoint-url'?: string | undefined;
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
