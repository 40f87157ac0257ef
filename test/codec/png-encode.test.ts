import { deflateSync, inflateSync } from 'node:zlib';
import { decode as decodeWithFastPng } from 'fast-png';
import { afterEach, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../src/augmix/image.js';
import { simdKernels, useSimdKernels } from '../../src/augmix/ops/simd/kernels.js';
import {
  adler32,
  huffmanCodeLengths,
  planHuffmanStream,
  writeHuffmanStream,
} from '../../src/codec/huffman-deflate.js';
import { SMALL_PNG_MAX_PIXELS } from '../../src/codec/index.js';
import { crc32 as pngCrc32 } from '../../src/codec/png-crc.js';
import { decodePlainPng } from '../../src/codec/png-decode.js';
import { encodeSmallPng, paethRows } from '../../src/codec/png-encode.js';
import { random, uniformNoise } from '../helpers/noise-image.js';
import { pattern } from './inputs.js';

afterEach(() => useSimdKernels(true));

/** The zlib stream of `data` as the Huffman writer makes it. */
function huffmanStream(data: Uint8Array): Uint8Array {
  const counts = new Int32Array(256);
  for (const value of data) counts[value]! += 1;
  const plan = planHuffmanStream(counts);
  const out = new Uint8Array(plan.length);
  writeHuffmanStream(plan, data, out, 0);
  return out;
}

/** `count` bytes whose values occur with Fibonacci frequencies: a Huffman tree as deep as `count` allows. */
function fibonacciBytes(count: number): Uint8Array {
  const out: number[] = [];
  let [a, b] = [1, 1];
  for (let value = 0; out.length < count; value++) {
    for (let i = 0; i < a && out.length < count; i++) out.push(value);
    [a, b] = [b, a + b];
  }
  return Uint8Array.from(out);
}

/** Value v repeated 2^v times, v < `values`: the most unbalanced Huffman tree, `values` - 1 deep. */
function powersOfTwo(values: number): Uint8Array {
  const out = new Uint8Array(2 ** values - 1);
  for (let v = 0, at = 0; v < values; at += 2 ** v, v++) out.fill(v, at, at + 2 ** v);
  return out;
}

/**
 * `count` bytes over `values` values whose frequencies are Fibonacci numbers cycling every 24 values: many
 * literal codes of every length up to 15, whose run-length coded lengths give the code-length code skewed counts.
 */
function fibonacciSpread(values: number, count: number): Uint8Array {
  const fib = [1, 1];
  while (fib.length < 24) fib.push(fib.at(-1)! + fib.at(-2)!);
  const weights = Array.from({ length: values }, (_, v) => fib[v % 24]!);
  const total = weights.reduce((sum, w) => sum + w, 0);
  const out: number[] = [];
  weights.forEach((w, v) => {
    for (let i = 0; i < Math.max(1, Math.round((w / total) * count)); i++) out.push(v);
  });
  return Uint8Array.from(out);
}

/** Smooth colour fields with a little noise: what Paeth turns into small residuals. */
function photoLike(width: number, height: number, seed: number): RgbImage {
  const next = random(seed);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        data[(y * width + x) * 3 + c] = Math.min(
          255,
          ((x * (c + 2) + y * (3 - c)) & 255) + Math.floor(next() * 6),
        );
      }
    }
  }
  return { width, height, data };
}

