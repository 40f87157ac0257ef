import { describe, expect, it } from 'vitest';
import { replayRecord, replayRecordWithChains, runChain } from '../../../src/augmix/augment-and-mix.js';
import type { RgbImage } from '../../../src/augmix/image.js';
import { allocateImageData, recycleImageData } from '../../../src/augmix/ops/image-buffers.js';
import { applyOp } from '../../../src/augmix/ops/index.js';
import type { OpStep, ProvenanceRecord } from '../../../src/augmix/record.js';

function photoLike(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + ((i / 97) | 0) * 11) & 0xff;
  return { width, height, data };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

describe('image buffer reuse', () => {
  it('hands a recycled buffer back zero-filled, and only for the same length', () => {
    const dirty = new Uint8Array(300).fill(7);
    recycleImageData(dirty);
    const again = allocateImageData(300);
    expect(again).toBe(dirty);
    expect(again.every((v) => v === 0)).toBe(true);
    recycleImageData(new Uint8Array(300).fill(9));
    const other = allocateImageData(303);
    expect(other.length).toBe(303);
    expect(other.every((v) => v === 0)).toBe(true);
  });

  it('ignores views that do not span their whole buffer', () => {
    const whole = new Uint8Array(400);
    recycleImageData(whole.subarray(100, 400));
    expect(allocateImageData(300).buffer).not.toBe(whole.buffer);
  });

  it('runChain without a callback (reusing intermediates) gives what applyOp step by step gives', () => {
    const image = photoLike(61, 43);
    const steps: OpStep[] = [
      { op: 'rotate', value: 13 },
      { op: 'translate_x', value: 5 },
      { op: 'shear_y', value: 0.21 },
      { op: 'equalize', value: null },
      { op: 'posterize', value: 3 },
    ];
    const expected = steps.reduce<RgbImage>((current, s) => applyOp(current, s.op, s.value), image);
    const seen: RgbImage[] = [];
    const withCallback = runChain(image, steps, (output) => seen.push(output));
    const copies = seen.map((s) => s.data.slice());
    // several runs in a row, so later ones start from recycled buffers
    for (let run = 0; run < 3; run++)
      expect(sameBytes(runChain(image, steps).data, expected.data)).toBe(true);
    expect(sameBytes(withCallback.data, expected.data)).toBe(true);
    // intermediates handed to a callback are never reused
    seen.forEach((s, i) => {
      expect(sameBytes(s.data, copies[i]!)).toBe(true);
    });
  });

  it('replaying a record again and again gives the same image, and earlier results stay intact', () => {
    const image = photoLike(50, 40);
    const record: ProvenanceRecord = {
      version: 1,
      width: 3,
      severity: 3,
      allOps: false,
      weights: [0.2, 0.5, 0.3],
      m: 0.6,
      chains: [
        [{ op: 'rotate', value: -8 }],
        [
          { op: 'autocontrast', value: null },
          { op: 'shear_x', value: 0.1 },
        ],
        [
          { op: 'solarize', value: 100 },
          { op: 'translate_y', value: -3 },
          { op: 'equalize', value: null },
        ],
      ],
    };
    const first = replayRecordWithChains(image, record);
    const firstCopy = first.image.data.slice();
    const chainCopies = first.chains.map((c) => c.data.slice());
    for (let run = 0; run < 3; run++) {
      // replayRecord recycles its chain outputs for the next replay
      expect(sameBytes(replayRecord(image, record).data, firstCopy)).toBe(true);
    }
    expect(sameBytes(first.image.data, firstCopy)).toBe(true);
    first.chains.forEach((c, i) => {
      expect(sameBytes(c.data, chainCopies[i]!)).toBe(true);
    });
  });
});
