#!/usr/bin/env node
// Writes the sample images under samples/ (committed) so that `npx augmix run samples out` works out of the
// box. Every pixel is computed here from fixed formulas, so the script is deterministic; run it again
// after changing it (`node scripts/make-samples.mjs`) and commit the result. Total size stays well under 300 KB.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'samples');

/** An RGB image from a per-pixel function (x, y) => [r, g, b]. */
function paint(width, height, pixel) {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const [r, g, b] = pixel(x, y);
      const i = (y * width + x) * 3;
      data[i] = clamp(r);
      data[i + 1] = clamp(g);
      data[i + 2] = clamp(b);
    }
  }
  return { data, width, height };
}

function clamp(v) {
  return Math.max(0, Math.min(255, Math.round(v)));
}

/** A street at sunset: sky gradient, sun, hills, houses with windows, a road. */
function street(x, y) {
  const w = 320;
  const h = 240;
  const horizon = 150;
  if ((x - 230) ** 2 + (y - 70) ** 2 < 26 ** 2) return [255, 214, 90];
  const hill = horizon - 25 * Math.sin((x / w) * Math.PI * 2.2) - 12;
  const houses = [
    [20, 95, 70, [180, 70, 60]],
    [110, 110, 55, [90, 120, 170]],
    [200, 88, 80, [210, 180, 120]],
  ];
  for (const [left, top, width, colour] of houses) {
    const roof = top - (width / 2 - Math.abs(x - left - width / 2)) * 0.6;
    if (x >= left && x < left + width && y >= roof && y < top) return [70, 40, 40];
    if (x >= left && x < left + width && y >= top && y < horizon + 20) {
      const window = (x - left) % 18 > 6 && (x - left) % 18 < 14 && (y - top) % 22 > 6 && (y - top) % 22 < 15;
      return window ? [250, 240, 160] : colour;
    }
  }
  if (y >= horizon + 20) {
    const stripe = y > 200 && y < 206 && Math.floor(x / 24) % 2 === 0;
    return stripe ? [240, 240, 240] : [60 + (y - 170) * 0.4, 60, 66];
  }
  if (y >= hill) return [50 + 30 * Math.sin(x / 9), 110 + (y - hill), 60];
  const t = y / horizon;
  return [40 + 200 * t, 60 + 90 * t, 150 - 40 * t + (h - w) * 0];
}

/** Overlapping coloured shapes on a light background. */
function shapes(x, y) {
  let colour = [235, 232, 225];
  if (x > 20 && x < 120 && y > 30 && y < 130) colour = [220, 60, 50];
  if ((x - 170) ** 2 + (y - 90) ** 2 < 55 ** 2) colour = [40, 120, 210];
  if (y > 140 && y < 235 && Math.abs(x - 90) < (y - 140) * 0.7) colour = [250, 190, 30];
  if ((x - 190) ** 2 / 50 ** 2 + (y - 190) ** 2 / 30 ** 2 < 1) colour = [60, 170, 90];
  return colour;
}

/** A grey radial gradient with rings (written as a 1-channel PNG). */
function grey(x, y) {
  const r = Math.hypot(x - 80, y - 80);
  const v = 128 + 100 * Math.cos(r / 6) * Math.exp(-r / 120);
  return [v, v, v];
}

/** A wide, non-square banner: diagonal colour bands. */
function banner(x, y) {
  const band = Math.floor((x + 2 * y) / 40) % 4;
  const bands = [
    [30, 60, 120],
    [200, 90, 40],
    [240, 220, 180],
    [80, 150, 110],
  ];
  const [r, g, b] = bands[band];
  return [r + (x % 40), g, b + (y % 30)];
}

/** A checkerboard of dots. */
function dots(x, y) {
  const cx = (x % 32) - 16;
  const cy = (y % 32) - 16;
  const inside = cx * cx + cy * cy < 100;
  const odd = (Math.floor(x / 32) + Math.floor(y / 32)) % 2 === 1;
  if (inside) return odd ? [200, 40, 120] : [40, 160, 200];
  return [250, 250, 245];
}

/** Vertical stripes of varying width. */
function stripes(x, y) {
  const v = Math.floor(Math.sqrt(x) * 3) % 2 === 0;
  return v ? [20 + y / 2, 30, 60] : [230, 200 - y / 2, 90];
}

async function write(name, image, encodeTo, channels = 3) {
  const file = path.join(root, name);
  mkdirSync(path.dirname(file), { recursive: true });
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  if (channels === 1) pipeline = pipeline.toColourspace('b-w');
  const bytes = await encodeTo(pipeline).toBuffer();
  writeFileSync(file, bytes);
  return bytes.length;
}

rmSync(root, { recursive: true, force: true });
const sizes = [
  await write('street.jpg', paint(320, 240, street), (p) => p.jpeg({ quality: 85 })),
  await write('shapes.png', paint(256, 256, shapes), (p) => p.png({ compressionLevel: 9, palette: false })),
  await write('grey.png', paint(160, 160, grey), (p) => p.png({ compressionLevel: 9 }), 1),
  await write('wide-banner.webp', paint(400, 150, banner), (p) => p.webp({ quality: 80 })),
  await write('nested/dots.png', paint(128, 96, dots), (p) => p.png({ compressionLevel: 9, palette: false })),
  await write('nested/deeper/stripes.jpg', paint(120, 200, stripes), (p) => p.jpeg({ quality: 85 })),
];
const labels = 'file,label\nstreet.jpg,street\nshapes.png,shapes\ngrey.png,rings\nwide-banner.webp,bands\n';
writeFileSync(path.join(root, 'labels.csv'), labels);
const total = sizes.reduce((a, b) => a + b, 0) + labels.length;
console.log(`samples/: ${sizes.length} images and labels.csv, ${total} bytes`);
