import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AugmixParameters } from '../../src/augmix/parameters.js';
import { LegacyRandomState } from '../../src/augmix/random/index.js';
import type { ProvenanceRecord } from '../../src/augmix/record.js';
import { sampleRecord } from '../../src/augmix/sample.js';
import { GOLDEN_DIR, loadRecordCases } from '../helpers/golden.js';

interface TinyAlphaCase {
  readonly seed: number;
  readonly params: AugmixParameters;
  readonly size: [number, number];
  readonly numpyWeightsFinite: boolean;
  /** numpy's record; non-finite weights are written as null. */
  readonly record: Omit<ProvenanceRecord, 'weights'> & { weights: (number | null)[] };
}

const tinyAlphaCases = (
  JSON.parse(readFileSync(join(GOLDEN_DIR, 'rng.json'), 'utf8')) as { tinyAlphaRecords: TinyAlphaCase[] }
).tinyAlphaRecords;

/** A record as it goes through JSON (what `replay.py sample` prints and the fixtures hold). */
function asJson(record: ProvenanceRecord): unknown {
  return JSON.parse(JSON.stringify(record));
}

describe('sampleRecord against the official sampler (records.json)', () => {
  const cases = loadRecordCases();

  it('has many cases over varied parameters', () => {
    expect(cases.length).toBeGreaterThanOrEqual(500);
    const configs = new Set(cases.map((c) => JSON.stringify(c.params)));
    expect(configs.size).toBeGreaterThanOrEqual(10);
    expect(new Set(cases.map((c) => c.params.allOps))).toEqual(new Set([true, false]));
  });

  it('returns exactly the record replay.py sample printed, for every case', () => {
    const mismatches: string[] = [];
    for (const c of cases) {
      const record = sampleRecord(new LegacyRandomState(c.seed), c.params, {
        width: c.size[0],
        height: c.size[1],
      });
      if (JSON.stringify(asJson(record)) !== JSON.stringify(c.record)) mismatches.push(c.id);
    }
    expect(mismatches).toEqual([]);
  });

  it('deep-equals the first cases field by field', () => {
    for (const c of cases.slice(0, 20)) {
      const record = sampleRecord(new LegacyRandomState(c.seed), c.params, {
        width: c.size[0],
        height: c.size[1],
      });
      expect(asJson(record), c.id).toEqual(c.record);
    }
  });
});

describe('sampleRecord with tiny alpha (numpy gives NaN weights for some seeds)', () => {
  it('has cases of both kinds', () => {
    expect(tinyAlphaCases.filter((c) => c.numpyWeightsFinite).length).toBeGreaterThan(0);
    expect(tinyAlphaCases.filter((c) => !c.numpyWeightsFinite).length).toBeGreaterThan(0);
  });

  it.each(tinyAlphaCases.map((c) => [c.seed, c.params.alpha, c.numpyWeightsFinite, c] as const))(
    'seed %s alpha %s (numpy finite: %s)',
    (_seed, _alpha, finite, c) => {
      const record = sampleRecord(new LegacyRandomState(c.seed), c.params, {
        width: c.size[0],
        height: c.size[1],
      });
      const { weights, ...rest } = asJson(record) as ProvenanceRecord;
      const { weights: numpyWeights, ...numpyRest } = c.record;
      // m, depths, ops and values match: the Dirichlet draw consumed the stream exactly like numpy's
      expect(rest).toEqual(numpyRest);
      expect(weights.every((w) => Number.isFinite(w) && w >= 0 && w <= 1)).toBe(true);
      expect(Math.abs(weights.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
      if (finite) expect(weights).toEqual(numpyWeights);
    },
  );
});

describe('sampleRecord', () => {
  const size = { width: 32, height: 32 };

  it('is deterministic for a seed', () => {
    const a = sampleRecord(new LegacyRandomState(123), {}, size);
    const b = sampleRecord(new LegacyRandomState(123), {}, size);
    expect(a).toEqual(b);
    expect(sampleRecord(new LegacyRandomState(124), {}, size)).not.toEqual(a);
  });

  it('uses the defaults and the official record shape', () => {
    const record = sampleRecord(new LegacyRandomState(0), {}, size);
    expect(record).toMatchObject({ version: 1, width: 3, severity: 3, allOps: false });
    expect(record.weights).toHaveLength(3);
    expect(record.chains).toHaveLength(3);
    for (const w of [...record.weights, record.m]) expect(Math.fround(w)).toBe(w);
    for (const chain of record.chains) expect(chain.length >= 1 && chain.length <= 3).toBe(true);
  });

  it('honours a fixed depth and the width', () => {
    const record = sampleRecord(new LegacyRandomState(9), { width: 5, depth: 4, allOps: true }, size);
    expect(record.chains.map((c) => c.length)).toEqual([4, 4, 4, 4, 4]);
  });

  it('validates parameters and size', () => {
    expect(() => sampleRecord(new LegacyRandomState(0), { severity: 0 }, size)).toThrow(/severity/);
    expect(() => sampleRecord(new LegacyRandomState(0), {}, { width: 0, height: 3 })).toThrow(
      'Expected size.width to be an integer >= 1 but received 0',
    );
  });
});
