/**
 * `augmix dev`: the bucket pipeline on one machine. One loopback endpoint serves the S3 API (s3rver, files
 * in the data directory) and the SQS API (local-aws-sqs, in memory); the input bucket notifies the work
 * queue; an event source mapping polls it and invokes the worker's own handler (`lambda/augment-worker.ts`)
 * in Lambda-like execution environments, with the environment, timeout, batch settings, visibility timeout
 * and redrive policy that the stack gives the deployed function (`lib/stack-worker.ts`, read by the CLI and passed in).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { StackWorker } from '../../../lib/stack-worker.js';
import { EventSourceMapping } from './event-source-mapping.js';
import { type FaultProxy, seededRandom, startFaultProxy } from './fault-proxy.js';
import { FunctionInstance } from './function-runner.js';
import { S3RVER_CREDENTIALS, startS3Front } from './s3-front.js';
import { S3Notifier } from './s3-notifier.js';

/** Region `augmix dev` reports; the local servers accept any. */
export const DEV_REGION = 'us-east-1';
/** Account id in the local queue URLs and ARNs. */
export const DEV_ACCOUNT = '000000000000';
export const DEV_QUEUE_NAMES = { queue: 'augmix-work', deadLetterQueue: 'augmix-work-dlq' } as const;
/** File in the data directory that holds the ready line's object while `augmix dev` runs. */
export const DEV_INFO_FILE = 'dev.json';

export interface DevOptions {
  /** Port of the one endpoint on 127.0.0.1 (0 = any free port). */
  readonly port: number;
  readonly dataDir: string;
  /** The worker as the stack defines it (`readStackWorker`). */
  readonly worker: StackWorker;
  /** Concurrent invocations (each its own process). @default min(2, the mapping's maximum concurrency) */
  readonly concurrency?: number;
  /** Overrides the queue's visibility timeout (the stack's is 6x the function timeout). */
  readonly visibilityTimeoutSeconds?: number;
  readonly faults?: Partial<DevFaults>;
  readonly handlerModule: string;
  readonly log: (line: string) => void;
}

/** Fault injection, all off by default. */
export interface DevFaults {
  /** Share of the function's S3 requests answered 503 SlowDown, 500 or a reset. */
  readonly rate: number;
  readonly seed: number;
  /** The N invocations after the killed ones find every read of an input held `stallMs` (they time out). */
  readonly stallInvocations: number;
  /** How long those reads are held; `null` = never answered. */
  readonly stallMs: number | null;
  /** The first N invocations are killed mid-batch, after `killAfterPuts` S3 PUT responses. */
  readonly killInvocations: number;
  readonly killAfterPuts: number;
  /** Share of notifications delivered twice. */
  readonly duplicateRate: number;
}

/** What the ready line says (a script's connection details). */
export interface DevInfo {
  readonly endpoint: string;
  readonly region: string;
  readonly inputBucket: string;
  readonly outputBucket: string;
  readonly inputPrefix: string;
  readonly outputPrefix: string;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The `variants` setting the worker runs with. */
  readonly variants: number;
  readonly functionTimeoutSeconds: number;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  readonly concurrency: number;
  readonly dataDir: string;
  readonly pid: number;
}

export interface DevServer {
  readonly info: DevInfo;
  readonly worker: StackWorker;
  /** Counters: invocations, outcomes, faults, notifications, peak memory. */
  stats(): Record<string, unknown>;
  close(): Promise<void>;
}