describe('the Huffman-only zlib stream', () => {
  it.each([
    ['random bytes', uniformNoise(1000, 1, random(1)).data],
    ['one value only', new Uint8Array(500).fill(7)],
    ['two values', Uint8Array.from({ length: 777 }, (_, i) => (i % 3 === 0 ? 200 : 3))],
    ['every value once', Uint8Array.from({ length: 256 }, (_, i) => i)],
    ['a single byte', Uint8Array.of(255)],
    ['Fibonacci frequencies', fibonacciBytes(30_000)],
    ['value v 2^v times (a tree 18 deep: code lengths capped at 15)', powersOfTwo(18)],
  ])('%s: zlib inflates it back to the same bytes, with the exact length planned', (_, data) => {
    const stream = huffmanStream(data);
    expect(Buffer.from(inflateSync(stream)).equals(Buffer.from(data))).toBe(true);
    expect(stream.subarray(-4)).toEqual(Uint8Array.of(...u32(adler32(data))));
  });

  it.each([
    ['random bytes', uniformNoise(1000, 1, random(1)).data],
    ['one value only', new Uint8Array(500).fill(7)],
    ['the filter byte only', new Uint8Array(300).fill(4)],
    ['two values', Uint8Array.from({ length: 777 }, (_, i) => (i % 3 === 0 ? 200 : 3))],
    ['every value once', Uint8Array.from({ length: 256 }, (_, i) => i)],
    ['a single byte', Uint8Array.of(255)],
    ['Fibonacci frequencies', fibonacciBytes(30_000)],
    ['Fibonacci frequencies over 200 values', fibonacciSpread(200, 30_000)],
    ['value v 2^v times (a tree 18 deep: code lengths capped at 15)', powersOfTwo(18)],
  ])('%s: the kernel (huffmanStream, one row) writes the TypeScript stream byte for byte', (_, data) => {
    const kernels = simdKernels()!;
    const counts = 8 * Math.ceil((data.length + 16) / 8);
    const work = counts + 4096;
    const out = work + 11_264;
    const memory = kernels.reserve(out + 2 * (data.length + 1) + 1024);
    memory.set(data, 0);
    kernels.byteCounts(0, data.length, counts);
    const length = kernels.huffmanStream(0, data.length, 1, counts, work, out);
    // one row: its filter byte (4), then the bytes
    const row = new Uint8Array(data.length + 1);
    row[0] = 4;
    row.set(data, 1);
    const expected = huffmanStream(row);
    expect(Buffer.from(memory.subarray(out, out + length)).equals(Buffer.from(expected))).toBe(true);
  });

  it('caps code lengths and keeps the code complete (Kraft sum exactly 1)', () => {
    const frequencies = new Int32Array(257);
    let [a, b] = [1, 1];
    for (let symbol = 0; symbol < 30; symbol++) {
      frequencies[symbol] = a;
      [a, b] = [b, a + b];
    }
    for (const limit of [7, 15]) {
      const lengths = huffmanCodeLengths(frequencies, limit);
      const used = [...lengths].filter((length) => length > 0);
      expect(used).toHaveLength(30);
      expect(Math.max(...used)).toBe(limit);
      expect(used.reduce((sum, length) => sum + 2 ** -length, 0)).toBe(1);
      // a more frequent symbol never has a longer code
      for (let s = 1; s < 30; s++) expect(lengths[s]!).toBeLessThanOrEqual(lengths[s - 1]!);
    }
    // uncapped, the lengths are Huffman's: 1, 2, 3, ... for Fibonacci weights
    expect([...huffmanCodeLengths(frequencies, 40)].slice(25, 30)).toEqual([5, 4, 3, 2, 1]);
  });

  it('computes Adler-32 as zlib does (check value of "Wikipedia": 0x11e60398)', () => {
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
    expect(adler32(new Uint8Array(0))).toBe(1);
    // sums reduced as they go: a long run of 255 gives zlib's value
    const long = new Uint8Array(100_000).fill(255);
    expect(huffmanStream(long).subarray(-4)).toEqual(zlibChecksum(long));
  });
});

describe('encodeSmallPng: Paeth rows, one Huffman-coded block', () => {
  const sizes: [number, number][] = [
    [1, 1],
    [3, 5],
    [4, 1],
    [4, 3],
    [5, 7],
    [32, 32],
    [33, 17],
    [64, 48],
    [SMALL_PNG_MAX_PIXELS / 64, 64],
  ];
  it.each(sizes)(
    '%ix%i: decodes to the same pixels, and the kernels write the same bytes as the TypeScript',
    (width, height) => {
      for (const image of [
        pattern(width, height),
        photoLike(width, height, width + height),
        uniformNoise(width, height, random(width * 7 + height)),
      ]) {
        const bytes = encodeSmallPng(image);
        useSimdKernels(false);
        const reference = encodeSmallPng(image);
        useSimdKernels(true);
        expect(Buffer.from(bytes).equals(Buffer.from(reference))).toBe(true);
        const decoded = decodeWithFastPng(bytes);
        expect([decoded.width, decoded.height, decoded.channels, decoded.depth]).toEqual([
          width,
          height,
          3,
          8,
        ]);
        expect(Buffer.from(decoded.data as Uint8Array).equals(Buffer.from(image.data))).toBe(true);
        expect(decodePlainPng(bytes)?.data).toEqual(image.data);
      }
    },
  );

  it('filters every row with Paeth: each byte less the predictor of its left, upper and upper-left bytes', () => {
    const image = photoLike(7, 5, 3);
    const counts = new Int32Array(256);
    const rows = paethRows(image, counts);
    const stride = 21;
    const at = (y: number, x: number): number => (x < 0 || y < 0 ? 0 : image.data[y * stride + x]!);
    for (let y = 0; y < 5; y++) {
      expect(rows[y * (stride + 1)]).toBe(4);
      for (let x = 0; x < stride; x++) {
        const [a, b, c] = [at(y, x - 3), at(y - 1, x), at(y - 1, x - 3)];
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        const predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        expect(rows[y * (stride + 1) + 1 + x]).toBe((at(y, x) - predictor) & 255);
      }
    }
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(rows.length);
  });
});

describe('png-crc', () => {
  it('is the CRC-32 of the byte range (check value of "123456789": 0xcbf43926)', () => {
    const bytes = new TextEncoder().encode('xx123456789yy');
    expect(pngCrc32(bytes, 2, 11)).toBe(0xcbf43926);
    expect(pngCrc32(bytes, 0, 0)).toBe(0);
  });
});

function u32(value: number): number[] {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
}

/** The Adler-32 zlib writes for `data` (the last 4 bytes of its own stream). */
function zlibChecksum(data: Uint8Array): Uint8Array {
  return new Uint8Array(deflateSync(data).subarray(-4));
}
