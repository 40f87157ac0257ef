import { invalidParameter } from './errors.js';

/** An 8-bit RGB image, channels interleaved (R, G, B, R, G, B, ...), rows top to bottom. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** `width * height * 3` bytes. */
  readonly data: Uint8Array;
}

/** Number of channels of every image in the core. */
export const CHANNELS = 3;

/** A black image of the given size. */
export function createImage(width: number, height: number): RgbImage {
  assertDimension('width', width);
  assertDimension('height', height);
  return { width, height, data: new Uint8Array(width * height * CHANNELS) };
}

/** Wraps existing bytes as an image after checking that they fit the size. */
export function imageFromData(width: number, height: number, data: Uint8Array): RgbImage {
  const image = { width, height, data };
  assertRgbImage(image);
  return image;
}

/** Throws when `image` is not a well-formed {@link RgbImage}. */
export function assertRgbImage(image: RgbImage, name = 'image'): void {
  assertDimension(`${name}.width`, image.width);
  assertDimension(`${name}.height`, image.height);
  if (!(image.data instanceof Uint8Array)) {
    throw invalidParameter(`${name}.data`, 'a Uint8Array', image.data, TypeError);
  }
  const expected = image.width * image.height * CHANNELS;
  if (image.data.length !== expected) {
    throw invalidParameter(
      `${name}.data.length`,
      `width * height * 3 = ${expected} (interleaved RGB; drop alpha and expand grey before the core)`,
      image.data.length,
    );
  }
}

function assertDimension(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw invalidParameter(name, 'an integer >= 1', value);
  }
}
