import { SQSClient } from '@aws-sdk/client-sqs';
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
  return new SQSClient({
    region: values.region ?? regionOfQueueUrl(queues.queueUrl),
    profile: values.profile,
    endpoint: values['endpoint-url'],
  });
}
