import { constants, deflateSync, inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { simdKernels, useSimdKernels } from '../../src/augmix/ops/simd/kernels.js';
import { inflateExact, inflateWithKernel } from '../../src/codec/png-inflate.js';
import { random } from '../helpers/noise-image.js';

const kernels = simdKernels();
if (kernels === null) throw new Error('these tests need WebAssembly SIMD (Node.js has it)');

/** The kernel alone (see inflateWithKernel). */
const kernelInflate = (stream: Uint8Array, size: number) => inflateWithKernel(kernels!, stream, size);

/** What `inflateSync` gives when it inflates `stream` to exactly `size` bytes, else null. */
function zlibExact(stream: Uint8Array, size: number): Buffer | null {
  try {
    const inflated = inflateSync(stream);
    return inflated.length === size ? inflated : null;
  } catch {
    return null;
  }
}

/** `length` bytes of one of four kinds: noise, few levels, a short period, long runs. */
function sample(kind: number, length: number, seed: number): Buffer {
  const next = random(seed);
  const data = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    if (kind === 0) data[i] = Math.floor(next() * 256);
    else if (kind === 1) data[i] = Math.floor(next() * 4);
    else if (kind === 2) data[i] = (i * 7) % 37;
    else data[i] = i > 0 && next() < 0.9 ? data[i - 1]! : Math.floor(next() * 256);
  }
  return data;
}

const LEVELS = [0, 1, 6, 9];
const STRATEGIES = [
  constants.Z_DEFAULT_STRATEGY,
  constants.Z_FIXED,
  constants.Z_HUFFMAN_ONLY,
  constants.Z_RLE,
];

