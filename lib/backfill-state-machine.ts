import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  Choice,
  Condition,
  DefinitionBody,
  DistributedMap,
  type IChainable,
  type IItemReader,
  ItemBatcher,
  LogLevel,
  ResultWriterV2,
  StateMachine,
  StateMachineType,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct, type IConstruct } from 'constructs';
import { invalidParameter } from '../src/augmix/errors.js';
import { requiredDefault } from '../src/settings/check.js';
import { DEPLOY_SETTINGS, type Setting } from '../src/settings/table.js';
import { nagResource } from './worker-permissions.js';

/** Errors of the Lambda service (not of the function) that a batch Task retries with backoff. */
export const TRANSIENT_LAMBDA_ERRORS = [
  'Lambda.TooManyRequestsException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.EC2ThrottledException',
] as const;

/** Backoff of those retries: 2 s, 4 s, 8 s … capped at 60 s, full jitter, 8 attempts (≈ 4 min at most). */
export const TRANSIENT_RETRY = {
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 8,
  maxDelay: Duration.seconds(60),
} as const;

/** Label of the Distributed Map (it names the Map Run and the children's metrics). */
export const BACKFILL_MAP_LABEL = 'Backfill';
/** State names of the definition. */
export const BACKFILL_STATES = {
  map: 'AugmentBatches',
  inventoryMap: 'AugmentInventoryBatches',
  choose: 'ListingOrInventory',
  batch: 'AugmentBatch',
  inventoryBatch: 'AugmentInventoryBatch',
  finalize: 'WriteDatasetManifest',
} as const;

/** Where the ResultWriter writes each Map Run's results (`<prefix><mapRunId>/manifest.json`, …), under the output prefix. */
export const RESULTS_FOLDER = 'backfill-results/';

/** An S3 Inventory source: CSV reports of the input bucket, written to this bucket under this prefix. */
export interface BackfillInventorySource {
  readonly bucket: IBucket;
  /** '' or ends with '/'. */
  readonly prefix: string;
}

/** Options of {@link BackfillStateMachine}. */
export interface BackfillStateMachineProps {
  /** The worker's batch mode: receives a `BackfillBatchEvent`, returns a `BackfillBatchResult`. */
  readonly batchFunction: IFunction;
  /** The worker's finalize mode (a `BackfillFinalizeEvent`: `{ BatchInput }`). @default batchFunction */
  readonly finalizeFunction?: IFunction;
  readonly inputBucket: IBucket;
  /** Executions may list only under this prefix ('' = the whole bucket); it bounds the IAM grants. */
  readonly inputPrefix: string;
  readonly outputBucket: IBucket;
  /** Executions write only under this prefix; the ResultWriter writes under `<prefix>backfill-results/`. */
  readonly outputPrefix: string;
  /** Also accept an S3 Inventory manifest as the item source. @default undefined (listing only) */
  readonly inventory?: BackfillInventorySource;
  /** Batch workers at once, 1..10000. @default 100 */
  readonly maxConcurrency?: number;
  /** 0..100. @default 0 */
  readonly toleratedFailurePercentage?: number;
  /** 1..10000. @default 1000 */
  readonly itemsPerBatch?: number;
  /** 1024..262144. @default 204800 */
  readonly maxInputBytesPerBatch?: number;
  /** Retention of the execution log group. @default 30 days */
  readonly logRetention?: RetentionDays;
}

/** Thrown once with every problem in the props. */
export class BackfillStateMachineError extends Error {
  override readonly name = 'BackfillStateMachineError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid BackfillStateMachine props:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * The backfill engine: a Standard state machine whose Distributed Map lists the objects under the execution's
 * input prefix (S3 ListObjectsV2, recursive; or an S3 Inventory CSV manifest), keeps per object its key,
 * size, ETag and listing index, cuts the list into batches (ItemBatcher) and invokes the worker's batch mode
 * once per batch (one Standard child execution each), at most `maxConcurrency` at a time. A child throttled
 * or hit by a Lambda service error retries with backoff; a child that still fails fails the run once more
 * than `toleratedFailurePercentage` of them have, and `RedriveExecution` then reruns only the unsuccessful
 * children (there is deliberately no Retry on the Map state: it would start a new Map Run of every batch).
 * The children's results go to S3 (ResultWriter); then one Task calls the worker's finalize mode, which
 * writes the dataset manifest.
 *
 * Execution input: a `BackfillExecutionInput` (`src/backfill/execution-input.ts`). The role may list only
 * under `inputPrefix`, read the inventory reports, write results under `outputPrefix`, invoke the two
 * functions and run its own children; the workers' S3 grants are the caller's to give.
 */
export class BackfillStateMachine extends Construct {
  public readonly stateMachine: StateMachine;
  public readonly logGroup: LogGroup;
  /** The Distributed Map that lists the input prefix. */
  public readonly listingMap: DistributedMap;
  /** The Distributed Map that reads an inventory manifest (only with `inventory`). */
  public readonly inventoryMap: DistributedMap | undefined;

