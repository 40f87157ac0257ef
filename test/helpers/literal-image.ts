import type { RgbImage } from '../../src/augmix/image.js';

/** An RGB image from rows of [r, g, b] pixels (tests only). */
export function imageFromRows(rows: readonly (readonly (readonly [number, number, number])[])[]): RgbImage {
  const height = rows.length;
  const width = rows[0]?.length ?? 0;
  const data = new Uint8Array(width * height * 3);
  rows.forEach((row, y) => {
    if (row.length !== width) throw new Error(`row ${y} has ${row.length} pixels, expected ${width}`);
    row.forEach((pixel, x) => {
      data.set(pixel, (y * width + x) * 3);
    });
  });
  return { width, height, data };
}

/** A grey image (R = G = B) from rows of values. */
export function greyImage(rows: readonly (readonly number[])[]): RgbImage {
  return imageFromRows(rows.map((row) => row.map((v) => [v, v, v] as const)));
}

/** An image whose three channels are given separately, as flat arrays in row order. */
export function imageFromChannels(
  width: number,
  height: number,
  r: readonly number[],
  g: readonly number[],
  b: readonly number[],
): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    data[i * 3] = r[i]!;
    data[i * 3 + 1] = g[i]!;
    data[i * 3 + 2] = b[i]!;
  }
  return { width, height, data };
}

/** One channel of an image as a flat array in row order. */
export function channel(image: RgbImage, c: 0 | 1 | 2): number[] {
  const out: number[] = [];
  for (let i = c; i < image.data.length; i += 3) out.push(image.data[i]!);
  return out;
}

/** The pixels of an image as rows of [r, g, b]. */
export function pixelRows(image: RgbImage): [number, number, number][][] {
  const rows: [number, number, number][][] = [];
  for (let y = 0; y < image.height; y++) {
    const row: [number, number, number][] = [];
    for (let x = 0; x < image.width; x++) {
      const i = (y * image.width + x) * 3;
      row.push([image.data[i]!, image.data[i + 1]!, image.data[i + 2]!]);
    }
    rows.push(row);
  }
  return rows;
}