export async function startDevServer(options: DevOptions): Promise<DevServer> {
  const { log } = options;
  const { worker } = options;
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const buckets = [...new Set([worker.inputBucket, worker.outputBucket])];
  const s3 = await startS3Front({ directory: path.join(dataDir, 's3'), buckets });

  const sqsService = await loadSqsHandler(options.port);
  const front = http.createServer((req, res) => {
    if (isSqsRequest(req)) void sqsService.handle(req, res);
    else s3.handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = front.address() as AddressInfo;
  sqsService.setPort(port);
  const endpoint = `http://127.0.0.1:${port}`;

  const sqs = new SQSClient({
    region: DEV_REGION,
    endpoint,
    credentials: {
      accessKeyId: S3RVER_CREDENTIALS.accessKeyId,
      secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey,
    },
  });
  const visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? worker.visibilityTimeoutSeconds;
  const { QueueUrl: dlqUrl = '' } = await sqs.send(
    new CreateQueueCommand({
      QueueName: DEV_QUEUE_NAMES.deadLetterQueue,
      Attributes: { MessageRetentionPeriod: String(worker.dlqMessageRetentionSeconds) },
    }),
  );
  const dlqArn = await queueArn(sqs, dlqUrl);
  const { QueueUrl: queueUrl = '' } = await sqs.send(
    new CreateQueueCommand({
      QueueName: DEV_QUEUE_NAMES.queue,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(worker.messageRetentionSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: worker.maxReceiveCount,
        }),
      },
    }),
  );
  const workQueueArn = await queueArn(sqs, queueUrl);

  const faults: DevFaults = {
    rate: 0,
    seed: 1,
    stallInvocations: 0,
    stallMs: null,
    killInvocations: 0,
    killAfterPuts: 1,
    duplicateRate: 0,
    ...options.faults,
  };
  const random = seededRandom(faults.seed);
  let faultProxy: FaultProxy | null = null;
  if (faults.rate > 0 || faults.stallInvocations > 0) {
    faultProxy = await startFaultProxy(endpoint, {
      rate: faults.rate,
      random,
      inputBucket: worker.inputBucket,
      stallMs: faults.stallMs,
      log: (line) => log(line),
    });
  }

  const notifier = new S3Notifier({
    sqs,
    queueUrl,
    region: DEV_REGION,
    bucket: worker.inputBucket,
    filters: worker.notificationFilters,
    currentETag: (bucket, key) => s3.currentETag(bucket, key),
    duplicateRate: faults.duplicateRate,
    random,
    log,
  });
  s3.onRecord((record, kind) => notifier.onRecord(record, kind));
  await notifier.sendTestEvent();

  const functionName = 'augmix-dev-worker';
  const environment = functionEnvironment(worker, faultProxy?.endpoint ?? endpoint, functionName);
  const concurrency = Math.max(1, options.concurrency ?? Math.min(2, worker.maxConcurrency));
  const instances = Array.from(
    { length: concurrency },
    () =>
      new FunctionInstance(
        {
          handlerModule: options.handlerModule,
          environment,
          timeoutSeconds: worker.timeoutSeconds,
          memorySize: worker.memorySize,
          functionName,
          region: DEV_REGION,
        },
        (line, stream) => log(formatFunctionLog(line, stream)),
      ),
  );
  const mapping = new EventSourceMapping({
    sqs,
    queueUrl,
    queueArn: workQueueArn,
    region: DEV_REGION,
    batchSize: worker.batchSize,
    maxBatchingWindowSeconds: worker.maxBatchingWindowSeconds,
    reportBatchItemFailures: worker.reportBatchItemFailures,
    instances,
    killInvocations: faults.killInvocations,
    killAfterPuts: faults.killAfterPuts,
    stallInvocations: faults.stallInvocations,
    setStall: (active) => {
      if (faultProxy !== null) faultProxy.stallInputGets = active;
    },
    log,
  });
  mapping.start();

  const info: DevInfo = {
    endpoint,
    region: DEV_REGION,
    inputBucket: worker.inputBucket,
    outputBucket: worker.outputBucket,
    inputPrefix: worker.environment.INPUT_PREFIX ?? '',
    outputPrefix: worker.environment.OUTPUT_PREFIX ?? '',
    queueUrl,
    dlqUrl,
    accessKeyId: S3RVER_CREDENTIALS.accessKeyId,
    secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey,
    variants: variantsOf(worker),
    functionTimeoutSeconds: worker.timeoutSeconds,
    batchSize: worker.batchSize,
    maxBatchingWindowSeconds: worker.maxBatchingWindowSeconds,
    visibilityTimeoutSeconds,
    maxReceiveCount: worker.maxReceiveCount,
    concurrency,
    dataDir,
    pid: process.pid,
  };
  const infoFile = path.join(dataDir, DEV_INFO_FILE);
  writeFileSync(infoFile, `${JSON.stringify(info, null, 2)}\n`);

  return {
    info,
    worker,
    stats: () => ({
      ...mapping.stats,
      notifications: notifier.sent,
      faults: faultProxy?.counts ?? null,
      coldStarts: instances.reduce((sum, i) => sum + i.coldStarts, 0),
      peakRssBytes: {
        server: process.resourceUsage().maxRSS * 1024,
        functionMax: Math.max(...instances.map((i) => i.peakRssBytes)),
        functionSum: instances.reduce((sum, i) => sum + i.peakRssBytes, 0),
      },
    }),
    async close() {
      rmSync(infoFile, { force: true });
      await mapping.close();
      await notifier.settled();
      await faultProxy?.close();
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await s3.close();
      sqs.destroy();
    },
  };
}

