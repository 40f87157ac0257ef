import { invalidParameter } from '../augmix/errors.js';
import { CHANNELS, type RgbImage } from '../augmix/image.js';
import { simdKernels } from '../augmix/ops/simd/kernels.js';
import { scanWithKernels } from './jpeg-encode-simd.js';
import { forwardDct } from './jpeg-fdct.js';
import {
  AC_CHROMA,
  AC_CHROMA_CODES,
  AC_LUMA,
  AC_LUMA_CODES,
  DC_CHROMA,
  DC_CHROMA_CODES,
  DC_LUMA,
  DC_LUMA_CODES,
  type HuffmanSpec,
  MCU_MAX_BYTES,
  type QualitySettings,
  type Quantiser,
  settingsFor,
  ZIGZAG,
} from './jpeg-tables.js';

/** A JPEG frame header holds each side in 16 bits. */
const MAX_JPEG_SIDE = 65_535;

/**
 * Writes a baseline JPEG of an 8-bit RGB image: YCbCr 4:2:0, the example quantisation tables scaled to
 * `quality`, the standard Huffman tables, no metadata. Every step is computed as libjpeg-turbo computes it
 * with those settings (docs/jpeg-writer.md), so the file is byte for byte the one sharp writes with
 * `.jpeg({ quality, optimiseCoding: false, chromaSubsampling: '4:2:0' })` (a test compares the two); it
 * spares small images sharp's fixed cost per call.
 */
export function encodeBaselineJpeg(image: RgbImage, quality: number): Uint8Array {
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw invalidParameter('quality', 'an integer in 1..100', quality);
  }
  if (image.width > MAX_JPEG_SIDE || image.height > MAX_JPEG_SIDE) {
    throw invalidParameter('image', `at most ${MAX_JPEG_SIDE} pixels a side (JPEG's limit)`, image.width);
  }
  const kernels = simdKernels();
  const settings = settingsFor(quality);
  const scan = kernels === null ? scanInJs(image, settings) : scanWithKernels(image, settings, kernels);
  const header = headerTemplate(settings);
  const file = new Uint8Array(header.bytes.length + scan.length + 2);
  file.set(header.bytes);
  file[header.sizeAt] = image.height >> 8;
  file[header.sizeAt + 1] = image.height & 0xff;
  file[header.sizeAt + 2] = image.width >> 8;
  file[header.sizeAt + 3] = image.width & 0xff;
  file.set(scan, header.bytes.length);
  file[file.length - 2] = 0xff;
  file[file.length - 1] = 0xd9; // EOI
  return file;
}

/** The entropy-coded scan as the TypeScript reference writes it. */
export function scanInJs(image: RgbImage, settings: QualitySettings): Uint8Array {
  const writer = new ScanWriter(image.width * image.height + 4096);
  writeScan(image, settings, writer);
  writer.reserve(8);
  writer.flush();
  return writer.out.subarray(0, writer.at);
}

/** The header of a quality's files, with the place of the image size in it. */
interface HeaderTemplate {
  readonly bytes: Uint8Array;
  /** Offset of the SOF0 height (2 bytes), followed by the width (2 bytes). */
  readonly sizeAt: number;
}

const headersBySettings = new WeakMap<QualitySettings, HeaderTemplate>();

/**
 * SOI, the two DQT segments, SOF0, the four DHT segments and SOS, in the order and form sharp writes them
 * (docs/jpeg-writer.md, "File layout"), made once per quality; the image size goes in at `sizeAt`.
 */
