import type { RgbImage } from '../src/augmix/image.js';

/**
 * A deterministic photo-like image: smooth colour fields, a few hard-edged shapes and mild noise, so that
 * JPEG/PNG sizes and codec costs are closer to real photos than a flat or random image would give.
 * `variation` moves the shapes and reseeds the noise, so a dataset can hold distinct images.
 */
export function syntheticPhoto(width: number, height: number, variation = 0): RgbImage {
  const data = new Uint8Array(width * height * 3);
  let state = (0x9e3779b9 + Math.imul(variation, 0x85ebca6b)) >>> 0;
  const cx = 0.35 + 0.2 * Math.sin(variation * 1.7);
  const cy = 0.45 + 0.2 * Math.sin(variation * 2.3);
  const bar = 0.6 + 0.15 * Math.sin(variation * 0.9);
  const noise = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state >>> 24) / 32 - 4; // -4..4
  };
  for (let y = 0; y < height; y++) {
    const v = y / height;
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const inDisc = (u - cx) ** 2 + (v - cy) ** 2 < 0.04;
      const inBar = u > bar && u < bar + 0.2 && v > 0.2;
      let r = 90 + 110 * u + 30 * Math.sin(9 * v);
      let g = 70 + 120 * v + 25 * Math.cos(7 * u);
      let b = 140 - 80 * u * v;
      if (inDisc) [r, g, b] = [210, 180 - 60 * v, 60];
      if (inBar) [r, g, b] = [40 + 40 * v, 60, 90];
      const i = (y * width + x) * 3;
      data[i] = clamp(r + noise());
      data[i + 1] = clamp(g + noise());
      data[i + 2] = clamp(b + noise());
    }
  }
  return { width, height, data };
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}
