/** The codec: the only module that imports sharp. */
export { configureSharp, configureSharpWhenLoaded, type SharpConfigOptions } from './configure.js';
export { assertDecodeOptions, type DecodedImage, type DecodeOptions, decode, FAIL_ON } from './decode.js';
export { type EncodeOptions, encode, SMALL_JPEG_MAX_PIXELS, SMALL_PNG_MAX_PIXELS } from './encode.js';
export {
  CONTENT_TYPES,
  DEFAULT_QUALITY,
  formatFromPath,
  isOutputFormat,
  OUTPUT_FORMATS,
  sameFormatAs,
} from './formats.js';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, MAX_SIZE } from './limits.js';
export { beforeSharpLoads } from './sharp-module.js';
export { type SniffedFormat, sniffFormat } from './sniff.js';
