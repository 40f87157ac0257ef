import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { IMAGE_SETTINGS_ENV } from '../src/settings/table.js';
import { AugmentWorkerFunction } from './augment-worker-function.js';
import { type BackfillInventorySource, BackfillStateMachine } from './backfill-state-machine.js';
import type { AugmixSettings } from './pipeline-settings.js';
import type { ResolvedBackfillSettings } from './resolve-pipeline-settings.js';
import { BACKFILL_BUNDLE_DIR, PACKAGE_ROOT, workerCode } from './worker-asset.js';
import { grantWorkerPermissions, nagResource } from './worker-permissions.js';
import { workerSizing } from './worker-sizing.js';

/** Options of {@link BackfillEngine}. */
export interface BackfillEngineProps {
  readonly inputBucket: IBucket;
  readonly inputPrefix: string;
  readonly outputBucket: IBucket;
  readonly outputPrefix: string;
  readonly inputBucketKmsKeyArn?: string | undefined;
  /** The stack's AugMix settings (`AUGMIX_SETTINGS`; an execution's settings win over them). */
  readonly augmix: AugmixSettings;
  readonly settings: ResolvedBackfillSettings;
  readonly logRetention: RetentionDays;
  /** The code exporting `handler` and `finalizeHandler`. @default the prebuilt backfill worker */
  readonly code?: Code;
  /** The inventory bucket, imported by the caller from `settings.inventoryBucketName`. */
  readonly inventoryBucket?: IBucket;
}

/**
 * The backfill: the batch worker (`handler`: one Distributed Map child, one shard), the finalize worker
 * (`finalizeHandler`: the dataset manifest) and the state machine that drives them, with least-privilege
 * grants: the batch worker reads the input prefix and writes the output prefix (as the event worker does);
 * the finalize worker lists, reads and writes only the output prefix.
 */
export class BackfillEngine extends Construct {
  public readonly batchFunction: AugmentWorkerFunction;
  public readonly finalizeFunction: AugmentWorkerFunction;
  public readonly machine: BackfillStateMachine;

  constructor(scope: Construct, id: string, props: BackfillEngineProps) {
    super(scope, id);
    const { settings } = props;
    const code = props.code ?? workerCode(BACKFILL_BUNDLE_DIR);
    const vcpus = workerSizing(settings.memorySize).vcpus;
    const environment = {
      [IMAGE_SETTINGS_ENV]: JSON.stringify(props.augmix),
      AUGMIX_TOOL_VERSION: toolVersion(),
      BATCH_THREADS: String(vcpus),
    };
    this.batchFunction = new AugmentWorkerFunction(this, 'BatchWorker', {
      code,
      description: 'AugMix backfill: one Distributed Map batch in, one WebDataset shard (or objects) out',
      memorySize: settings.memorySize,
      timeout: Duration.seconds(settings.timeoutSeconds),
      logRetention: props.logRetention,
      environment,
    });
    grantWorkerPermissions(this.batchFunction.role!, {
      inputBucket: props.inputBucket,
      inputPrefix: props.inputPrefix,
      outputBucket: props.outputBucket,
      outputPrefix: props.outputPrefix,
      inputBucketKmsKeyArn: props.inputBucketKmsKeyArn,
    });

    this.finalizeFunction = new AugmentWorkerFunction(this, 'FinalizeWorker', {
      code,
      handler: 'index.finalizeHandler',
      description: 'AugMix backfill: gathers the shard indexes into the dataset manifest',
      memorySize: 1024,
      timeout: Duration.seconds(900),
      logRetention: props.logRetention,
      environment,
    });
    const role = this.finalizeFunction.role!;
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ListShardIndexes',
        actions: ['s3:ListBucket'],
        resources: [props.outputBucket.bucketArn],
        ...(props.outputPrefix === ''
          ? {}
          : { conditions: { StringLike: { 's3:prefix': [`${props.outputPrefix}*`] } } }),
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadIndexesWriteManifest',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [props.outputBucket.arnForObjects(`${props.outputPrefix}*`)],
      }),
    );

    const outputObjects = props.outputBucket.arnForObjects(`${props.outputPrefix}*`);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResource(Stack.of(this), outputObjects)}]`,
      reason:
        'The finalize worker reads the shard indexes and writes the dataset manifest of a run, keys under the ' +
        `output prefix ${JSON.stringify(props.outputPrefix)} named per run; <output bucket>/<prefix>* is the narrowest grant.`,
    });

    this.machine = new BackfillStateMachine(this, 'StateMachine', {
      batchFunction: this.batchFunction,
      finalizeFunction: this.finalizeFunction,
      inputBucket: props.inputBucket,
      inputPrefix: props.inputPrefix,
      outputBucket: props.outputBucket,
      outputPrefix: props.outputPrefix,
      maxConcurrency: settings.maxConcurrency,
      toleratedFailurePercentage: settings.toleratedFailurePercentage,
      itemsPerBatch: settings.itemsPerBatch,
      maxInputBytesPerBatch: settings.maxInputBytesPerBatch,
      logRetention: props.logRetention,
      ...(props.inventoryBucket === undefined
        ? {}
        : {
            inventory: {
              bucket: props.inventoryBucket,
              prefix: settings.inventoryPrefix,
            } satisfies BackfillInventorySource,
          }),
    });
  }
}

/** `augmix-pipeline <version>` from package.json (the bundle has none; the worker records it). */
function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return `${pkg.name} ${pkg.version}`;
}
