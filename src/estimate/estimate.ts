import type { Prices } from './prices.js';

/** Lambda's documented ratio: one full vCPU per 1,769 MB of memory; at most 6 vCPUs (10,240 MB). */
export const MB_PER_VCPU = 1769;
const MAX_VCPUS = 6;

/**
 * Modelling constants that are assumptions, not measurements; every one is printed with the estimate.
 * `ioMsPerImage` is the wall time per image NOT hidden behind computation (the batch worker reads ahead).
 */
export const MODEL_ASSUMPTIONS = {
  /** Cold start (INIT, billed since 2025-08-01) per execution environment, seconds. */
  initSeconds: 1,
  /** Fixed time per invocation besides the images (handler set-up, the shard's PutObject), seconds. */
  invocationOverheadSeconds: 0.3,
  /** Not-overlapped I/O per image, ms. */
  ioMsPerImage: 0,
  /** Step Functions transitions per child: the Map's charge for starting it, its Task, its end. */
  transitionsPerChild: 3,
  /** Transitions of the parent execution (Choice, Map, finalize, end). */
  transitionsPerRun: 5,
  /** PUTs per shard: the .tar and its index. */
  putsPerShard: 2,
  /** Objects written once per run: the dataset manifest, its wids index and the Map Run's result files. */
  putsPerRun: 4,
  /** Log bytes per image (one JSON line) and per invocation (START, END, REPORT). */
  logBytesPerImage: 200,
  logBytesPerInvocation: 400,
  /** Log bytes per child execution at level ALL without execution data (about 7 events). */
  logBytesPerChild: 2500,
  /** Keys per ListObjectsV2 page. */
  keysPerListPage: 1000,
  /** Lambda scales a function by 1,000 environments per 10 s. */
  rampSecondsPer1000: 10,
  /** The queue path: SQS event source scale-up, concurrent invocations per minute. */
  sqsRampPerMinute: 300,
  /** The queue path: messages per batch, memory of the event worker (MB). */
  queueBatchSize: 10,
  queueMemoryMb: 3008,
  /** S3's documented PUT rate per partitioned prefix. */
  putsPerSecondPerPrefix: 3500,
} as const;

export type Assumptions = { -readonly [K in keyof typeof MODEL_ASSUMPTIONS]: number };

/** What the estimate is for. */
export interface EstimateInput {
  readonly images: number;
  readonly meanBytes: number;
  readonly meanPixels: number;
  /** Images written per input image (K, or 2K + 1 in JSD mode). */
  readonly outputsPerImage: number;
  /**
   * PUT-class requests per input with one object per output: what the event path makes (each output image, the
   * input's provenance document, one DeleteObjects POST: K + 2, or 2K + 3 in JSD mode).
   */
  readonly objectPutsPerImage: number;
  /** Mean bytes of one output image (the input's size when re-encoded at the same size and format). */
  readonly meanOutputBytes: number;
  /** CPU ms per input image on one Lambda vCPU. */
  readonly cpuMsPerImage: number;
  /** Amdahl serial fraction of a worker using several vCPUs (from the measured two-worker speed-up). */
  readonly serialFraction: number;
  readonly concurrency: number;
  readonly itemsPerBatch: number;
  /** Memory of the batch worker, MB. */
  readonly memoryMb: number;
  readonly prices: Prices;
  readonly assumptions?: Partial<Assumptions>;
}

/** The three ways to augment a dataset already in S3. */
export type EstimatePath = 'shards' | 'objects' | 'queue';

export const PATH_TITLES: Record<EstimatePath, string> = {
  shards: 'state machine, shards',
  objects: 'state machine, objects',
  queue: 'queue (enqueue), objects',
};

/** The counts and dollars of one path. */
export interface PathEstimate {
  readonly path: EstimatePath;
  readonly invocations: number;
  readonly lambdaGbSeconds: number;
  readonly s3Get: number;
  readonly s3Put: number;
  readonly s3List: number;
  readonly sfnTransitions: number;
  readonly sqsRequests: number;
  readonly logGb: number;
  readonly xrayTraces: number;
  readonly dollars: {
    readonly lambda: number;
    readonly s3: number;
    readonly stepFunctions: number;
    readonly sqs: number;
    readonly logs: number;
    readonly xray: number;
    readonly total: number;
  };
  readonly dollarsPerTb: number;
  readonly wallSeconds: number;
  /** The same run at 1,000-way concurrency. */
  readonly wallSecondsAt1000: number;
  /** Average S3 PUT requests per second during the run. */
  readonly putsPerSecond: number;
}

/** vCPUs of a function with `memoryMb` (fractional below 1,769 MB). */
export function vcpusOf(memoryMb: number): number {
  return Math.min(MAX_VCPUS, memoryMb / MB_PER_VCPU);
}

/** How many times faster than one vCPU a worker with `vcpus` runs (a share of one core below 1). */
export function speedOf(vcpus: number, serialFraction: number): number {
  return vcpus <= 1 ? vcpus : 1 / (serialFraction + (1 - serialFraction) / vcpus);
}

/** Wall seconds per image on a function of `memoryMb`. */
export function secondsPerImage(
  cpuMs: number,
  memoryMb: number,
  serialFraction: number,
  ioMs: number,
): number {
  return (cpuMs / speedOf(vcpusOf(memoryMb), serialFraction) + ioMs) / 1000;
}

