import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  RecursiveLoop,
  SystemLogLevel,
} from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { envVariable } from '../src/settings/table.js';
import { INFRA_DEFAULTS } from './defaults.js';
import { LAMBDA_ESBUILD_TARGET, LAMBDA_RUNTIME } from './lambda-runtime.js';
import { workerSizing } from './worker-sizing.js';

/** The repository root: the nearest folder above this file that holds `package-lock.json`. */
export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** The worker's handler module (engineer E's), exporting `handler`. */
export const WORKER_ENTRY = join(PROJECT_ROOT, 'lambda', 'augment-worker.ts');

/**
 * npm's platform settings for installing `nodeModules` into the asset: sharp's optional `@img/*` packages are
 * picked for Lambda's linux-arm64 glibc, whatever machine bundles.
 */
export const ARM64_NPM_ENVIRONMENT = {
  npm_config_os: 'linux',
  npm_config_cpu: 'arm64',
  npm_config_libc: 'glibc',
} as const;

/**
 * The ESM bundle's banner: CommonJS dependencies bundled into ESM call `require` for Node built-ins, which
 * ESM lacks. The import is aliased so it cannot clash with a bundled module's own names.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __augmixCreateRequire } from 'node:module'; " +
  'const require = __augmixCreateRequire(import.meta.url);';

/** Options of the worker function. */
export interface AugmentWorkerFunctionProps {
  /** Memory in MB (decides the vCPUs). @default 3008 */
  readonly memorySize?: number;
  /** @default 120 seconds */
  readonly timeout?: Duration;
  /** Environment of the worker (the contract in the team brief), merged over the sizing variables. */
  readonly environment?: Record<string, string>;
  /** Images at once in a batch. @default the vCPUs */
  readonly imageConcurrency?: number;
  /** Retention of the worker's log group. @default 30 days */
  readonly logRetention?: RetentionDays;
  /** The handler module. @default WORKER_ENTRY */
  readonly entry?: string;
}

/**
 * The project's one Lambda function class: the AugMix worker on arm64 with the Node.js runtime of
 * `lambda-runtime.ts`, memory sized for CPU and sharp's thread pools matched to its vCPUs, JSON logs in its
 * own log group, and an ESM bundle made by the pinned esbuild — never Docker. sharp stays external and is
 * installed into the asset for linux-arm64 (npm's `npm_config_os/cpu/libc`), and the copied lock file and
 * `.bin` links are removed so the asset is reproducible and symlink-free (Lambda zips cannot hold symlinks).
 *
 * Its role starts empty (no managed policy): it may write its own log group, and the stack adds the
 * least-privilege S3 and SQS statements.
 */
export class AugmentWorkerFunction extends NodejsFunction {
  /** vCPUs the worker gets from its memory. */
  public readonly vcpus: number;

  constructor(scope: Construct, id: string, props: AugmentWorkerFunctionProps = {}) {
    assertEsbuildInstalled(scope);
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
      description: 'AugMix worker: S3 ObjectCreated events from SQS in, AugMix variants out',
      entry: props.entry ?? WORKER_ENTRY,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
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
      bundling: workerBundling(),
    });
    this.vcpus = sizing.vcpus;
  }
}

/** esbuild and npm options of the worker asset (exported for the bundling test's documentation). */
export function workerBundling(): BundlingOptions {
  return {
    forceDockerBundling: false,
    format: OutputFormat.ESM,
    target: LAMBDA_ESBUILD_TARGET,
    mainFields: ['module', 'main'],
    banner: ESM_REQUIRE_BANNER,
    // Pin the SDK the code was tested with instead of the runtime's copy (and let the asset run anywhere).
    bundleAwsSDK: true,
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    nodeModules: ['sharp'],
    environment: { ...ARM64_NPM_ENVIRONMENT },
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir: string, outputDir: string) => [
        `rm -rf "${outputDir}/package-lock.json" "${outputDir}/node_modules/.package-lock.json" "${outputDir}/node_modules/.bin"`,
      ],
    },
  };
}

/**
 * Fails synth with a clear message when the worker must be bundled but the pinned esbuild is missing,
 * instead of letting CDK fall back to Docker bundling (not available, and not how the asset is built).
 */
function assertEsbuildInstalled(scope: Construct): void {
  if (!Stack.of(scope).bundlingRequired) return;
  try {
    createRequire(join(PROJECT_ROOT, 'package.json')).resolve('esbuild/package.json');
  } catch {
    throw new Error(
      'The AugMix worker is bundled with esbuild, a pinned devDependency that is not installed: run `npm ci` ' +
        '(Docker bundling is deliberately not used).',
    );
  }
}

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package-lock.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package-lock.json above ${start}`);
  }
}
