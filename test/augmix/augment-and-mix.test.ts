import { describe, expect, it } from 'vitest';
import {
  augmentAndMix,
  augmentJsd,
  replayRecord,
  replayRecordWithChains,
  runChain,
} from '../../src/augmix/augment-and-mix.js';
import type { RgbImage } from '../../src/augmix/image.js';
import { applyOp } from '../../src/augmix/ops/index.js';
import { LegacyRandomState } from '../../src/augmix/random/index.js';
import type { OpStep, ProvenanceRecord } from '../../src/augmix/record.js';
import { sampleRecord } from '../../src/augmix/sample.js';
import {
  compareImages,
  describeDifference,
  loadInputImage,
  loadMixCases,
  loadRecordCases,
  sha256Hex,
} from '../helpers/golden.js';

describe('replayRecord on the Pillow reference (test/fixtures/golden/mix)', () => {
  const cases = loadMixCases();

  it('matches every reference mix (max diff <= 1, >= 99.9% exact) and every chain exactly', () => {
    let values = 0;
    let exact = 0;
    const chainFailures: string[] = [];
    for (const c of cases) {
      const original = loadInputImage(c.image);
      const { image, chains } = replayRecordWithChains(original, c.record);
      const stats = compareImages(image, c.mix);
      expect(stats.maxAbsDiff, c.id).toBeLessThanOrEqual(1);
      values += c.mix.data.length;
      exact += c.mix.data.length - stats.differing;
      chains.forEach((chain, i) => {
        const diff = describeDifference(chain, c.chains[i]!);
        if (diff) chainFailures.push(`${c.id} chain ${i}: ${diff}`);
      });
    }
    expect(chainFailures).toEqual([]);
    expect(exact / values).toBeGreaterThanOrEqual(0.999);
  });

  it('draws and replays the official record end to end: augmentAndMix(image, params, seed)', () => {
    const records = new Map(loadRecordCases().map((c) => [c.id, c]));
    let checked = 0;
    for (const c of cases) {
      const recordCase = records.get(c.id);
      const original = loadInputImage(c.image);
      if (!recordCase || recordCase.size[0] !== original.width || recordCase.size[1] !== original.height)
        continue;
      const result = augmentAndMix(original, recordCase.params, recordCase.seed);
      expect(JSON.parse(JSON.stringify(result.record)), c.id).toEqual(c.record);
      expect(compareImages(result.image, c.mix).maxAbsDiff, c.id).toBeLessThanOrEqual(1);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });
});

describe('runChain', () => {
  const image = loadInputImage('noise-32x32');
  const steps: OpStep[] = [
    { op: 'rotate', value: -12 },
    { op: 'posterize', value: 3 },
    { op: 'equalize', value: null },
  ];

  it('applies the steps in order, each on the previous 8-bit output', () => {
    let expected: RgbImage = image;
    for (const step of steps) expected = applyOp(expected, step.op, step.value);
    expect(runChain(image, steps).data).toEqual(expected.data);
  });

  it('reports every intermediate output to onStep', () => {
    const seen: { index: number; op: string; sha: string }[] = [];
    const out = runChain(image, steps, (output, step, index) =>
      seen.push({ index, op: step.op, sha: sha256Hex(output.data) }),
    );
    expect(seen.map((s) => [s.index, s.op])).toEqual([
      [0, 'rotate'],
      [1, 'posterize'],
      [2, 'equalize'],
    ]);
    expect(seen[0]!.sha).toBe(sha256Hex(applyOp(image, 'rotate', -12).data));
    expect(seen[2]!.sha).toBe(sha256Hex(out.data));
  });

  it('returns a copy for an empty chain and never modifies the input', () => {
    const before = sha256Hex(image.data);
    const out = runChain(image, []);
    expect(out.data).toEqual(image.data);
    expect(out.data).not.toBe(image.data);
    runChain(image, steps);
    expect(sha256Hex(image.data)).toBe(before);
  });
});

describe('augmentAndMix', () => {
  const image = loadInputImage('natural-40x24');

  it('is deterministic: the same seed gives identical bytes and record', () => {
    const a = augmentAndMix(image, { allOps: true }, 1234);
    const b = augmentAndMix(image, { allOps: true }, 1234);
    expect(sha256Hex(a.image.data)).toBe(sha256Hex(b.image.data));
    expect(a.record).toEqual(b.record);
  });

  it('returns the record sampleRecord draws for the seed and the image size, and its replay', () => {
    const result = augmentAndMix(image, { severity: 5, width: 4 }, 77);
    expect(result.record).toEqual(
      sampleRecord(new LegacyRandomState(77), { severity: 5, width: 4 }, { width: 40, height: 24 }),
    );
    expect(result.image.data).toEqual(replayRecord(image, result.record).data);
  });

  it('keeps the size, stays 8-bit and leaves the input untouched, over many seeds and parameters', () => {
    const before = sha256Hex(image.data);
    const paramSets = [{}, { allOps: true, severity: 10 }, { width: 1, depth: 3 }, { alpha: 0.01, width: 5 }];
    const hashes = new Set<string>();
    for (const params of paramSets) {
      for (let seed = 0; seed < 8; seed++) {
        const { image: out, record } = augmentAndMix(image, params, seed);
        expect([out.width, out.height, out.data.length]).toEqual([40, 24, 40 * 24 * 3]);
        expect(out.data).toBeInstanceOf(Uint8Array);
        expect(record.weights.every(Number.isFinite)).toBe(true);
        // alpha 0.01 makes m almost always ~0 or ~1 (Beta(0.01, 0.01)), so only count the other sets
        if (params !== paramSets[3]) hashes.add(sha256Hex(out.data));
      }
    }
    expect(sha256Hex(image.data)).toBe(before);
    expect(hashes.size).toBeGreaterThanOrEqual(20);
  });

  it('works on 1x1 and 2x2 images', () => {
    for (const size of [1, 2]) {
      const tiny: RgbImage = { width: size, height: size, data: new Uint8Array(size * size * 3).fill(90) };
      const { image: out } = augmentAndMix(tiny, { allOps: true, severity: 10 }, 3);
      expect(out.data.length).toBe(size * size * 3);
    }
  });

  it('rejects bad seeds and parameters with named errors', () => {
    expect(() => augmentAndMix(image, {}, -1)).toThrow(/Expected seed/);
    expect(() => augmentAndMix(image, { width: 0 }, 1)).toThrow(/Expected width/);
  });
});

describe('replayRecord', () => {
  const image = loadInputImage('natural-40x24');
  const record: ProvenanceRecord = {
    version: 1,
    width: 1,
    severity: 3,
    allOps: false,
    weights: [1],
    m: 1,
    chains: [[{ op: 'solarize', value: 128 }]],
  };

  it('with one chain, weight 1 and m = 1 gives that chain', () => {
    expect(replayRecord(image, record).data).toEqual(applyOp(image, 'solarize', 128).data);
  });

  it('with m = 0 gives the original', () => {
    expect(replayRecord(image, { ...record, m: 0 }).data).toEqual(image.data);
  });

  it('checks the decoded size recorded in decode', () => {
    const decode = { orientation: 'auto', size: null, colour: 'srgb', width: 40, height: 24 } as const;
    expect(replayRecord(image, { ...record, decode }).data.length).toBe(image.data.length);
    expect(() => replayRecord(image, { ...record, decode: { ...decode, width: 41 } })).toThrow(
      /Expected image size to be the record's decoded size 41x24/,
    );
  });

  it('rejects weights that do not match the chains', () => {
    expect(() => replayRecord(image, { ...record, weights: [0.5, 0.5] })).toThrow(/record.weights.length/);
  });
});

describe('augmentJsd', () => {
  const image = loadInputImage('noise-32x32');

  it('returns the clean image and two independent views, one per seed', () => {
    const { clean, views } = augmentJsd(image, {}, [10, 11]);
    expect(clean.data).toEqual(image.data);
    expect(clean.data).not.toBe(image.data);
    expect(views).toHaveLength(2);
    expect(views[0].record).not.toEqual(views[1].record);
    expect(sha256Hex(views[0].image.data)).not.toBe(sha256Hex(views[1].image.data));
    expect(views[0]).toEqual(augmentAndMix(image, {}, 10));
    expect(views[1]).toEqual(augmentAndMix(image, {}, 11));
  });

  it('needs two seeds', () => {
    expect(() => augmentJsd(image, {}, [1] as unknown as [number, number])).toThrow(
      /Expected seeds to be two seeds/,
    );
  });
});