  constructor(scope: Construct, id: string, props: BackfillStateMachineProps) {
    super(scope, id);
    const settings = validateProps(props);
    // ResultWriterV2 is CDK's current ResultWriter rendering; it is behind this feature flag.
    this.node.setContext('@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2', true);
    const { inputBucket, inputPrefix, outputBucket, outputPrefix } = props;

    // The contract's BackfillBatchInput: the stack's buckets, the execution's prefixes, layout and settings.
    const batchInput = {
      inputBucket: inputBucket.bucketName,
      'inputPrefix.$': '$.inputPrefix',
      outputBucket: outputBucket.bucketName,
      'outputPrefix.$': '$.outputPrefix',
      'layout.$': '$.layout',
      'settings.$': '$.settings',
    };
    const mapOptions = (input: Record<string, unknown>) => ({
      label: BACKFILL_MAP_LABEL,
      mapExecutionType: StateMachineType.STANDARD,
      maxConcurrency: settings.maxConcurrency,
      toleratedFailurePercentage: settings.toleratedFailurePercentage,
      itemBatcher: new ItemBatcher({
        maxItemsPerBatch: settings.itemsPerBatch,
        maxInputBytesPerBatch: settings.maxInputBytesPerBatch,
        batchInput: input,
      }),
      resultWriterV2: new PrefixResultWriter(outputBucket, `${outputPrefix}${RESULTS_FOLDER}`),
    });

    this.listingMap = DistributedMap.jsonPath(this, BACKFILL_STATES.map, {
      ...mapOptions(batchInput),
      resultPath: '$.mapRun',
      comment: 'Lists the input prefix (ListObjectsV2, recursive) and augments it batch by batch',
      itemReader: new PrefixListingReader(inputBucket, inputPrefix),
      itemSelector: {
        'Key.$': '$$.Map.Item.Value.Key',
        'Size.$': '$$.Map.Item.Value.Size',
        'ETag.$': '$$.Map.Item.Value.Etag',
        'Index.$': '$$.Map.Item.Index',
      },
    });
    this.listingMap.itemProcessor(this.batchTask(props.batchFunction, BACKFILL_STATES.batch));

    const finalize = new LambdaInvoke(this, BACKFILL_STATES.finalize, {
      comment: 'The worker\u2019s finalize mode: writes the dataset manifest from the batches\u2019 results',
      lambdaFunction: props.finalizeFunction ?? props.batchFunction,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      // The contract's BackfillFinalizeEvent: the run's BatchInput (the shard indexes are under its output prefix).
      payload: TaskInput.fromObject({ BatchInput: batchInput }),
      resultPath: '$.manifest',
    });
    finalize.addRetry({ errors: [...TRANSIENT_LAMBDA_ERRORS], ...TRANSIENT_RETRY });

    let definition: IChainable;
    if (props.inventory === undefined) {
      this.inventoryMap = undefined;
      definition = this.listingMap.next(finalize);
    } else {
      const inventory = props.inventory;
      // JSONata, for $decodeUrlComponent: inventory CSV keys are URL-encoded, sizes are strings and ETags
      // come without their quotes.
      const jsonataInput = {
        inputBucket: inputBucket.bucketName,
        inputPrefix: '{% $states.input.inputPrefix %}',
        outputBucket: outputBucket.bucketName,
        outputPrefix: '{% $states.input.outputPrefix %}',
        layout: '{% $states.input.layout %}',
        settings: '{% $states.input.settings %}',
      };
      this.inventoryMap = DistributedMap.jsonata(this, BACKFILL_STATES.inventoryMap, {
        ...mapOptions(jsonataInput),
        comment: 'Reads an S3 Inventory (CSV) manifest and augments its objects batch by batch',
        itemReader: new InventoryManifestReader(inventory.bucket, inventory.prefix),
        jsonataItemSelector:
          '{% {"Key": $decodeUrlComponent($replace($states.context.Map.Item.Value.Key, "+", " ")), ' +
          '"Size": $number($states.context.Map.Item.Value.Size), ' +
          '"ETag": "\\"" & $states.context.Map.Item.Value.ETag & "\\"", ' +
          '"Index": $states.context.Map.Item.Index} %}',
        outputs: '{% $merge([$states.input, {"mapRun": $states.result}]) %}',
      });
      this.inventoryMap.itemProcessor(this.batchTask(props.batchFunction, BACKFILL_STATES.inventoryBatch));
      this.inventoryMap.next(finalize);
      definition = new Choice(this, BACKFILL_STATES.choose, {
        comment: 'An inventory manifest in the input replaces the listing',
      })
        .when(Condition.isPresent('$.inventoryManifestKey'), this.inventoryMap)
        .otherwise(this.listingMap.next(finalize));
    }

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      comment:
        'augmix backfill: Distributed Map over an S3 prefix, one batch worker per batch, then the manifest',
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    this.acknowledgeWildcards(props);
  }

