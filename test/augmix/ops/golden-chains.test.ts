import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/augmix/image.js';
import { applyOp } from '../../../src/augmix/ops/index.js';
import { describeDifference, loadInputImage, loadMixCases, sha256Hex } from '../../helpers/golden.js';

// Each record chain of test/fixtures/golden/mix, applied op by op from the original image, must give the
// reference chain output exactly (8-bit after every op, Pillow backend).
describe('ops: whole record chains from the Pillow reference (tolerance 0)', () => {
  const cases = loadMixCases();

  it('covers default and all-ops records on several images', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    expect(new Set(cases.map((c) => c.image)).size).toBeGreaterThanOrEqual(3);
    expect(cases.some((c) => c.record.allOps)).toBe(true);
    expect(cases.some((c) => !c.record.allOps)).toBe(true);
  });

  for (const imageName of [...new Set(cases.map((c) => c.image))]) {
    const group = cases.filter((c) => c.image === imageName);
    it(`${group.length} records on ${imageName}`, () => {
      const original = loadInputImage(imageName);
      const before = sha256Hex(original.data);
      const failures: string[] = [];
      let chains = 0;
      for (const c of group) {
        c.record.chains.forEach((steps, i) => {
          let image: RgbImage = original;
          for (const step of steps) image = applyOp(image, step.op, step.value);
          const expected = c.chains[i]!;
          const diff = describeDifference(image, expected);
          if (diff) failures.push(`${c.id} chain ${i} ${JSON.stringify(steps)}: ${diff}`);
          chains++;
        });
      }
      expect(failures).toEqual([]);
      expect(chains).toBeGreaterThan(group.length);
      expect(sha256Hex(original.data)).toBe(before);
    });
  }
});
