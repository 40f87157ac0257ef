import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/codec/index.js';
import { decodePlainPng } from '../../src/codec/png-decode.js';
import { random } from '../helpers/noise-image.js';
import {
  filteredPng,
  fromRaw,
  greyAlphaPng,
  greyPng,
  palettePng,
  pattern,
  rgb16Png,
  rgbaPng,
  rgbPng,
  toBytes,
} from './inputs.js';

/** The pixels sharp gives for `bytes` with the codec's decode settings (alpha dropped, sRGB, 8-bit). */
async function sharpRgb(bytes: Uint8Array): Promise<Uint8Array> {
  const { data, info } = await sharp(bytes, { failOn: 'truncated' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  return new Uint8Array(data);
}

/** `png` with a chunk of each type (body `text`, valid CRC) inserted after IHDR. */
function withChunks(png: Uint8Array, types: readonly string[], text = 'Comment\0ok'): Uint8Array {
  const parts = [png.subarray(0, 33)];
  for (const type of types) {
    const body = Buffer.from(text, 'latin1');
    const chunk = Buffer.alloc(12 + body.length);
    chunk.writeUInt32BE(body.length, 0);
    chunk.write(type, 4, 'latin1');
    body.copy(chunk, 8);
    chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + body.length)), 8 + body.length);
    parts.push(chunk);
  }
  parts.push(png.subarray(33));
  return new Uint8Array(Buffer.concat(parts));
}

const W = 29;
const H = 17;
const greys = Uint8Array.from({ length: W * H }, (_, i) => (i * 53 + (i >> 3) * 7) & 255);
const alphas = Uint8Array.from({ length: W * H }, (_, i) => (i * 31) & 255);
const colours = Array.from({ length: 40 }, (_, i) => [(i * 61) & 255, (i * 17 + 5) & 255, (i * 101) & 255]);
const indices = Uint8Array.from({ length: W * H }, (_, i) => (i * 7) % colours.length);

describe('decodePlainPng: the same pixels as sharp', () => {
  const cases: [string, () => Promise<Uint8Array> | Uint8Array][] = [
    ['RGB, filter 0 (fast-png)', () => rgbPng(pattern(W, H))],
    [
      'RGB, adaptive filters 1-4 (sharp)',
      () => toBytes(fromRaw(pattern(W, H)).png({ adaptiveFiltering: true })),
    ],
    ['RGBA, alpha dropped without compositing', () => rgbaPng(pattern(W, H), (p) => alphas[p]!)],
    ['grey', () => greyPng(W, H, greys)],
    ['grey + alpha', () => greyAlphaPng(W, H, greys, alphas)],
    ['palette', () => palettePng(W, H, indices, colours)],
    ['palette with tRNS', () => palettePng(W, H, indices, colours, [0, 128, 255])],
    ['RGB with tEXt and pHYs chunks', () => withChunks(rgbPng(pattern(W, H)), ['tEXt', 'pHYs'])],
  ];
  it.each(cases)('%s', async (_name, make) => {
    const bytes = await make();
    const plain = decodePlainPng(bytes);
    expect(plain).not.toBeNull();
    expect([plain!.width, plain!.height]).toEqual([W, H]);
    expect(Buffer.from(plain!.data).equals(Buffer.from(await sharpRgb(bytes)))).toBe(true);
    // and decode() returns those pixels (it takes this path for small PNGs)
    expect(Buffer.from((await decode(bytes)).image.data).equals(Buffer.from(plain!.data))).toBe(true);
  });
});

describe('decodePlainPng: every row filter, on every sample width', () => {
  // few levels make many ties between the Paeth predictor's candidates; noise makes the rest
  it.each([
    [0, 'grey'],
    [4, 'grey + alpha'],
    [2, 'RGB'],
    [6, 'RGBA'],
  ] as const)('colour type %i (%s), filters 0-4, few levels and noise', (colourType, _name) => {
    const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colourType];
    const next = random(11 + colourType);
    for (const levels of [3, 256]) {
      const samples = Uint8Array.from({ length: W * H * channels }, () => Math.floor(next() * levels) * 97);
      const expected = new Uint8Array(W * H * 3);
      for (let p = 0; p < W * H; p++) {
        for (let k = 0; k < 3; k++) expected[p * 3 + k] = samples[p * channels + (channels < 3 ? 0 : k)]!;
      }
      for (const filter of [0, 1, 2, 3, 4] as const) {
        const decoded = decodePlainPng(filteredPng(W, H, colourType, samples, filter));
        expect({ levels, filter, same: Buffer.from(decoded!.data).equals(Buffer.from(expected)) }).toEqual({
          levels,
          filter,
          same: true,
        });
      }
    }
  });
});

describe('decodePlainPng: anything unusual is left to sharp', () => {
  it('returns null for 16-bit, interlaced, ICC-tagged, truncated, corrupt or large PNGs', async () => {
    const image = pattern(W, H);
    const interlaced = await toBytes(fromRaw(image).png({ progressive: true }));
    const tagged = await toBytes(fromRaw(image).png().withIccProfile('p3'));
    const rgb = rgbPng(image);
    const badCrc = rgb.slice();
    badCrc[40] = badCrc[40]! ^ 0xff;
    expect(decodePlainPng(rgb16Png(image))).toBeNull();
    expect(decodePlainPng(withChunks(rgb, ['gAMA']))).toBeNull();
    expect(decodePlainPng(withChunks(rgb, ['zTXt'], 'Raw profile type exif\0\0'))).toBeNull();
    expect(decodePlainPng(interlaced)).toBeNull();
    expect(decodePlainPng(tagged)).toBeNull();
    expect(decodePlainPng(rgb.subarray(0, rgb.length - 20))).toBeNull();
    expect(decodePlainPng(badCrc)).toBeNull();
    expect(decodePlainPng(rgbPng(pattern(128, 128)))).toBeNull();
    expect(decodePlainPng(new TextEncoder().encode('not a png at all, just text padding it out'))).toBeNull();
  });

  it('decode() still gives sharp-identical pixels for the PNGs it leaves to sharp', async () => {
    const image = pattern(W, H);
    for (const bytes of [rgb16Png(image), await toBytes(fromRaw(image).png({ progressive: true }))]) {
      expect(decodePlainPng(bytes)).toBeNull();
      expect(Buffer.from((await decode(bytes)).image.data).equals(Buffer.from(await sharpRgb(bytes)))).toBe(
        true,
      );
    }
  });
});