function headerTemplate(settings: QualitySettings): HeaderTemplate {
  const cached = headersBySettings.get(settings);
  if (cached !== undefined) return cached;
  const bytes: number[] = [0xff, 0xd8];
  const segment = (marker: number, body: ArrayLike<number>) => {
    bytes.push(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff);
    for (let i = 0; i < body.length; i++) bytes.push(body[i]!);
  };
  for (const [id, table] of [settings.lumaTable, settings.chromaTable].entries()) {
    segment(0xdb, [id, ...Array.from(ZIGZAG, (natural) => table[natural]!)]);
  }
  const sizeAt = bytes.length + 5;
  // 8-bit samples, the size (filled in per image), then Y sampled 2x2 with table 0, Cb and Cr 1x1 with table 1
  segment(0xc0, [8, 0, 0, 0, 0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  const huffman = (classAndId: number, { counts, symbols }: HuffmanSpec) =>
    segment(0xc4, [classAndId, ...counts, ...symbols]);
  huffman(0x00, DC_LUMA);
  huffman(0x10, AC_LUMA);
  huffman(0x01, DC_CHROMA);
  huffman(0x11, AC_CHROMA);
  segment(0xda, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
  const template = { bytes: Uint8Array.from(bytes), sizeAt };
  headersBySettings.set(settings, template);
  return template;
}

/** The entropy-coded bytes, written MSB first with a 0 stuffed after every 0xFF byte. */
class ScanWriter {
  out: Uint8Array;
  at = 0;
  private bits = 0;
  private count = 0;

  constructor(capacity: number) {
    this.out = new Uint8Array(capacity);
  }

  /** Room for `bytes` more bytes. */
  reserve(bytes: number): void {
    if (this.at + bytes <= this.out.length) return;
    const grown = new Uint8Array(Math.max(this.out.length * 2, this.at + bytes));
    grown.set(this.out.subarray(0, this.at));
    this.out = grown;
  }

  /** The low `length` bits of `value` (length <= 16). */
  put(value: number, length: number): void {
    let bits = (this.bits << length) | (value & ((1 << length) - 1));
    let count = this.count + length;
    const out = this.out;
    while (count >= 8) {
      count -= 8;
      const byte = (bits >>> count) & 0xff;
      out[this.at++] = byte;
      if (byte === 0xff) out[this.at++] = 0;
    }
    bits &= (1 << count) - 1;
    this.bits = bits;
    this.count = count;
  }

  /** Pads the last byte with 1 bits. */
  flush(): void {
    if (this.count > 0) this.put(0x7f, 8 - this.count);
  }
}

/** Fixed-point RGB -> YCbCr (16 fraction bits, libjpeg-turbo's constants and rounding). */
const Y_R = 19595;
const Y_G = 38470;
const Y_B = 7471;
const CB_R = -11059;
const CB_G = -21709;
const CR_G = -27439;
const CR_B = -5329;
const HALF = 32768;
const CHROMA_BIAS = (128 << 16) + HALF - 1;

/**
 * Converts and codes the image one MCU row (16 pixel rows) at a time. The planes hold centred samples
 * (value - 128): Y at full resolution, Cb and Cr averaged over 2x2 pixels with a bias of 1 and 2 in
 * alternate columns. Pixels past the right or bottom edge repeat the last column or row; chroma rows past the
 * last repeat the last chroma row. Luma blocks wholly past the edge are not transformed: their DC is the
 * previous block's and their AC zero.
 */
function writeScan({ width, height, data }: RgbImage, settings: QualitySettings, writer: ScanWriter): void {
  const mcuColumns = Math.ceil(width / 16);
  const mcuRows = Math.ceil(height / 16);
  const lumaBlockColumns = Math.ceil(width / 8);
  const lumaBlockRows = Math.ceil(height / 8);
  const chromaRows = Math.ceil(height / 2);
  const planeWidth = mcuColumns * 16;
  const chromaWidth = mcuColumns * 8;
  const lumaPlane = new Int32Array(16 * planeWidth);
  const cbRows = new Int32Array(2 * planeWidth);
  const crRows = new Int32Array(2 * planeWidth);
  const cbPlane = new Int32Array(8 * chromaWidth);
  const crPlane = new Int32Array(8 * chromaWidth);
  const block = new Int32Array(64);
  const previousDc = new Int32Array(3);
  const lumaDc = new Int32Array(4);
  for (let mcuRow = 0; mcuRow < mcuRows; mcuRow++) {
    const top = mcuRow * 16;
    for (let r = 0; r < 16; r++) {
      const y = Math.min(top + r, height - 1);
      convertRow(
        data,
        y * width * CHANNELS,
        width,
        planeWidth,
        lumaPlane,
        r * planeWidth,
        cbRows,
        crRows,
        r & 1,
      );
      if ((r & 1) === 1) {
        const chromaRow = mcuRow * 8 + (r >> 1);
        if (chromaRow < chromaRows) {
          downsampleRow(cbRows, planeWidth, cbPlane, (r >> 1) * chromaWidth);
          downsampleRow(crRows, planeWidth, crPlane, (r >> 1) * chromaWidth);
        } else {
          const last = (r >> 1) * chromaWidth;
          cbPlane.copyWithin(last, last - chromaWidth, last);
          crPlane.copyWithin(last, last - chromaWidth, last);
        }
      }
    }
    for (let mcuColumn = 0; mcuColumn < mcuColumns; mcuColumn++) {
      writer.reserve(MCU_MAX_BYTES);
      for (let k = 0; k < 4; k++) {
        const blockColumn = mcuColumn * 2 + (k & 1);
        // a block past the image: the upper right block's DC (lower row) or the left one's (right edge)
        const pastEdge =
          mcuRow * 2 + (k >> 1) >= lumaBlockRows ? 1 : blockColumn >= lumaBlockColumns ? k - 1 : -1;
        let dc: number;
        if (pastEdge < 0) {
          loadBlock(lumaPlane, (k >> 1) * 8 * planeWidth + blockColumn * 8, planeWidth, block);
          forwardDct(block);
          dc = writeBlock(block, settings.luma, previousDc[0]!, DC_LUMA_CODES, AC_LUMA_CODES, writer);
        } else {
          dc = lumaDc[pastEdge]!;
          writeDummyBlock(dc - previousDc[0]!, DC_LUMA_CODES, AC_LUMA_CODES, writer);
        }
        lumaDc[k] = dc;
        previousDc[0] = dc;
      }
      for (const [c, plane] of [cbPlane, crPlane].entries()) {
        loadBlock(plane, mcuColumn * 8, chromaWidth, block);
        forwardDct(block);
        previousDc[c + 1] = writeBlock(
          block,
          settings.chroma,
          previousDc[c + 1]!,
          DC_CHROMA_CODES,
          AC_CHROMA_CODES,
          writer,
        );
      }
    }
  }
}

/**
 * One pixel row into centred Y (at `lumaAt` in the plane) and full-resolution Cb, Cr (row `parity` of the
 * pair), each repeated past the right edge to `planeWidth`.
 */
function convertRow(
  data: Uint8Array,
  from: number,
  width: number,
  planeWidth: number,
  luma: Int32Array,
  lumaAt: number,
  cbRows: Int32Array,
  crRows: Int32Array,
  parity: number,
): void {
  const chromaAt = parity * planeWidth;
  for (let x = 0, p = from; x < width; x++, p += CHANNELS) {
    const r = data[p]!;
    const g = data[p + 1]!;
    const b = data[p + 2]!;
    luma[lumaAt + x] = ((Y_R * r + Y_G * g + Y_B * b + HALF) >> 16) - 128;
    cbRows[chromaAt + x] = (CB_R * r + CB_G * g + HALF * b + CHROMA_BIAS) >> 16;
    crRows[chromaAt + x] = (HALF * r + CR_G * g + CR_B * b + CHROMA_BIAS) >> 16;
  }
  const lastLuma = luma[lumaAt + width - 1]!;
  const lastCb = cbRows[chromaAt + width - 1]!;
  const lastCr = crRows[chromaAt + width - 1]!;
  for (let x = width; x < planeWidth; x++) {
    luma[lumaAt + x] = lastLuma;
    cbRows[chromaAt + x] = lastCb;
    crRows[chromaAt + x] = lastCr;
  }
}

/** The 2x2 averages of a pair of full-resolution chroma rows, centred, with biases 1, 2, 1, 2, ... */
function downsampleRow(rows: Int32Array, planeWidth: number, plane: Int32Array, at: number): void {
  for (let x = 0, o = at; x < planeWidth; x += 2, o++) {
    const sum = rows[x]! + rows[x + 1]! + rows[planeWidth + x]! + rows[planeWidth + x + 1]!;
    plane[o] = ((sum + 1 + ((x >> 1) & 1)) >> 2) - 128;
  }
}

function loadBlock(plane: Int32Array, at: number, stride: number, block: Int32Array): void {
  for (let row = 0; row < 8; row++) {
    const from = at + row * stride;
    for (let x = 0; x < 8; x++) block[row * 8 + x] = plane[from + x]!;
  }
}

/**
 * Quantises a transformed block and writes it: the DC as its difference from `previousDc`, then the AC in
 * zig-zag order as (zero run, size) symbols, ZRL for runs of 16 and EOB after the last non-zero one.
 * Returns the quantised DC.
 */
function writeBlock(
  block: Int32Array,
  { reciprocal, correction, shift }: Quantiser,
  previousDc: number,
  dcCodes: Int32Array,
  acCodes: Int32Array,
  writer: ScanWriter,
): number {
  const dc = quantise(block[0]!, reciprocal[0]!, correction[0]!, shift[0]!);
  writeValue(dc - previousDc, 0, dcCodes, writer);
  let run = 0;
  for (let k = 1; k < 64; k++) {
    const n = ZIGZAG[k]!;
    const value = quantise(block[n]!, reciprocal[n]!, correction[n]!, shift[n]!);
    if (value === 0) {
      run++;
      continue;
    }
    while (run > 15) {
      const zrl = acCodes[0xf0]!;
      writer.put(zrl & 0xffff, zrl >>> 16);
      run -= 16;
    }
    writeValue(value, run << 4, acCodes, writer);
    run = 0;
  }
  if (run > 0) {
    const eob = acCodes[0]!;
    writer.put(eob & 0xffff, eob >>> 16);
  }
  return dc;
}

/** A block with no AC: its DC difference, then EOB. */
function writeDummyBlock(
  dcDifference: number,
  dcCodes: Int32Array,
  acCodes: Int32Array,
  writer: ScanWriter,
): void {
  writeValue(dcDifference, 0, dcCodes, writer);
  const eob = acCodes[0]!;
  writer.put(eob & 0xffff, eob >>> 16);
}

/** The symbol `runBits | size` of `value`, then its `size` low bits (one less, for a negative value). */
function writeValue(value: number, runBits: number, codes: Int32Array, writer: ScanWriter): void {
  const magnitude = value < 0 ? -value : value;
  const size = magnitude === 0 ? 0 : 32 - Math.clz32(magnitude);
  const code = codes[runBits | size]!;
  writer.put(code & 0xffff, code >>> 16);
  if (size > 0) writer.put(value < 0 ? value - 1 : value, size);
}

function quantise(value: number, reciprocal: number, correction: number, shift: number): number {
  if (value < 0) return -(((-value + correction) * reciprocal) >>> shift);
  return ((value + correction) * reciprocal) >>> shift;
}
