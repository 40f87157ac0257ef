/**
 * Literal implementations of the 13 ops as docs/augmix-semantics.md states them, written for clarity, not
 * speed: one pixel and one channel at a time, every formula exactly as written there, no tables, no fast paths. The optimised
 * ops in `src/augmix/ops/` must give the same bytes on every input (tests only).
 */
import type { RgbImage } from '../../../src/augmix/image.js';
import type { OpName } from '../../../src/augmix/op-names.js';
import { pythonMod360, rotationCosSin } from '../../../src/augmix/ops/index.js';

const fround = Math.fround;

/** Maps each channel's values through the function built for that channel (evaluated once per value). */
function mapChannels(image: RgbImage, channelLut: (channel: number) => (v: number) => number): RgbImage {
  const out = new Uint8Array(image.data.length);
  const luts = [0, 1, 2].map((channel) => {
    const lut = channelLut(channel);
    return Uint8Array.from({ length: 256 }, (_, v) => lut(v));
  });
  for (let i = 0; i < out.length; i++) out[i] = luts[i % 3]![image.data[i]!]!;
  return { width: image.width, height: image.height, data: out };
}

function histogram(image: RgbImage, channel: number): number[] {
  const hist = new Array<number>(256).fill(0);
  for (let i = channel; i < image.data.length; i += 3) hist[image.data[i]!]!++;
  return hist;
}

function autocontrast(image: RgbImage): RgbImage {
  return mapChannels(image, (channel) => {
    const hist = histogram(image, channel);
    const lo = hist.findIndex((n) => n > 0);
    const hi = 255 - [...hist].reverse().findIndex((n) => n > 0);
    if (hi <= lo) return (v) => v;
    const scale = 255.0 / (hi - lo);
    const offset = -lo * scale;
    return (v) => Math.min(255, Math.max(0, Math.trunc(v * scale + offset)));
  });
}

function equalize(image: RgbImage): RgbImage {
  return mapChannels(image, (channel) => {
    const hist = histogram(image, channel);
    const present = hist.filter((n) => n > 0);
    const vmax = 255 - [...hist].reverse().findIndex((n) => n > 0);
    if (present.length <= 1) return (v) => v;
    const n = image.width * image.height;
    const step = Math.floor((n - hist[vmax]!) / 255);
    if (step === 0) return (v) => v;
    return (v) => {
      let below = 0;
      for (let j = 0; j < v; j++) below += hist[j]!;
      return Math.min(255, Math.floor((Math.floor(step / 2) + below) / step));
    };
  });
}

function affine(image: RgbImage, [a, b, c, d, e, f]: readonly number[]): RgbImage {
  const { width: w, height: h, data: p } = image;
  const out = new Uint8Array(p.length);
  const at = (x: number, y: number, ch: number) => p[(y * w + x) * 3 + ch]!;
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const X = x + 0.5;
      const Y = y + 0.5;
      let u = a! * X + b! * Y + c!;
      let v = d! * X + e! * Y + f!;
      if (!(u >= 0 && u < w && v >= 0 && v < h)) continue;
      u -= 0.5;
      v -= 0.5;
      const i = Math.floor(u);
      const j = Math.floor(v);
      const fx = u - i;
      const fy = v - j;
      const [i0, i1, j0, j1] = [clamp(i, w - 1), clamp(i + 1, w - 1), clamp(j, h - 1), clamp(j + 1, h - 1)];
      for (let ch = 0; ch < 3; ch++) {
        const top = at(i0, j0, ch) + (at(i1, j0, ch) - at(i0, j0, ch)) * fx;
        const bottom = at(i0, j1, ch) + (at(i1, j1, ch) - at(i0, j1, ch)) * fx;
        out[(y * w + x) * 3 + ch] = Math.trunc(top + (bottom - top) * fy);
      }
    }
  }
  return { width: w, height: h, data: out };
}

function remap(image: RgbImage, source: (x: number, y: number) => [number, number]): RgbImage {
  const { width: w, height: h, data } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [sx, sy] = source(x, y);
      for (let ch = 0; ch < 3; ch++) out[(y * w + x) * 3 + ch] = data[(sy * w + sx) * 3 + ch]!;
    }
  }
  return { width: w, height: h, data: out };
}

