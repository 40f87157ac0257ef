import { describe, expect, it } from 'vitest';
import { ALL_OPS } from '../../../src/augmix/op-names.js';
import { applyOp } from '../../../src/augmix/ops/index.js';
import {
  describeDifference,
  loadInputImage,
  loadOpGoldens,
  opGoldenImageNames,
  sha256Hex,
} from '../../helpers/golden.js';

// Every single-op golden of test/fixtures/golden/ops (Pillow 9.4 outputs), compared with tolerance 0.
describe('ops: golden outputs from the Pillow reference (tolerance 0)', () => {
  for (const imageName of opGoldenImageNames()) {
    describe(`image ${imageName}`, () => {
      const goldens = loadOpGoldens(imageName);

      it('has intact fixtures covering all 13 ops', () => {
        for (const { meta, image } of goldens) expect(sha256Hex(image.data)).toBe(meta.sha256);
        expect(new Set(goldens.map((g) => g.meta.op))).toEqual(new Set(ALL_OPS));
      });

      for (const op of ALL_OPS) {
        const cases = goldens.filter((g) => g.meta.op === op);
        it(`${op} over ${cases.length} values`, () => {
          const input = loadInputImage(imageName);
          const failures: string[] = [];
          for (const { meta, image: expected } of cases) {
            const actual = applyOp(input, op, meta.value);
            const diff = describeDifference(actual, expected);
            if (diff) failures.push(`${op} ${meta.value} on ${imageName}: ${diff}`);
          }
          expect(failures).toEqual([]);
        });
      }
    });
  }
});