  private batchTask(fn: IFunction, name: string): LambdaInvoke {
    const task = new LambdaInvoke(this, name, {
      comment:
        'The worker\u2019s batch mode: augments the batch\u2019s images, writes one shard (or the objects)',
      lambdaFunction: fn,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
    });
    task.addRetry({ errors: [...TRANSIENT_LAMBDA_ERRORS], ...TRANSIENT_RETRY });
    return task;
  }

  /**
   * The cdk-nag IAM5 findings of the role, each the narrowest grant the service allows (object wildcards under
   * a prefix; Step Functions' own log-delivery and X-Ray actions, which take no resource; the child runs).
   */
  private acknowledgeWildcards(props: BackfillStateMachineProps): void {
    const stack = Stack.of(this);
    const role = this.stateMachine.role;
    const ack = (target: IConstruct, resource: string, reason: string): void => {
      Validations.of(target).acknowledge({ id: `AwsSolutions-IAM5[${resource}]`, reason });
    };
    const fns = [props.batchFunction, props.finalizeFunction ?? props.batchFunction];
    for (const fn of new Set(fns)) {
      ack(
        role,
        `Resource::${nagResource(stack, fn.functionArn)}:*`,
        'CDK\u2019s LambdaInvoke grants lambda:InvokeFunction on the function and its versions/aliases ' +
          '(<function ARN>:*); the state machine invokes only this function.',
      );
    }
    ack(
      role,
      `Resource::${nagResource(stack, props.outputBucket.arnForObjects(`${props.outputPrefix}${RESULTS_FOLDER}*`))}`,
      'The Distributed Map\u2019s ResultWriter writes <prefix><map run id>/manifest.json and its result files, ' +
        'keys not known in advance, only under the results prefix.',
    );
    if (props.inventory !== undefined) {
      ack(
        role,
        `Resource::${nagResource(stack, props.inventory.bucket.arnForObjects(`${props.inventory.prefix}*`))}`,
        'The inventory ItemReader reads the manifest and CSV files S3 Inventory writes under its prefix, with ' +
          'dated keys not known in advance.',
      );
    }
    ack(
      role,
      'Resource::*',
      'Step Functions\u2019 CloudWatch Logs delivery (logs:CreateLogDelivery and friends) and X-Ray tracing ' +
        '(xray:PutTraceSegments and friends) do not support resource-level permissions; AWS documents * for them.',
    );
    const mapPolicy = this.stateMachine.node.tryFindChild('DistributedMapPolicy');
    if (mapPolicy !== undefined) {
      // How cdk-nag renders the state machine's name (CDK takes it from the ARN with Fn::Select/Fn::Split).
      const name = JSON.stringify({
        'Fn::Select': [
          6,
          { 'Fn::Split': [':', { Ref: stack.getLogicalId(this.stateMachine.node.defaultChild as never) }] },
        ],
      });
      const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}`;
      ack(
        mapPolicy,
        `Resource::${executions}:*`,
        'The Distributed Map describes and stops the executions of this state machine (its child runs), whose ' +
          'names Step Functions makes up.',
      );
      ack(
        mapPolicy,
        `Resource::${executions}/${BACKFILL_MAP_LABEL}:*`,
        'Redriving the Distributed Map redrives its failed child runs (<state machine>/<map label>:<run id>), ' +
          'whose ids Step Functions makes up.',
      );
    }
  }
}

/** The ResultWriter with its grants narrowed to its prefix (CDK grants the whole bucket). */
export class PrefixResultWriter extends ResultWriterV2 {
  constructor(
    bucket: IBucket,
    private readonly resultsPrefix: string,
  ) {
    super({ bucket, prefix: resultsPrefix });
  }

  override providePolicyStatements(): PolicyStatement[] {
    return [
      new PolicyStatement({
        sid: 'WriteMapRunResults',
        actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        resources: [this.bucket!.arnForObjects(`${this.resultsPrefix}*`)],
      }),
    ];
  }
}

/** ListObjectsV2 over the execution's `inputPrefix` in one bucket; may list only under `allowedPrefix`. */
export class PrefixListingReader implements IItemReader {
  public readonly resource = 'arn:aws:states:::s3:listObjectsV2';
  constructor(
    public readonly bucket: IBucket,
    private readonly allowedPrefix: string,
  ) {}

  render(): unknown {
    return {
      Resource: this.resource,
      Parameters: { Bucket: this.bucket.bucketName, 'Prefix.$': '$.inputPrefix' },
    };
  }

  providePolicyStatements(): PolicyStatement[] {
    return [
      new PolicyStatement({
        sid: 'ListInputPrefix',
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        ...(this.allowedPrefix === ''
          ? {}
          : { conditions: { StringLike: { 's3:prefix': [`${this.allowedPrefix}*`] } } }),
      }),
    ];
  }

  validateItemReader(): string[] {
    return [];
  }
}

/** An S3 Inventory `manifest.json` named by the execution's `inventoryManifestKey`. */
export class InventoryManifestReader implements IItemReader {
  public readonly resource = 'arn:aws:states:::s3:getObject';
  constructor(
    public readonly bucket: IBucket,
    private readonly prefix: string,
  ) {}

  render(): unknown {
    return {
      Resource: this.resource,
      ReaderConfig: { InputType: 'MANIFEST' },
      Arguments: { Bucket: this.bucket.bucketName, Key: '{% $states.input.inventoryManifestKey %}' },
    };
  }

  providePolicyStatements(): PolicyStatement[] {
    return [
      new PolicyStatement({
        sid: 'ReadInventoryReports',
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(`${this.prefix}*`)],
      }),
    ];
  }

  validateItemReader(): string[] {
    return [];
  }
}

function validateProps(props: BackfillStateMachineProps) {
  const problems: string[] = [];
  const d = (name: keyof typeof DEPLOY_SETTINGS): number =>
    requiredDefault(DEPLOY_SETTINGS[name] as Setting<unknown>) as number;
  const settings = {
    maxConcurrency: props.maxConcurrency ?? d('backfillMaxConcurrency'),
    toleratedFailurePercentage: props.toleratedFailurePercentage ?? d('backfillToleratedFailurePercentage'),
    itemsPerBatch: props.itemsPerBatch ?? d('backfillItemsPerBatch'),
    maxInputBytesPerBatch: props.maxInputBytesPerBatch ?? d('backfillMaxInputBytesPerBatch'),
  };
  const int = (v: number, min: number, max: number) => Number.isSafeInteger(v) && v >= min && v <= max;
  if (!int(settings.maxConcurrency, 1, 10000)) {
    problems.push(
      invalidParameter('maxConcurrency', 'an integer in 1..10000', settings.maxConcurrency).message,
    );
  }
  const pct = settings.toleratedFailurePercentage;
  if (!(typeof pct === 'number' && pct >= 0 && pct <= 100)) {
    problems.push(invalidParameter('toleratedFailurePercentage', 'a number in 0..100', pct).message);
  }
  if (!int(settings.itemsPerBatch, 1, 10000)) {
    problems.push(
      invalidParameter('itemsPerBatch', 'an integer in 1..10000', settings.itemsPerBatch).message,
    );
  }
  if (!int(settings.maxInputBytesPerBatch, 1024, 262144)) {
    problems.push(
      invalidParameter('maxInputBytesPerBatch', 'an integer in 1024..262144', settings.maxInputBytesPerBatch)
        .message,
    );
  }
  for (const [name, prefix] of [
    ['inputPrefix', props.inputPrefix],
    ['outputPrefix', props.outputPrefix],
    ['inventory.prefix', props.inventory?.prefix ?? ''],
  ] as const) {
    if (!(prefix === '' || (prefix.endsWith('/') && !prefix.startsWith('/') && !prefix.includes('*')))) {
      problems.push(
        invalidParameter(name, "'' or a key prefix ending with '/' (no leading '/', no '*')", prefix).message,
      );
    }
  }
  if (problems.length > 0) throw new BackfillStateMachineError(problems);
  return settings;
}
