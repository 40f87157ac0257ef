import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AugmentWorkerFunction } from '../../lib/augment-worker-function.js';
import { BackfillStateMachine, type BackfillStateMachineProps } from '../../lib/backfill-state-machine.js';
import { PipelineBuckets } from '../../lib/pipeline-buckets.js';
import { unbundledApp } from './synth-stack.js';

/** A stack holding only a backfill state machine (buckets and the existing worker as its function), unbundled. */
export function synthBackfill(props: Partial<BackfillStateMachineProps> = {}, withInventory = false) {
  const built = buildBackfill(props, withInventory);
  return { ...built, template: Template.fromStack(built.stack) };
}

/** The same stack, not yet synthesized (to register validation plugins first). */
export function buildBackfill(props: Partial<BackfillStateMachineProps> = {}, withInventory = false) {
  const stack = new Stack(unbundledApp(), 'Backfill');
  const { inputBucket, outputBucket } = new PipelineBuckets(stack, 'Buckets');
  const batchFunction = new AugmentWorkerFunction(stack, 'Batch');
  const machine = new BackfillStateMachine(stack, 'Backfill', {
    batchFunction,
    inputBucket,
    inputPrefix: 'raw/',
    outputBucket,
    outputPrefix: 'aug/',
    ...(withInventory
      ? { inventory: { bucket: Bucket.fromBucketName(stack, 'Inventory', 'my-inventory'), prefix: 'inv/' } }
      : {}),
    ...props,
  });
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
  return { stack, machine, ids: { input: id(inputBucket), output: id(outputBucket), fn: id(batchFunction) } };
}

/**
 * The state machine's definition as JSON, with CloudFormation references written `<LogicalId>` (Ref) and
 * `<LogicalId.Attr>` (Fn::GetAtt) inside its strings.
 */
// biome-ignore lint/suspicious/noExplicitAny: the ASL document is walked freely by the tests
export function definitionOf(template: Template): any {
  const sm = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0]!;
  const body = sm.Properties.DefinitionString;
  const parts: unknown[] = typeof body === 'string' ? [body] : body['Fn::Join'][1];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = (part as { Ref?: string }).Ref;
      if (ref !== undefined) return `<${ref}>`;
      const [id, attr] = (part as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
      return `<${id}.${attr}>`;
    })
    .join('');
  return JSON.parse(text);
}
