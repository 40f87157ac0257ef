/**
 * What the deployed stack would give the worker, read from the stack's own code: `augmix dev` builds the same
 * {@link AugmixPipelineStack} that `cdk deploy` builds (same settings, same `-c key=value` context), renders
 * its CloudFormation resources without bundling the function, and reads the worker's environment, timeout and
 * memory, the SQS event source mapping, the work queue's visibility timeout and redrive policy, and the input
 * bucket's notification filters. Nothing here restates a default of the stack.
 */
import { App, CfnResource, type Stack } from 'aws-cdk-lib';
import { AugmixPipelineStack } from './augmix-pipeline-stack.js';
import { settingsFromContext } from './context-settings.js';

/** One notification configuration to the work queue: its events and key filter (literal prefix and suffix). */
export interface KeyFilter {
  /** S3 event types, e.g. `s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`. */
  readonly events: readonly string[];
  readonly prefix: string;
  readonly suffix: string;
}

/** The worker as the stack defines it, with bucket references replaced by the dev bucket names. */
export interface StackWorker {
  /** The function's environment variables, exactly as the stack sets them. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /** The event source mapping. */
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly maxConcurrency: number;
  readonly reportBatchItemFailures: boolean;
  /** The work queue. */
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  readonly messageRetentionSeconds: number;
  readonly dlqMessageRetentionSeconds: number;
  /** The input bucket's notification configurations to the work queue. */
  readonly notificationFilters: readonly KeyFilter[];
  readonly inputBucket: string;
  readonly outputBucket: string;
}

/** Bucket names `augmix dev` gives the stack's created buckets. */
export const DEV_BUCKETS = { input: 'augmix-input', output: 'augmix-output' } as const;

type Template = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/**
 * Builds the stack with these context values (`{ variants: '2' }` as `-c variants=2` gives them) and reads
 * the worker from it.
 * @throws PipelineSettingsError for invalid settings, as `cdk synth` would.
 */
export function readStackWorker(context: Readonly<Record<string, string>>): StackWorker {
  // An empty bundling-stacks list: the function's code is not bundled (nothing is deployed).
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new AugmixPipelineStack(app, 'AugmixPipelineDev', settingsFromContext(app.node));
  const resources = renderResources(stack);
  const outputs = {
    input: stack.resolve(stack.inputBucket.bucketName) as unknown,
    output: stack.resolve(stack.outputBucket.bucketName) as unknown,
  };
  const inputBucket = typeof outputs.input === 'string' ? outputs.input : DEV_BUCKETS.input;
  const outputBucket =
    JSON.stringify(outputs.output) === JSON.stringify(outputs.input)
      ? inputBucket
      : typeof outputs.output === 'string'
        ? outputs.output
        : DEV_BUCKETS.output;
  const names = new Map<string, string>([
    [JSON.stringify(outputs.input), inputBucket],
    [JSON.stringify(outputs.output), outputBucket],
  ]);
  const resolveValue = (where: string, value: unknown): string => {
    if (typeof value === 'string') return value;
    const name = names.get(JSON.stringify(value));
    if (name === undefined) {
      throw new Error(`${where}: expected a string or a bucket reference but found ${JSON.stringify(value)}`);
    }
    return name;
  };

  const mapping = single(resources, 'AWS::Lambda::EventSourceMapping');
  const functionId = refOf(mapping.FunctionName);
  const fn = props(resources, functionId);
  const queueId = getAttOf(mapping.EventSourceArn);
  const queue = props(resources, queueId);
  const redrive = queue.RedrivePolicy as { deadLetterTargetArn: unknown; maxReceiveCount: number };
  const dlq = props(resources, getAttOf(redrive.deadLetterTargetArn));
  const variables = ((fn.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ??
    {}) as Record<string, unknown>;
  const environment = Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [name, resolveValue(`environment ${name}`, value)]),
  );
  return {
    environment,
    timeoutSeconds: Number(fn.Timeout ?? 3),
    memorySize: Number(fn.MemorySize ?? 128),
    batchSize: Number(mapping.BatchSize ?? 10),
    maxBatchingWindowSeconds: Number(mapping.MaximumBatchingWindowInSeconds ?? 0),
    maxConcurrency: Number(
      (mapping.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency ?? 1000,
    ),
    reportBatchItemFailures: ((mapping.FunctionResponseTypes as string[] | undefined) ?? []).includes(
      'ReportBatchItemFailures',
    ),
    visibilityTimeoutSeconds: Number(queue.VisibilityTimeout ?? 30),
    maxReceiveCount: Number(redrive.maxReceiveCount),
    messageRetentionSeconds: Number(queue.MessageRetentionPeriod ?? 345600),
    dlqMessageRetentionSeconds: Number(dlq.MessageRetentionPeriod ?? 345600),
    notificationFilters: notificationFilters(resources, queueId),
    inputBucket,
    outputBucket,
  };
}

/**
 * Renders every CloudFormation resource of the stack without a full synth (which also validates and writes
 * a cloud assembly, ~3 s here): each L1 resource's own rendering, with tokens resolved by the stack.
 */
function renderResources(stack: Stack): Template {
  const resources: Template = {};
  for (const construct of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(construct)) continue;
    const render = (construct as unknown as { _toCloudFormation?: () => unknown })._toCloudFormation;
    if (typeof render !== 'function') {
      throw new Error(
        'aws-cdk-lib no longer renders resources with _toCloudFormation; update stack-worker.ts',
      );
    }
    const rendered = stack.resolve(render.call(construct)) as { Resources: Template };
    Object.assign(resources, rendered.Resources);
  }
  return resources;
}

function single(resources: Template, type: string): Record<string, unknown> {
  const found = Object.values(resources).filter((resource) => resource.Type === type);
  if (found.length !== 1) {
    throw new Error(`Expected the stack to hold one ${type} but it holds ${found.length}`);
  }
  return found[0]?.Properties ?? {};
}

function props(resources: Template, logicalId: string): Record<string, unknown> {
  const resource = resources[logicalId];
  if (resource === undefined) throw new Error(`The stack has no resource ${logicalId}`);
  return resource.Properties ?? {};
}

function refOf(value: unknown): string {
  const ref = (value as { Ref?: unknown } | null)?.Ref;
  if (typeof ref !== 'string') throw new Error(`Expected a { Ref } but found ${JSON.stringify(value)}`);
  return ref;
}

function getAttOf(value: unknown): string {
  const att = (value as { 'Fn::GetAtt'?: unknown } | null)?.['Fn::GetAtt'];
  if (!Array.isArray(att) || typeof att[0] !== 'string') {
    throw new Error(`Expected a { Fn::GetAtt } but found ${JSON.stringify(value)}`);
  }
  return att[0];
}

function notificationFilters(resources: Template, queueId: string): KeyFilter[] {
  const filters: KeyFilter[] = [];
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'Custom::S3BucketNotifications') continue;
    const configuration = resource.Properties?.NotificationConfiguration as
      | { QueueConfigurations?: { Events: string[]; Filter?: unknown; QueueArn: unknown }[] }
      | undefined;
    for (const entry of configuration?.QueueConfigurations ?? []) {
      if (getAttOf(entry.QueueArn) !== queueId) continue;
      const rules =
        (entry.Filter as { Key?: { FilterRules?: { Name: string; Value: string }[] } } | undefined)?.Key
          ?.FilterRules ?? [];
      const rule = (name: string): string => rules.find((r) => r.Name.toLowerCase() === name)?.Value ?? '';
      filters.push({ events: entry.Events, prefix: rule('prefix'), suffix: rule('suffix') });
    }
  }
  return filters;
}
