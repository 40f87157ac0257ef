import { createImage, type RgbImage } from '../augmix/image.js';

/**
 * Scales `image` to fit in a `maxSide` x `maxSide` square, keeping its aspect ratio: down by averaging the
 * source pixels each output pixel covers (a box filter, so thin lines and noise do not alias), up by an
 * integer factor with nearest neighbour (so the pixels of tiny images stay visible as squares).
 */
export function fitThumbnail(image: RgbImage, maxSide: number): RgbImage {
  const longSide = Math.max(image.width, image.height);
  if (longSide <= maxSide) {
    const factor = Math.max(1, Math.floor(maxSide / longSide));
    return factor === 1 ? image : upscale(image, factor);
  }
  const scale = maxSide / longSide;
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  return boxDownscale(image, width, height);
}

function upscale(image: RgbImage, factor: number): RgbImage {
  const out = createImage(image.width * factor, image.height * factor);
  for (let y = 0; y < out.height; y += 1) {
    const sy = Math.floor(y / factor);
    for (let x = 0; x < out.width; x += 1) {
      const s = (sy * image.width + Math.floor(x / factor)) * 3;
      const d = (y * out.width + x) * 3;
      out.data[d] = image.data[s]!;
      out.data[d + 1] = image.data[s + 1]!;
      out.data[d + 2] = image.data[s + 2]!;
    }
  }
  return out;
}

function boxDownscale(image: RgbImage, width: number, height: number): RgbImage {
  const out = createImage(width, height);
  const sum = new Float64Array(3);
  for (let y = 0; y < height; y += 1) {
    const y0 = Math.floor((y * image.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * image.height) / height));
    for (let x = 0; x < width; x += 1) {
      const x0 = Math.floor((x * image.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * image.width) / width));
      sum.fill(0);
      for (let sy = y0; sy < y1; sy += 1) {
        for (let sx = x0; sx < x1; sx += 1) {
          const s = (sy * image.width + sx) * 3;
          sum[0]! += image.data[s]!;
          sum[1]! += image.data[s + 1]!;
          sum[2]! += image.data[s + 2]!;
        }
      }
      const count = (y1 - y0) * (x1 - x0);
      const d = (y * width + x) * 3;
      out.data[d] = Math.round(sum[0]! / count);
      out.data[d + 1] = Math.round(sum[1]! / count);
      out.data[d + 2] = Math.round(sum[2]! / count);
    }
  }
  return out;
}

/** Copies `source` into `target` with its top-left corner at (`x`, `y`), clipped to `target`. */
export function blit(target: RgbImage, source: RgbImage, x: number, y: number): void {
  const x0 = Math.max(0, -x);
  const x1 = Math.min(source.width, target.width - x);
  if (x1 <= x0) return;
  for (let sy = Math.max(0, -y); sy < source.height && sy + y < target.height; sy += 1) {
    const from = (sy * source.width + x0) * 3;
    const to = ((sy + y) * target.width + x + x0) * 3;
    target.data.set(source.data.subarray(from, from + (x1 - x0) * 3), to);
  }
}
