/**
 * Pillow `Image.rotate(degrees, resample=BILINEAR)` (no expand, centre (W/2, H/2), black fill): see
 * docs/augmix-semantics.md, "Geometry".
 */
import { CHANNELS, type RgbImage } from '../image.js';

/** Channels per pixel, as a module-local constant: hot loops never read an imported (loader-wrapped) binding. */
const CHANNEL_COUNT = CHANNELS;

import { affineBilinear } from './affine.js';
import { allocateImageData } from './image-buffers.js';

/**
 * Integer angles (after `mod 360`) where V8's `Math.cos`/`Math.sin` followed by rounding to 15 decimals do not
 * give what CPython's glibc-based `round(math.cos(φ), 15)` / `round(math.sin(φ), 15)` give (checked for all
 * 360 integer angles against the harness by `test/augmix/ops/rotate-trig.test.ts`): `[cos, sin]`.
 */
const PYTHON_COS_SIN_OVERRIDES: ReadonlyMap<number, readonly [number, number]> = new Map([
  [194, [-0.970295726275996, 0.241921895599668]],
  [216, [-0.809016994374948, 0.587785252292473]],
]);

/** Python's `angle % 360.0`: the result is in [0, 360) (or 360 for tiny negative angles), never -0. */
export function pythonMod360(angle: number): number {
  let r = angle % 360;
  if (r !== 0 && r < 0) r += 360;
  return r + 0;
}

/**
 * Python `round(x, 15)`; `toFixed` differs from it only on exact decimal ties, which cos/sin never produce
 * (and drops the sign of -0, which Python keeps).
 */
function round15(x: number): number {
  return x === 0 ? x : Number(x.toFixed(15));
}

/**
 * `[round15(cos φ), round15(sin φ)]` for `φ = -radians(angle)`, as Pillow computes them (angle already
 * reduced mod 360). Exact for every integer angle; for fractional angles V8's and glibc's cos/sin can differ
 * by one ulp, which very rarely survives the rounding (and then almost never changes a pixel).
 */
export function rotationCosSin(angle: number): readonly [number, number] {
  const override = PYTHON_COS_SIN_OVERRIDES.get(angle);
  if (override) return override;
  const phi = -(angle * (Math.PI / 180));
  return [round15(Math.cos(phi)), round15(Math.sin(phi))];
}

function copyImage(image: RgbImage): RgbImage {
  return { width: image.width, height: image.height, data: image.data.slice() };
}

/** Exact 180° flip. */
function rotate180(image: RgbImage): RgbImage {
  const src = image.data;
  const out = allocateImageData(src.length);
  const last = src.length - CHANNEL_COUNT;
  for (let i = 0; i < src.length; i += CHANNEL_COUNT) {
    const j = last - i;
    out[i] = src[j]!;
    out[i + 1] = src[j + 1]!;
    out[i + 2] = src[j + 2]!;
  }
  return { width: image.width, height: image.height, data: out };
}

/** Exact quarter turn of a square image: counter-clockwise (90) or clockwise (270) as displayed. */
function rotateQuarterSquare(image: RgbImage, counterClockwise: boolean): RgbImage {
  const n = image.width;
  const src = image.data;
  const out = allocateImageData(src.length);
  let o = 0;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++, o += CHANNEL_COUNT) {
      // 90: out(x, y) = in(n-1-y, x); 270: out(x, y) = in(y, n-1-x)
      const s = counterClockwise
        ? (x * n + (n - 1 - y)) * CHANNEL_COUNT
        : ((n - 1 - x) * n + y) * CHANNEL_COUNT;
      out[o] = src[s]!;
      out[o + 1] = src[s + 1]!;
      out[o + 2] = src[s + 2]!;
    }
  }
  return { width: n, height: n, data: out };
}

/**
 * Rotates by `degrees` counter-clockwise (as displayed) about the image centre, bilinear, black outside,
 * output the input's size. Angles are taken mod 360 (Python semantics); 0 is a copy, 180 an exact flip,
 * 90 and 270 on a square image exact quarter turns, as in Pillow.
 */
export function rotate(image: RgbImage, degrees: number): RgbImage {
  const angle = pythonMod360(degrees);
  const { width, height } = image;
  if (angle === 0) return copyImage(image);
  if (angle === 180) return rotate180(image);
  if ((angle === 90 || angle === 270) && width === height) return rotateQuarterSquare(image, angle === 90);
  const [cos, sin] = rotationCosSin(angle);
  const negSin = -sin;
  const cx = width / 2;
  const cy = height / 2;
  const c = cos * -cx + sin * -cy + 0.0 + cx;
  const f = negSin * -cx + cos * -cy + 0.0 + cy;
  return affineBilinear(image, [cos, sin, c, negSin, cos, f]);
}
