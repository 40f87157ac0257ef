import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  type Code,
  Function as LambdaFunction,
  LoggingFormat,
  RecursiveLoop,
  SystemLogLevel,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { envVariable } from '../src/settings/table.js';
import { INFRA_DEFAULTS } from './defaults.js';
import { LAMBDA_RUNTIME } from './lambda-runtime.js';
import { workerCode } from './worker-asset.js';
import { workerSizing } from './worker-sizing.js';

/** Options of the worker function. */
export interface AugmentWorkerFunctionProps {
  /** Memory in MB (decides the vCPUs). @default 3008 */
  readonly memorySize?: number;
  /** @default 120 seconds */
  readonly timeout?: Duration;
  /** Environment of the worker (`src/aws/worker/worker-config.ts` reads it), merged over the sizing variables. */
  readonly environment?: Record<string, string>;
  /** Images at once in a batch. @default the vCPUs */
  readonly imageConcurrency?: number;
  /** Retention of the worker's log group. @default 30 days */
  readonly logRetention?: RetentionDays;
  /** The function's code. @default the prebuilt event worker (`workerCode()`) */
  readonly code?: Code;
  /** The bundle's exported handler. @default 'index.handler' */
  readonly handler?: string;
  /** @default the event worker's description */
  readonly description?: string;
}

/**
 * The project's one Lambda function class: the AugMix worker on arm64 with the Node.js runtime of
 * `lambda-runtime.ts`, memory sized for CPU and sharp's thread pools matched to its vCPUs, JSON logs in its
 * own log group, and the prebuilt ESM bundle of `worker-asset.ts` with sharp installed for linux-arm64 at
 * synth — never Docker.
 *
 * Its role starts empty (no managed policy): it may write its own log group, and the stack adds the
 * least-privilege S3 and SQS statements.
 */
export class AugmentWorkerFunction extends LambdaFunction {
  /** vCPUs the worker gets from its memory. */
  public readonly vcpus: number;

  constructor(scope: Construct, id: string, props: AugmentWorkerFunctionProps = {}) {
    const memorySize = props.memorySize ?? INFRA_DEFAULTS.memorySize;
    const sizing = workerSizing(memorySize, props.imageConcurrency);
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? INFRA_DEFAULTS.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'AugMix worker: writes its log group; S3 and SQS grants are added by the stack',
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );

    super(scope, id, {
      description:
        props.description ?? 'AugMix worker: S3 ObjectCreated events from SQS in, AugMix variants out',
      handler: props.handler ?? 'index.handler',
      code: props.code ?? workerCode(),
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize,
      timeout: props.timeout ?? Duration.seconds(INFRA_DEFAULTS.timeoutSeconds),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      recursiveLoop: RecursiveLoop.TERMINATE,
      environment: {
        UV_THREADPOOL_SIZE: String(sizing.uvThreadpoolSize),
        VIPS_CONCURRENCY: String(sizing.vipsConcurrency),
        [envVariable('imageConcurrency')]: String(sizing.imageConcurrency),
        // glibc malloc arenas: sharp's docs recommend 2 on Linux without jemalloc (Lambda) against fragmentation.
        MALLOC_ARENA_MAX: '2',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });
    this.vcpus = sizing.vcpus;
  }
}
