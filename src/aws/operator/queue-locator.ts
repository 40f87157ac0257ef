import {
  CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksCommandOutput,
  type Output,
} from '@aws-sdk/client-cloudformation';

/** The deployed stack's default name (`DEFAULT_STACK_NAME` of `bin/create-app.ts`, the repository's CDK app). */
export const DEFAULT_STACK_NAME = 'AugmixPipeline';

/** Output keys of the stack that name the queues (agreed with the CDK stack). */
export const STACK_OUTPUT_KEYS = { queueUrl: 'QueueUrl', deadLetterQueueUrl: 'DeadLetterQueueUrl' } as const;

/** Where the AWS calls go, like the AWS CLI's `--region`, `--profile` and `--endpoint-url`. */
export interface AwsTarget {
  /** @default the SDK's chain (AWS_REGION, the profile's region) */
  readonly region?: string | undefined;
  /** @default the SDK's chain (AWS_PROFILE, `default`) */
  readonly profile?: string | undefined;
  /** An SQS-API endpoint (a local server); CloudFormation always uses the SDK's own endpoint. */
  readonly endpointUrl?: string | undefined;
}

/** The pipeline's two queues. */
export interface PipelineQueues {
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  /** Where the URLs came from, for messages: `stack AugmixPipeline` or `--queue-url/--dlq-url`. */
  readonly source: string;
}

/** Options of `locateQueues`. */
export interface LocateQueuesOptions extends AwsTarget {
  /** Stack whose outputs name the queues. @default 'AugmixPipeline' */
  readonly stack?: string | undefined;
  /** The work queue; with `deadLetterQueueUrl` no stack lookup is made. */
  readonly queueUrl?: string | undefined;
  readonly deadLetterQueueUrl?: string | undefined;
  /** @default a CloudFormation client for the target's region and profile */
  readonly cloudFormation?: CloudFormationClient;
}

/** The queues cannot be found: the message says what was tried and what to pass instead. */
export class QueueLookupError extends Error {
  override readonly name = 'QueueLookupError';
}

/**
 * Finds the work queue and the DLQ: the URLs given directly, else the deployed stack's outputs
 * (`QueueUrl`, `DeadLetterQueueUrl`) through CloudFormation DescribeStacks; a URL given directly wins over
 * the stack's.
 */
export async function locateQueues(options: LocateQueuesOptions): Promise<PipelineQueues> {
  const { queueUrl, deadLetterQueueUrl } = options;
  if (queueUrl !== undefined && deadLetterQueueUrl !== undefined) {
    return { queueUrl, deadLetterQueueUrl, source: '--queue-url/--dlq-url' };
  }
  const stack = options.stack ?? DEFAULT_STACK_NAME;
  const cloudFormation =
    options.cloudFormation ?? new CloudFormationClient({ region: options.region, profile: options.profile });
  const outputs = await stackOutputs(cloudFormation, stack);
  return {
    queueUrl: queueUrl ?? outputValue(outputs, STACK_OUTPUT_KEYS.queueUrl, stack),
    deadLetterQueueUrl:
      deadLetterQueueUrl ?? outputValue(outputs, STACK_OUTPUT_KEYS.deadLetterQueueUrl, stack),
    source: `stack ${stack}`,
  };
}

/** Options of `stackOutput`. */
export interface StackOutputOptions extends AwsTarget {
  /** @default 'AugmixPipeline' */
  readonly stack?: string | undefined;
  /** @default a CloudFormation client for the target's region and profile */
  readonly cloudFormation?: CloudFormationClient;
}

/** One output of the deployed stack (e.g. `QueueUrl`, `InputBucketName`). */
export async function stackOutput(key: string, options: StackOutputOptions = {}): Promise<string> {
  const stack = options.stack ?? DEFAULT_STACK_NAME;
  const cloudFormation =
    options.cloudFormation ?? new CloudFormationClient({ region: options.region, profile: options.profile });
  return outputValue(await stackOutputs(cloudFormation, stack), key, stack);
}

async function stackOutputs(cloudFormation: CloudFormationClient, stack: string): Promise<readonly Output[]> {
  let stacks: DescribeStacksCommandOutput['Stacks'];
  try {
    ({ Stacks: stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stack })));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.name === 'ValidationError' && /does not exist/.test(message)) {
      const region = await cloudFormation.config.region().catch(() => 'the configured region');
      throw new QueueLookupError(
        `stack ${JSON.stringify(stack)} does not exist in ${region}: deploy it, or pass --stack/--region/--profile, ` +
          'or give the queues with --queue-url and --dlq-url',
        { cause: error },
      );
    }
    const hint = /Region is missing/i.test(message)
      ? ' (pass --region, or set AWS_REGION or a profile region)'
      : '';
    throw new QueueLookupError(`cannot describe stack ${JSON.stringify(stack)}: ${message}${hint}`, {
      cause: error,
    });
  }
  const found = stacks?.[0];
  if (found === undefined) {
    throw new QueueLookupError(`DescribeStacks returned no stack named ${JSON.stringify(stack)}`);
  }
  return found.Outputs ?? [];
}

function outputValue(outputs: readonly Output[], key: string, stack: string): string {
  const value = outputs.find((output) => output.OutputKey === key)?.OutputValue;
  if (value === undefined || value === '') {
    const keys = outputs.map((output) => output.OutputKey).join(', ') || 'none';
    throw new QueueLookupError(
      `stack ${JSON.stringify(stack)} has no output ${key} (its outputs: ${keys}); is it the AugMix pipeline stack?`,
    );
  }
  return value;
}

/** The region in an AWS queue URL (`https://sqs.eu-west-1.amazonaws.com/…`), or `undefined`. */
export function regionOfQueueUrl(queueUrl: string): string | undefined {
  let host: string;
  try {
    host = new URL(queueUrl).hostname;
  } catch {
    return undefined;
  }
  return (
    /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(host)?.[1] ??
    /^([a-z0-9-]+)\.queue\.amazonaws\.com$/.exec(host)?.[1]
  );
}