describe('inflateZlib (kernels.wat) and inflateExact', () => {
  afterEach(() => useSimdKernels(true));

  it('inflates what zlib writes, at every level and strategy (stored, fixed and dynamic blocks), to zlib’s bytes', () => {
    let inflated = 0;
    for (let t = 0; t < 40; t++) {
      const data = sample(t % 4, [0, 1, 100, 3072, 40_000][t % 5]!, 1 + t);
      for (const level of LEVELS) {
        for (const strategy of STRATEGIES) {
          const stream = deflateSync(data, { level, strategy });
          const result = kernelInflate(stream, data.length);
          expect(result, `sample ${t}, level ${level}, strategy ${strategy}`).toBeInstanceOf(Uint8Array);
          expect(Buffer.compare(result as Uint8Array, data), `sample ${t}, level ${level}`).toBe(0);
          inflated += 1;
        }
      }
    }
    expect(inflated).toBe(640);
  });

  it('leaves to zlib every stream it is not sure of, and inflateExact then gives zlib’s answer', () => {
    const next = random(99);
    let kernelTook = 0;
    for (let t = 0; t < 1500; t++) {
      const data = sample(t % 4, 20 + Math.floor(next() * 3000), 500 + t);
      const stream = Buffer.from(
        deflateSync(data, { level: LEVELS[t % 4]!, strategy: STRATEGIES[(t >> 2) % 4]! }),
      );
      let broken: Buffer;
      if (t % 3 === 0) {
        broken = Buffer.from(stream);
        broken[Math.floor(next() * broken.length)]! ^= 1 << Math.floor(next() * 8);
      } else if (t % 3 === 1) {
        broken = stream.subarray(0, Math.floor(next() * stream.length));
      } else {
        broken = Buffer.from(stream);
        broken[2 + Math.floor(next() * Math.min(40, broken.length - 2))]! ^= 0xff;
      }
      const expected = zlibExact(broken, data.length);
      const result = kernelInflate(broken, data.length);
      if (result instanceof Uint8Array) {
        // taken only where zlib gives the very same bytes
        expect(expected, `case ${t}`).not.toBeNull();
        expect(result).toEqual(new Uint8Array(expected!));
        kernelTook += 1;
      } else {
        expect(result).toBe(-1);
      }
      const exact = inflateExact(broken, data.length);
      expect(exact === null ? null : Buffer.from(exact)).toEqual(expected);
    }
    // a flip in the data can leave a stream zlib still takes whole; most are refused
    expect(kernelTook).toBeLessThan(100);
  });

  it('checks the Adler-32: a stream whose checksum is off by one bit is refused (zlib refuses it too)', () => {
    const data = sample(0, 3072, 7);
    const stream = Buffer.from(deflateSync(data));
    stream[stream.length - 1]! ^= 1;
    expect(kernelInflate(stream, data.length)).toBe(-1);
    expect(inflateExact(stream, data.length)).toBeNull();
  });

  it('refuses bytes between the data and the checksum (zlib refuses them too)', () => {
    const data = sample(3, 3072, 12);
    const stream = deflateSync(data);
    const padded = Buffer.concat([stream.subarray(0, -4), Buffer.from([0, 0]), stream.subarray(-4)]);
    expect(kernelInflate(padded, data.length)).toBe(-1);
    expect(zlibExact(padded, data.length)).toBeNull();
    expect(inflateExact(padded, data.length)).toBeNull();
  });

  it('refuses bytes after the checksum, and inflateExact takes zlib’s answer for them', () => {
    const data = sample(3, 3072, 8);
    const stream = Buffer.concat([deflateSync(data), Buffer.from([0, 1, 2])]);
    expect(kernelInflate(stream, data.length)).toBe(-1);
    const expected = zlibExact(stream, data.length);
    const exact = inflateExact(stream, data.length);
    expect(exact === null ? null : Buffer.from(exact)).toEqual(expected);
  });

  it('refuses a stream that inflates to more or fewer bytes than asked', () => {
    const data = sample(1, 1000, 9);
    const stream = deflateSync(data);
    expect(kernelInflate(stream, 999)).toBe(-1);
    expect(kernelInflate(stream, 1001)).not.toBe(1001);
    expect(inflateExact(stream, 999)).toBeNull();
    expect(inflateExact(stream, 1001)).toBeNull();
  });

  it('refuses a header that asks for a preset dictionary, or is not deflate’s', () => {
    const data = sample(2, 500, 10);
    const withDictionary = Buffer.from(deflateSync(data, { dictionary: Buffer.from('abc') }));
    expect(withDictionary[1]! & 0x20).toBe(0x20);
    expect(kernelInflate(withDictionary, data.length)).toBe(-1);
    expect(inflateExact(withDictionary, data.length)).toBeNull();
    const notDeflate = Buffer.from(deflateSync(data));
    notDeflate[0] = 0x79; // CM 9, and the check bits no longer hold
    expect(kernelInflate(notDeflate, data.length)).toBe(-1);
  });

  it('leaves a stream far longer than its bytes to zlib (the kernels’ memory does not grow for it)', () => {
    const data = sample(0, 100, 13);
    const stream = Buffer.from(deflateSync(data, { level: 0 }));
    // the same data after 200,000 empty stored blocks (5 bytes each): valid, and zlib takes it
    const empty = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);
    const padded = Buffer.concat([stream.subarray(0, 2), ...Array(200_000).fill(empty), stream.subarray(2)]);
    expect(zlibExact(padded, data.length)).toEqual(data);
    const before = kernels!.memory.buffer.byteLength;
    expect(Buffer.from(inflateExact(padded, data.length)!)).toEqual(data);
    expect(kernels!.memory.buffer.byteLength).toBe(before);
  });

  it('gives the same bytes through zlib alone when WebAssembly is off', () => {
    const data = sample(0, 2000, 11);
    const stream = deflateSync(data);
    useSimdKernels(false);
    const inflated = inflateExact(stream, data.length);
    expect(inflated).toBeInstanceOf(Buffer); // zlib's own result
    expect(Buffer.compare(inflated!, data)).toBe(0);
  });
});
