/**
 * Statistical checks of the sampler against the official procedure. Every draw comes from fixed seeds, so the
 * outcomes are deterministic and these tests cannot flake; the bounds are still set generously (chi-square
 * limits far beyond p = 1e-6, several standard errors for means) so that they test the distributions, not
 * the particular seeds.
 */
import { describe, expect, it } from 'vitest';
import { sampleLevel } from '../../src/augmix/levels.js';
import { ALL_OPS, DEFAULT_OPS, type OpName } from '../../src/augmix/op-names.js';
import { LegacyRandomState } from '../../src/augmix/random/index.js';
import type { OpStep } from '../../src/augmix/record.js';
import { sampleRecord } from '../../src/augmix/sample.js';

/** Pearson's chi-square statistic of observed counts against equal expected counts. */
function chiSquareUniform(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function variance(values: readonly number[]): number {
  const mu = mean(values);
  return values.reduce((a, b) => a + (b - mu) ** 2, 0) / (values.length - 1);
}

/** Steps of records drawn from one stream until at least `count` steps are collected. */
function drawSteps(seed: number, allOps: boolean, count: number, severity = 3): OpStep[] {
  const rng = new LegacyRandomState(seed);
  const steps: OpStep[] = [];
  while (steps.length < count) {
    for (const chain of sampleRecord(rng, { allOps, severity }, { width: 224, height: 224 }).chains)
      steps.push(...chain);
  }
  return steps;
}

describe('op choice', () => {
  it.each([
    [false, DEFAULT_OPS, 60],
    [true, ALL_OPS, 75],
  ] as const)('allOps %s: uniform over the op list, with replacement (chi-square)', (allOps, ops, limit) => {
    // limits: 9 ops (8 df) p=1e-6 is ~ 42; 13 ops (12 df) ~ 51
    const steps = drawSteps(allOps ? 2 : 1, allOps, 20_000);
    const counts = ops.map((op: OpName) => steps.filter((s) => s.op === op).length);
    expect(counts.every((c) => c > 0)).toBe(true);
    expect(steps.every((s) => (ops as readonly string[]).includes(s.op))).toBe(true);
    expect(chiSquareUniform(counts)).toBeLessThan(limit);
  });

  it('repeats ops within a chain as often as drawing with replacement predicts', () => {
    const rng = new LegacyRandomState(3);
    let pairs = 0;
    let repeats = 0;
    for (let i = 0; i < 4000; i++) {
      for (const chain of sampleRecord(rng, { depth: 2 }, { width: 32, height: 32 }).chains) {
        pairs++;
        if (chain[0]!.op === chain[1]!.op) repeats++;
      }
    }
    // P(same op twice) = 1/9
    expect(repeats / pairs).toBeGreaterThan(1 / 9 - 0.015);
    expect(repeats / pairs).toBeLessThan(1 / 9 + 0.015);
  });
});

describe('depth', () => {
  it('depth -1 is uniform on {1, 2, 3}, drawn per chain (chi-square)', () => {
    const rng = new LegacyRandomState(4);
    const counts = [0, 0, 0];
    let mixedRecords = 0;
    for (let i = 0; i < 7000; i++) {
      const { chains } = sampleRecord(rng, {}, { width: 32, height: 32 });
      for (const chain of chains) counts[chain.length - 1]!++;
      if (new Set(chains.map((c) => c.length)).size > 1) mixedRecords++;
    }
    expect(counts.reduce((a, b) => a + b, 0)).toBe(21_000);
    expect(chiSquareUniform(counts)).toBeLessThan(30); // 2 df: p = 1e-6 is ~ 27.6
    // depths differ between the chains of one record: P(all equal) = 1/9
    expect(mixedRecords / 7000).toBeGreaterThan(0.85);
  });
});

describe('signs and levels', () => {
  it('signed ops are negative about half of the time', () => {
    const steps = drawSteps(5, false, 40_000, 10);
    for (const op of ['rotate', 'shear_x', 'shear_y', 'translate_x', 'translate_y'] as const) {
      const values = steps.filter((s) => s.op === op && s.value !== 0).map((s) => s.value as number);
      expect(values.length, op).toBeGreaterThan(3000);
      const negative = values.filter((v) => v < 0).length / values.length;
      expect(negative, op).toBeGreaterThan(0.47);
      expect(negative, op).toBeLessThan(0.53);
    }
  });

  it.each([1, 3, 10])(
    'levels are uniform on [0.1, %s) (range, mean, chi-square over 10 bins)',
    (severity) => {
      const rng = new LegacyRandomState(6 + severity);
      const levels = Array.from({ length: 20_000 }, () => sampleLevel(rng, severity));
      expect(Math.min(...levels)).toBeGreaterThanOrEqual(0.1);
      expect(Math.max(...levels)).toBeLessThan(severity);
      expect(Math.abs(mean(levels) - (0.1 + severity) / 2)).toBeLessThan(0.02 * severity);
      const bins = new Array<number>(10).fill(0);
      for (const l of levels) bins[Math.min(9, Math.floor(((l - 0.1) / (severity - 0.1)) * 10))]!++;
      expect(chiSquareUniform(bins)).toBeLessThan(45); // 9 df: p = 1e-6 is ~ 43
    },
  );

  it('mapped values follow from uniform levels: posterize keeps 3 bits with P = 0.5 / 2.9 at severity 3', () => {
    const posterize = drawSteps(8, false, 40_000).filter((s) => s.op === 'posterize');
    const threeBits = posterize.filter((s) => s.value === 3).length / posterize.length;
    expect(new Set(posterize.map((s) => s.value))).toEqual(new Set([3, 4]));
    expect(Math.abs(threeBits - 0.5 / 2.9)).toBeLessThan(0.03);
  });
});

describe('Dirichlet chain weights', () => {
  it.each([0.001, 0.01, 0.1, 0.5, 1, 5])(
    'alpha %s: never NaN, sum 1, mean 1/k, variance (k-1)/(k^2 (k alpha + 1))',
    (alpha) => {
      const k = 3;
      const rng = new LegacyRandomState(Math.round(alpha * 1000) + 11);
      const draws = Array.from({ length: 20_000 }, () => rng.dirichlet([alpha, alpha, alpha]));
      const invalid = draws.filter(
        (w) =>
          !w.every((x) => Number.isFinite(x) && x >= 0 && x <= 1) ||
          Math.abs(w[0]! + w[1]! + w[2]! - 1) > 1e-12,
      );
      expect(invalid).toEqual([]);
      const expectedVariance = (k - 1) / (k * k * (k * alpha + 1));
      for (let i = 0; i < k; i++) {
        const component = draws.map((w) => w[i]!);
        expect(Math.abs(mean(component) - 1 / k), `mean of w[${i}]`).toBeLessThan(0.02);
        expect(Math.abs(variance(component) / expectedVariance - 1), `variance of w[${i}]`).toBeLessThan(
          0.08,
        );
      }
    },
  );

  it('record weights are float32 and never NaN, even at alpha 0.001', () => {
    const rng = new LegacyRandomState(12);
    let invalid = 0;
    for (let i = 0; i < 3000; i++) {
      const { weights, m } = sampleRecord(rng, { alpha: 0.001, width: 4 }, { width: 32, height: 32 });
      if (!weights.every((w) => Number.isFinite(w) && Math.fround(w) === w) || !Number.isFinite(m)) invalid++;
    }
    expect(invalid).toBe(0);
  });
});

describe('Beta mixing weight m', () => {
  it.each([0.001, 0.1, 0.5, 1, 2, 5])(
    'alpha %s: in [0, 1], mean 0.5, variance 1 / (4 (2 alpha + 1))',
    (alpha) => {
      const rng = new LegacyRandomState(Math.round(alpha * 1000) + 13);
      const draws = Array.from({ length: 20_000 }, () => rng.beta(alpha, alpha));
      expect(draws.every((m) => Number.isFinite(m) && m >= 0 && m <= 1)).toBe(true);
      expect(Math.abs(mean(draws) - 0.5)).toBeLessThan(0.02);
      expect(Math.abs(variance(draws) / (1 / (4 * (2 * alpha + 1))) - 1)).toBeLessThan(0.08);
    },
  );
});
