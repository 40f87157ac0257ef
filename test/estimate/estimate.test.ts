import { describe, expect, it } from 'vitest';
import {
  BENCH_POINTS,
  benchMsPerVariant,
  DEFAULT_ARM64_FACTOR,
  serialFraction,
  twoWorkerSpeedup,
} from '../../src/estimate/cpu-model.js';
import {
  batchMemoryFloorMb,
  cheapestMemory,
  type EstimateInput,
  estimate,
  secondsPerImage,
} from '../../src/estimate/estimate.js';
import { DEFAULT_PRICES, withPriceOverrides } from '../../src/estimate/prices.js';

/** The dataset: 1 TB of ImageNet-like JPEGs, 9 M images of ~110 kB (500x375 px), K = 4. */
function terabyteInput(overrides: Partial<EstimateInput> = {}): EstimateInput {
  const meanPixels = 500 * 375;
  return {
    images: 9_000_000,
    meanBytes: 110_000,
    meanPixels,
    outputsPerImage: 4,
    objectPutsPerImage: 6,
    meanOutputBytes: 110_000,
    cpuMsPerImage: benchMsPerVariant(meanPixels) * 4 * DEFAULT_ARM64_FACTOR,
    serialFraction: serialFraction(twoWorkerSpeedup(meanPixels)),
    concurrency: 1000,
    itemsPerBatch: 1000,
    memoryMb: 1769,
    prices: DEFAULT_PRICES,
    ...overrides,
  };
}

describe('the CPU model', () => {
  it('passes through the bench points and grows with pixels', () => {
    for (const point of BENCH_POINTS)
      expect(benchMsPerVariant(point.pixels)).toBeCloseTo(point.msPerVariant, 9);
    expect(benchMsPerVariant(500 * 375)).toBeGreaterThan(benchMsPerVariant(224 * 224));
    expect(benchMsPerVariant(500 * 375)).toBeLessThan(benchMsPerVariant(2048 * 1536));
  });

  it('interpolates the two-worker speed-up between the measured sizes (1 worker = serial fraction 1)', () => {
    const s = twoWorkerSpeedup(500 * 375);
    expect(s).toBeGreaterThan(1.54);
    expect(s).toBeLessThan(1.83);
    expect(serialFraction(2)).toBe(0);
    expect(serialFraction(1)).toBe(1);
  });
});

describe('estimate for 1 TB / 9 M images / K = 4 (the issue\u2019s targets)', () => {
  const [shards, objects, queue] = estimate(terabyteInput());

  it('shards at 1,000-way concurrency: at most 15 minutes and $20', () => {
    expect(shards!.path).toBe('shards');
    expect(shards!.wallSeconds).toBeLessThanOrEqual(15 * 60);
    expect(shards!.dollars.total).toBeLessThanOrEqual(20);
  });

  it('shards make at least 100x fewer PUT requests than one object per variant', () => {
    expect(objects!.s3Put / shards!.s3Put).toBeGreaterThanOrEqual(100);
    expect(objects!.s3Put).toBe(9_000_000 * 6 + 4);
    expect(queue!.s3Put).toBe(9_000_000 * 6);
  });

  it('adds up its dollars and counts from the unit prices', () => {
    const p = DEFAULT_PRICES;
    const d = shards!.dollars;
    expect(d.total).toBeCloseTo(d.lambda + d.s3 + d.stepFunctions + d.sqs + d.logs + d.xray, 9);
    expect(d.s3).toBeCloseTo(
      (shards!.s3Put + shards!.s3List) * p.s3Tier1Request + shards!.s3Get * p.s3Tier2Request,
      9,
    );
    expect(shards!.invocations).toBe(9000 + 1);
    expect(shards!.s3List).toBe(9000 + 9);
    expect(shards!.sqsRequests).toBe(0);
    expect(queue!.sfnTransitions).toBe(0);
    expect(queue!.sqsRequests).toBe(900_000 * 3);
  });

  it('at 100-way concurrency takes about ten times longer for the same money', () => {
    const [slow] = estimate(terabyteInput({ concurrency: 100 }));
    expect(slow!.wallSeconds / shards!.wallSeconds).toBeGreaterThan(8);
    expect(slow!.wallSecondsAt1000).toBeCloseTo(shards!.wallSeconds, 6);
    expect(slow!.dollars.total / shards!.dollars.total).toBeGreaterThan(0.98);
    expect(slow!.dollars.total / shards!.dollars.total).toBeLessThan(1.02);
  });

  it('scales linearly with the number of images', () => {
    const [half] = estimate(terabyteInput({ images: 4_500_000 }));
    expect(shards!.lambdaGbSeconds / half!.lambdaGbSeconds).toBeCloseTo(2, 1);
    expect(shards!.s3Get / half!.s3Get).toBeCloseTo(2, 3);
  });
});

describe('cheapestMemory', () => {
  const model = { cpuMsPerImage: 45, serialFraction: 0.2, ioMsPerImage: 0, floorMb: 1200 };

  it('is one vCPU (1,769 MB) when CPU is all that is billed: flat below, dearer above', () => {
    const { memoryMb, gbSecondsPerImage } = cheapestMemory(model);
    expect(memoryMb).toBe(1769);
    const at = (mb: number) => (mb / 1024) * secondsPerImage(45, mb, 0.2, 0);
    expect(at(1200)).toBeCloseTo(gbSecondsPerImage, 9);
    expect(at(3538)).toBeGreaterThan(gbSecondsPerImage * 1.05);
  });

  it('is the memory floor when waiting on I/O is billed too', () => {
    expect(cheapestMemory({ ...model, ioMsPerImage: 10 }).memoryMb).toBe(1200);
  });

  it('never goes below what a batch needs: the shard is held in memory', () => {
    const floor = batchMemoryFloorMb(1000, 4, 1_000_000);
    expect(floor).toBeGreaterThan(7000);
    expect(cheapestMemory({ ...model, floorMb: floor }).memoryMb).toBe(Math.ceil(floor));
  });
});

describe('withPriceOverrides', () => {
  it('replaces the given prices and keeps the others', () => {
    const prices = withPriceOverrides({ s3Tier1Request: 0.000006, region: 'eu-west-1' });
    expect(prices.s3Tier1Request).toBe(0.000006);
    expect(prices.region).toBe('eu-west-1');
    expect(prices.lambdaRequest).toBe(DEFAULT_PRICES.lambdaRequest);
  });

  it('reports every unknown key and bad value at once', () => {
    expect(() => withPriceOverrides({ s3Put: 1, lambdaRequest: -1, date: 5 }, 'p.json')).toThrow(
      /p\.json: unknown price "s3Put".*lambdaRequest.*-1.*date/,
    );
    expect(() => withPriceOverrides([1])).toThrow(TypeError);
  });
});