/**
 * The memory size with the lowest Lambda cost per image: GB × seconds per image, scanned over every MB from
 * `floorMb` (what a batch needs in memory) to 10,240. Below 1,769 MB the function gets that share of one vCPU,
 * so an image costs the same GB-seconds (CPU time × 1,769 MB) whatever the memory; above it the extra vCPUs
 * speed up by less than their number (Amdahl with the measured serial fraction), so an image costs more. Of
 * the sizes that cost the least (within one part in a million), the largest is chosen: the fastest at that
 * price.
 */
export function cheapestMemory(options: {
  cpuMsPerImage: number;
  serialFraction: number;
  ioMsPerImage: number;
  floorMb: number;
}): { memoryMb: number; gbSecondsPerImage: number } {
  const floor = Math.max(128, Math.min(10240, Math.ceil(options.floorMb)));
  const costOf = (mb: number) =>
    (mb / 1024) * secondsPerImage(options.cpuMsPerImage, mb, options.serialFraction, options.ioMsPerImage);
  let best = Number.POSITIVE_INFINITY;
  for (let mb = floor; mb <= 10240; mb++) best = Math.min(best, costOf(mb));
  let chosen = floor;
  for (let mb = floor; mb <= 10240; mb++) if (costOf(mb) <= best * (1 + 1e-6)) chosen = mb;
  return { memoryMb: chosen, gbSecondsPerImage: costOf(chosen) };
}

/** Memory (MB) a batch needs: the runtime and decoders, plus the shard assembled in memory twice over. */
export function batchMemoryFloorMb(
  itemsPerBatch: number,
  outputsPerImage: number,
  meanOutputBytes: number,
): number {
  const shardMb = (itemsPerBatch * outputsPerImage * (meanOutputBytes + 1024)) / 2 ** 20;
  return 320 + 2 * shardMb;
}

/** Estimates the three paths for one dataset. */
export function estimate(input: EstimateInput): PathEstimate[] {
  return (['shards', 'objects', 'queue'] as const).map((path) => estimatePath(path, input));
}

function estimatePath(path: EstimatePath, input: EstimateInput): PathEstimate {
  const a: Assumptions = { ...MODEL_ASSUMPTIONS, ...input.assumptions };
  const { images: n, prices: p } = input;
  const queue = path === 'queue';
  const memoryMb = queue ? a.queueMemoryMb : input.memoryMb;
  const perBatch = queue ? a.queueBatchSize : input.itemsPerBatch;
  const batches = Math.ceil(n / perBatch);
  const invocations = batches + (queue ? 0 : 1);
  const imageSeconds = secondsPerImage(input.cpuMsPerImage, memoryMb, input.serialFraction, a.ioMsPerImage);
  const environments = Math.min(input.concurrency, batches);
  const gb = memoryMb / 1024;
  const lambdaGbSeconds =
    gb * (n * imageSeconds + invocations * a.invocationOverheadSeconds + environments * a.initSeconds);

  const listPages = Math.ceil(n / a.keysPerListPage);
  const s3Get = n + (path === 'shards' ? batches : 0);
  const s3Put =
    path === 'shards'
      ? batches * a.putsPerShard + a.putsPerRun
      : n * input.objectPutsPerImage + (queue ? 0 : a.putsPerRun);
  const s3List = listPages + (path === 'shards' ? Math.ceil(batches / a.keysPerListPage) : 0);
  const sfnTransitions = queue ? 0 : batches * a.transitionsPerChild + a.transitionsPerRun;
  // Queue path: SendMessageBatch (10 a call) from the enqueue, one receive per batch, DeleteMessageBatch.
  const sqsRequests = queue ? Math.ceil(n / 10) + batches + batches : 0;
  const logBytes =
    n * a.logBytesPerImage +
    invocations * a.logBytesPerInvocation +
    (queue ? 0 : batches * a.logBytesPerChild);
  const logGb = logBytes / 1e9;
  const xrayTraces = queue ? 0 : batches + 1;

  const lambda = lambdaGbSeconds * p.lambdaArmGbSecond + invocations * p.lambdaRequest;
  const s3 = (s3Put + s3List) * p.s3Tier1Request + s3Get * p.s3Tier2Request;
  const stepFunctions = sfnTransitions * p.sfnStateTransition;
  const sqs = sqsRequests * p.sqsRequest;
  const logs = logGb * p.logsIngestGb;
  const xray = xrayTraces * p.xrayTrace;
  const total = lambda + s3 + stepFunctions + sqs + logs + xray;
  const terabytes = (n * input.meanBytes) / 1e12;

  const wallAt = (concurrency: number): number => {
    const childSeconds = perBatch * imageSeconds + a.invocationOverheadSeconds;
    if (queue) {
      const ramp = (concurrency / a.sqsRampPerMinute) * 60;
      return (n * imageSeconds) / concurrency + ramp / 2 + childSeconds;
    }
    const waves = Math.ceil(batches / Math.min(concurrency, batches));
    const lastBatch = n - (batches - 1) * perBatch;
    const ramp = (Math.min(concurrency, batches) / 1000) * a.rampSecondsPer1000;
    return (
      (waves - 1) * childSeconds +
      (batches === 1 ? lastBatch * imageSeconds : childSeconds) +
      ramp +
      a.initSeconds
    );
  };
  const wallSeconds = wallAt(input.concurrency);
  return {
    path,
    invocations,
    lambdaGbSeconds,
    s3Get,
    s3Put,
    s3List,
    sfnTransitions,
    sqsRequests,
    logGb,
    xrayTraces,
    dollars: { lambda, s3, stepFunctions, sqs, logs, xray, total },
    dollarsPerTb: terabytes > 0 ? total / terabytes : 0,
    wallSeconds,
    wallSecondsAt1000: wallAt(1000),
    putsPerSecond: s3Put / wallSeconds,
  };
}