function rotate(image: RgbImage, degrees: number): RgbImage {
  const { width: w, height: h } = image;
  const angle = pythonMod360(degrees);
  if (angle === 0) return { width: w, height: h, data: image.data.slice() };
  if (angle === 180) return remap(image, (x, y) => [w - 1 - x, h - 1 - y]);
  if (angle === 90 && w === h) return remap(image, (x, y) => [w - 1 - y, x]);
  if (angle === 270 && w === h) return remap(image, (x, y) => [y, w - 1 - x]);
  const [cos, sin] = rotationCosSin(angle);
  const [cx, cy] = [w / 2, h / 2];
  const c = cos * -cx + sin * -cy + 0.0 + cx;
  const f = -sin * -cx + cos * -cy + 0.0 + cy;
  return affine(image, [cos, sin, c, -sin, cos, f]);
}

function blendValue(alpha: number, d: number, p: number): number {
  const t = fround(d + fround(alpha * (p - d)));
  if (alpha >= 0 && alpha <= 1) return Math.trunc(t);
  return t <= 0 ? 0 : t >= 255 ? 255 : Math.trunc(t);
}

function blend(degenerate: Uint8Array, image: RgbImage, factor: number): RgbImage {
  const alpha = fround(factor);
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i++) {
    out[i] =
      alpha === 0
        ? degenerate[i]!
        : alpha === 1
          ? image.data[i]!
          : blendValue(alpha, degenerate[i]!, image.data[i]!);
  }
  return { width: image.width, height: image.height, data: out };
}

function luma(data: Uint8Array, pixel: number): number {
  return (
    (19595 * data[pixel * 3]! + 38470 * data[pixel * 3 + 1]! + 7471 * data[pixel * 3 + 2]! + 32768) >> 16
  );
}

function smooth(image: RgbImage): Uint8Array {
  const { width: w, height: h, data } = image;
  const out = data.slice();
  if (w < 3 || h < 3) return out;
  const k1 = fround(1 / 13);
  const k5 = fround(5 / 13);
  const at = (x: number, y: number, ch: number) => data[(y * w + x) * 3 + ch]!;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      for (let ch = 0; ch < 3; ch++) {
        const row = (r: number, km: number) =>
          fround(
            fround(fround(at(x - 1, r, ch) * k1) + fround(at(x, r, ch) * km)) + fround(at(x + 1, r, ch) * k1),
          );
        let s = 0.5;
        s = fround(s + row(y + 1, k1));
        s = fround(s + row(y, k5));
        s = fround(s + row(y - 1, k1));
        out[(y * w + x) * 3 + ch] = s <= 0 ? 0 : s >= 255 ? 255 : Math.trunc(s);
      }
    }
  }
  return out;
}

function color(image: RgbImage, factor: number): RgbImage {
  const grey = new Uint8Array(image.data.length);
  for (let i = 0; i < grey.length; i++) grey[i] = luma(image.data, Math.floor(i / 3));
  return blend(grey, image, factor);
}

function contrast(image: RgbImage, factor: number): RgbImage {
  const n = image.width * image.height;
  const hist = new Array<number>(256).fill(0);
  for (let pixel = 0; pixel < n; pixel++) hist[luma(image.data, pixel)]!++;
  let total = 0;
  for (let v = 0; v < 256; v++) total += v * hist[v]!;
  const mean = Math.floor(total / n + 0.5);
  return blend(new Uint8Array(image.data.length).fill(mean), image, factor);
}

/** Every op, literal, by record name. */
export const REFERENCE_OPS: Readonly<Record<OpName, (image: RgbImage, value: number) => RgbImage>> = {
  autocontrast,
  equalize,
  posterize: (image, bits) => mapChannels(image, () => (v) => v & (~(2 ** (8 - bits) - 1) & 0xff)),
  solarize: (image, threshold) => mapChannels(image, () => (v) => (v < threshold ? v : 255 - v)),
  rotate,
  shear_x: (image, s) => affine(image, [1, s, 0, 0, 1, 0]),
  shear_y: (image, s) => affine(image, [1, 0, 0, s, 1, 0]),
  translate_x: (image, t) => affine(image, [1, 0, t, 0, 1, 0]),
  translate_y: (image, t) => affine(image, [1, 0, 0, 0, 1, t]),
  color,
  contrast,
  brightness: (image, factor) => blend(new Uint8Array(image.data.length), image, factor),
  sharpness: (image, factor) => blend(smooth(image), image, factor),
};
