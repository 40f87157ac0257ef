import { Aws, Stack, Validations } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

/** What the worker may touch. */
export interface WorkerPermissionsOptions {
  readonly inputBucket: IBucket;
  readonly inputPrefix: string;
  readonly outputBucket: IBucket;
  readonly outputPrefix: string;
  /** KMS key of an existing input bucket: `kms:Decrypt` (and `kms:GenerateDataKey` when writing there). */
  readonly inputBucketKmsKeyArn?: string;
}

/**
 * Grants the worker exactly what it uses: `s3:GetObject` on the input objects under the input prefix,
 * `s3:PutObject` and `s3:DeleteObject` on the output objects under the output prefix (each outcome deletes
 * the objects of an older one: a failure record, another format's variants), and — for an SSE-KMS input bucket — the KMS
 * calls S3 makes on its behalf (restricted with `kms:ViaService` to S3 in the stack's region). The SQS
 * consume grants come with the event source. Plus `s3:ListBucket` on the input bucket (the bucket, not its
 * objects): without it S3 answers a read of a deleted object with 403 AccessDenied instead of 404 NoSuchKey,
 * and the worker could not tell an object deleted since its event (a permanent `gone` failure record) from a
 * permission fault (retried, then the DLQ). S3 makes that check without a prefix, so it cannot be narrowed
 * with an `s3:prefix` condition; it reveals key names, never object contents.
 *
 * Acknowledges the cdk-nag IAM5 findings for the object wildcards (`<bucket>/<prefix>*`), which are the
 * narrowest resources that cover keys not known in advance.
 */
export function grantWorkerPermissions(role: IRole, options: WorkerPermissionsOptions): void {
  const { inputBucket, inputPrefix, outputBucket, outputPrefix, inputBucketKmsKeyArn } = options;
  const inputObjects = inputBucket.arnForObjects(`${inputPrefix}*`);
  const outputObjects = outputBucket.arnForObjects(`${outputPrefix}*`);

  role.addToPrincipalPolicy(
    new PolicyStatement({ sid: 'ReadInputImages', actions: ['s3:GetObject'], resources: [inputObjects] }),
  );
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'TellDeletedInputsFromDenied',
      actions: ['s3:ListBucket'],
      resources: [inputBucket.bucketArn],
    }),
  );
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'WriteOutputs',
      // DeleteObject: a new outcome removes the objects of the old one (a failure record, another format's
      // variants); only under the output prefix
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resources: [outputObjects],
    }),
  );
  if (inputBucketKmsKeyArn !== undefined) {
    const writesInput = outputBucket === inputBucket;
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'UseInputBucketKey',
        actions: writesInput ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
        resources: [inputBucketKmsKeyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }

  const stack = Stack.of(role);
  const acknowledge = (target: IConstruct, resource: string, reason: string): void => {
    Validations.of(target).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
  };
  acknowledge(
    role,
    nagResource(stack, inputObjects),
    `The worker reads the images S3 events name, any key under the input prefix ${JSON.stringify(inputPrefix)}; ` +
      'keys are not known in advance, and s3:GetObject on <input bucket>/<prefix>* is the narrowest grant.',
  );
  if (outputObjects !== inputObjects) {
    acknowledge(
      role,
      nagResource(stack, outputObjects),
      'The worker writes variants, provenance documents and failure records whose keys derive from input keys under the ' +
        `output prefix ${JSON.stringify(outputPrefix)} (and deletes those of an older outcome); s3:PutObject and s3:DeleteObject on <output bucket>/<prefix>* is the narrowest grant.`,
    );
  }
}

/**
 * How cdk-nag (`flattenCfnReference`) renders a resource in its finding ids: `Fn::GetAtt` as
 * `<LogicalId.Attr>`, `Ref` as `<LogicalId>` or `<AWS::Partition>`, `Fn::Join` joined with its separator.
 */
export function nagResource(stack: Stack, value: string): string {
  return flatten(stack.resolve(value));
}

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (node !== null && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    if (obj['Fn::Join']) {
      const [separator, items] = obj['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(separator);
    }
    if (obj['Fn::Sub']) return flatten(obj['Fn::Sub']);
    if (obj['Fn::GetAtt']) {
      const [id, attr] = obj['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(id)}.${flatten(attr)}>`;
    }
    if (obj.Ref) return `<${flatten(obj.Ref)}>`;
  }
  return JSON.stringify(node);
}