/**
 * The function's environment: the stack's variables, then what the Lambda runtime adds, then the local
 * endpoints (the S3 endpoint overrides the worker reads through the SDK's own variables).
 */
export function functionEnvironment(
  worker: StackWorker,
  s3Endpoint: string,
  functionName: string,
): Record<string, string> {
  const inherited: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'TZ']) {
    const value = process.env[name];
    if (value !== undefined) inherited[name] = value;
  }
  return {
    ...inherited,
    ...worker.environment,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(worker.memorySize),
    AWS_LAMBDA_LOG_FORMAT: 'JSON',
    AWS_LAMBDA_LOG_LEVEL: 'INFO',
    AWS_REGION: DEV_REGION,
    AWS_DEFAULT_REGION: DEV_REGION,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3Endpoint,
    AUGMIX_S3_FORCE_PATH_STYLE: 'true',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

function variantsOf(worker: StackWorker): number {
  const settings = JSON.parse(worker.environment.AUGMIX_SETTINGS ?? '{}') as { variants?: number };
  return settings.variants ?? 4;
}

/**
 * SQS-API requests: the JSON protocol's `X-Amz-Target`, or a query-protocol form POST (`Action=…` in the body)
 * without a query string (S3's POSTs all have one: `?uploads`, `?uploadId=`, `?delete`; its browser uploads
 * are multipart/form-data).
 */
function isSqsRequest(req: http.IncomingMessage): boolean {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.startsWith('AmazonSQS.');
  const type = req.headers['content-type'] ?? '';
  return (
    req.method === 'POST' &&
    type.startsWith('application/x-www-form-urlencoded') &&
    !(req.url ?? '').includes('?')
  );
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  if (Attributes.QueueArn === undefined) throw new Error(`queue ${queueUrl} has no QueueArn`);
  return Attributes.QueueArn;
}

interface SqsService {
  handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
  setPort(port: number): void;
}

/** local-aws-sqs's request handler, mounted on the shared endpoint; queue URLs name that endpoint. */
async function loadSqsHandler(port: number): Promise<SqsService> {
  let module: typeof import('local-aws-sqs');
  try {
    module = await import('local-aws-sqs');
  } catch (error) {
    throw new Error('augmix dev needs the local-aws-sqs package, which is not installed: run `npm ci`', {
      cause: error,
    });
  }
  const { requestHandler, service } = module.createRequestHandler({
    port,
    hostname: '127.0.0.1',
    region: DEV_REGION,
    accountId: DEV_ACCOUNT,
    emulateQueueCreationLifecycle: false,
  });
  return {
    handle: requestHandler,
    setPort(actual) {
      (service as unknown as { PORT: number }).PORT = actual;
    },
  };
}

/** One line of the function's output, made readable: Powertools' JSON logs as `level message key=value`. */
export function formatFunctionLog(line: string, stream: 'stdout' | 'stderr'): string {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `worker ${stream === 'stderr' ? '!' : '|'} ${line}`;
  }
  if (json._aws !== undefined) return ''; // an embedded-metric-format line
  const {
    level,
    message,
    timestamp,
    service,
    cold_start,
    function_name,
    function_arn,
    function_memory_size,
    function_request_id,
    sampling_rate,
    xray_trace_id,
    ...rest
  } = json;
  const fields = Object.entries(rest)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `worker ${String(level ?? 'INFO').padEnd(5)} ${String(message ?? '')}${fields === '' ? '' : ` ${fields}`}`;
}
