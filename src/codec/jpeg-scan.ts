import { ZIGZAG } from './jpeg-tables.js';

// The marker segments and the entropy-coded data of the plain JPEGs jpeg-decode.ts takes (docs/jpeg-reader.md).

export interface HuffmanTable {
  /** For the next 9 bits: the code's length << 8 | symbol, or 0 when the code is longer. */
  readonly fast: Uint16Array;
  /** maxCode[l]: the largest code of length l (-1 when none); valueOffset[l]: symbol index minus code. */
  readonly maxCode: Int32Array;
  readonly valueOffset: Int32Array;
  readonly symbols: Uint8Array;
}

export interface Component {
  readonly id: number;
  readonly quantId: number;
  quant: Int32Array | null;
  dc: HuffmanTable | null;
  ac: HuffmanTable | null;
}

export interface Frame {
  readonly width: number;
  readonly height: number;
  /** 2 for 4:2:0 (Y sampled 2x2), 1 for 4:4:4. */
  readonly factor: number;
  readonly components: readonly Component[];
  /** Where the entropy-coded data starts. */
  readonly scanAt: number;
}

const FAST_BITS = 9;

/**
 * Walks the segments from SOI to the first SOS; `null` for anything the plain path does not take. Each kind of
 * segment is read by a function of its own: this loop runs a dozen times per file, and small functions keep
 * what the JIT optimises (the table loops) small too (as one function, this one took the JIT about 30 ms).
 */
export function readSegments(bytes: Uint8Array): Frame | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  const quantTables: (Int32Array | undefined)[] = [];
  const tables: (HuffmanTable | undefined)[] = [];
  let frame: FrameHeader | null = null;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    const body = at + 4;
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length) return null;
    if (marker === 0xdb) {
      if (!readQuantTables(bytes, body, end, quantTables)) return null;
    } else if (marker === 0xc4) {
      if (!readHuffmanTables(bytes, body, end, tables)) return null;
    } else if (marker === 0xc0 || marker === 0xc1) {
      if (frame !== null || length !== 17) return null;
      frame = readFrameHeader(bytes, body);
      if (frame === null) return null;
    } else if (marker === 0xda) {
      if (frame === null || length !== 12) return null;
      return readScanHeader(bytes, body, frame, quantTables, tables) ? { ...frame, scanAt: end } : null;
    } else if (marker === 0xdd) {
      if ((bytes[body]! | bytes[body + 1]!) !== 0) return null; // restart intervals are left to sharp
    } else if (marker === 0xe1 || marker === 0xe2 || marker === 0xee) {
      return null; // EXIF (orientation), ICC profile, Adobe colour transform: sharp applies them
    } else if (!((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe)) {
      return null; // other frame types, DNL, arithmetic coding, ...
    }
    at = end;
  }
  return null;
}

/** A frame before its scan: its size and components. */
type FrameHeader = Omit<Frame, 'scanAt'>;

/** A DQT segment's 8-bit tables, in natural order, into `quantTables` by id; `false` for what is not taken. */
function readQuantTables(
  bytes: Uint8Array,
  body: number,
  end: number,
  quantTables: (Int32Array | undefined)[],
): boolean {
  for (let p = body; p < end; p += 65) {
    const id = bytes[p]!;
    if (id > 3 || p + 65 > end) return false; // 16-bit tables are not taken
    const table = new Int32Array(64);
    for (let k = 0; k < 64; k++) table[ZIGZAG[k]!] = bytes[p + 1 + k]!;
    quantTables[id] = table;
  }
  return true;
}

/**
 * A DHT segment's tables into `tables` (index: class << 2 | id); `false` for a malformed one, or a DC table
 * with a symbol above 15, which libjpeg-turbo refuses even when the data never uses it.
 */
function readHuffmanTables(
  bytes: Uint8Array,
  body: number,
  end: number,
  tables: (HuffmanTable | undefined)[],
): boolean {
  let p = body;
  while (p < end) {
    const classAndId = bytes[p]!;
    if ((classAndId & 0xec) !== 0 || p + 17 > end) return false;
    let total = 0;
    for (let i = 1; i <= 16; i++) total += bytes[p + i]!;
    if (total > 256 || p + 17 + total > end) return false;
    const symbols = bytes.subarray(p + 17, p + 17 + total);
    if (classAndId >> 4 === 0) {
      for (let i = 0; i < total; i++) if (symbols[i]! > 15) return false;
    }
    const table = huffmanTable(bytes.subarray(p + 1, p + 17), symbols);
    if (table === null) return false;
    tables[((classAndId >> 4) << 2) | (classAndId & 3)] = table;
    p += 17 + total;
  }
  return true;
}

/** The SOF0/SOF1 segment's body (length 17 checked): 8-bit, 3 components, 4:2:0 or 4:4:4; else `null`. */
function readFrameHeader(bytes: Uint8Array, body: number): FrameHeader | null {
  if (bytes[body] !== 8 || bytes[body + 5] !== 3) return null;
  const height = (bytes[body + 1]! << 8) | bytes[body + 2]!;
  const width = (bytes[body + 3]! << 8) | bytes[body + 4]!;
  const luma = bytes[body + 7];
  const factor = luma === 0x22 ? 2 : luma === 0x11 ? 1 : 0;
  if (width === 0 || height === 0 || factor === 0 || bytes[body + 10] !== 0x11 || bytes[body + 13] !== 0x11) {
    return null;
  }
  // chroma narrower than 3 samples is upsampled by plain repetition: left to sharp
  if (factor === 2 && width <= 4) return null;
  const components: Component[] = [];
  for (let c = 0; c < 3; c++) {
    components.push({
      id: bytes[body + 6 + 3 * c]!,
      quantId: bytes[body + 8 + 3 * c]!,
      quant: null,
      dc: null,
      ac: null,
    });
  }
  return { width, height, factor, components };
}

/**
 * The SOS segment's body (length 12 checked): the frame's three components in order, each given the tables in
 * force when the scan starts, and a sequential scan of all 64 coefficients; `false` for anything else.
 */
function readScanHeader(
  bytes: Uint8Array,
  body: number,
  frame: FrameHeader,
  quantTables: readonly (Int32Array | undefined)[],
  tables: readonly (HuffmanTable | undefined)[],
): boolean {
  if (bytes[body] !== 3) return false;
  for (let c = 0; c < 3; c++) {
    const component = frame.components[c]!;
    const selector = bytes[body + 2 + 2 * c]!;
    if (bytes[body + 1 + 2 * c] !== component.id) return false;
    component.quant = quantTables[component.quantId] ?? null;
    component.dc = tables[selector >> 4] ?? null;
    component.ac = tables[4 | (selector & 15)] ?? null;
    if (component.quant === null || component.dc === null || component.ac === null) return false;
  }
  return bytes[body + 7] === 0 && bytes[body + 8] === 63 && bytes[body + 9] === 0;
}

/** The decoding tables of a DHT table; `null` when its counts overfill the code space. */
function huffmanTable(counts: Uint8Array, symbols: Uint8Array): HuffmanTable | null {
  const fast = new Uint16Array(1 << FAST_BITS);
  const maxCode = new Int32Array(18).fill(-1);
  const valueOffset = new Int32Array(18);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    const count = counts[length - 1]!;
    valueOffset[length] = k - code;
    for (let i = 0; i < count; i++, code++, k++) {
      if (code >= 1 << length) return null;
      if (length <= FAST_BITS) {
        const first = code << (FAST_BITS - length);
        fast.fill((length << 8) | symbols[k]!, first, first + (1 << (FAST_BITS - length)));
      }
    }
    maxCode[length] = count > 0 ? code - 1 : -1;
    code <<= 1;
  }
  return { fast, maxCode, valueOffset, symbols };
}

/**
 * The entropy-coded data as a bit stream: 0xFF 0x00 is a 0xFF byte; at a marker (or the end of the bytes) the
 * data has ended and `ended` is set (the bits read after it are zeros, which a complete scan never uses).
 */
class BitReader {
  private bits = 0;
  private count = 0;
  /** Zero bits fed in after the data ended. */
  private padding = 0;
  private ended = false;

  constructor(
    private readonly bytes: Uint8Array,
    public at: number,
  ) {}

  /** Makes more than 24 bits available (zeros once the data has ended). */
  private fill(): void {
    while (this.count <= 24) {
      let byte = 0;
      if (!this.ended) {
        const bytes = this.bytes;
        if (this.at >= bytes.length) {
          this.ended = true;
        } else {
          byte = bytes[this.at]!;
          if (byte === 0xff) {
            const next = bytes[this.at + 1];
            if (next === 0) {
              this.at += 2;
            } else {
              this.ended = true;
              byte = 0;
            }
          } else {
            this.at += 1;
          }
        }
      }
      if (this.ended) this.padding += 8;
      this.bits = (this.bits << 8) | byte;
      this.count += 8;
    }
  }

  /**
   * Whether the data ended where the scan did: no zero bits past the data were used, and less than a byte of
   * the data (the last byte's padding) was left; `at` is then where the next marker must be.
   */
  endedCleanly(): boolean {
    const left = this.count - this.padding;
    return left >= 0 && left < 8;
  }

  /** The next Huffman symbol, or -1 for a code the table lacks. */
  symbol(table: HuffmanTable): number {
    if (this.count < 16) this.fill();
    const peek = (this.bits >>> (this.count - FAST_BITS)) & ((1 << FAST_BITS) - 1);
    const entry = table.fast[peek]!;
    if (entry !== 0) {
      this.count -= entry >> 8;
      return entry & 0xff;
    }
    for (let length = FAST_BITS + 1; length <= 16; length++) {
      const code = (this.bits >>> (this.count - length)) & ((1 << length) - 1);
      if (code <= table.maxCode[length]!) {
        this.count -= length;
        return table.symbols[code + table.valueOffset[length]!]!;
      }
    }
    return -1;
  }

  /** The next `size` bits (1..16) as a signed coefficient value (JPEG's EXTEND). */
  value(size: number): number {
    if (this.count < 16) this.fill();
    this.count -= size;
    const raw = (this.bits >>> this.count) & ((1 << size) - 1);
    return raw < 1 << (size - 1) ? raw - (1 << size) + 1 : raw;
  }
}

/** How a frame's MCUs lie over its planes. */
export interface McuLayout {
  /** 16 (4:2:0) or 8 (4:4:4) pixels. */
  readonly mcuSize: number;
  readonly mcuColumns: number;
  readonly mcuRows: number;
  /** Bytes a row of the luma plane and of each chroma plane (planes cover whole MCUs). */
  readonly lumaStride: number;
  readonly chromaStride: number;
  /** The scan's blocks: per MCU, factor x factor luma blocks, then one Cb and one Cr block. */
  readonly blocks: number;
}

export function mcuLayout({ width, height, factor }: Frame): McuLayout {
  const mcuSize = 8 * factor;
  const mcuColumns = Math.ceil(width / mcuSize);
  const mcuRows = Math.ceil(height / mcuSize);
  return {
    mcuSize,
    mcuColumns,
    mcuRows,
    lumaStride: mcuColumns * mcuSize,
    chromaStride: mcuColumns * 8,
    blocks: mcuColumns * mcuRows * (factor * factor + 2),
  };
}

/**
 * Decodes every block's coefficients, dequantised, into `coefficients` (64 i32 a block in natural order, in
 * the scan's order; all zero on entry). `false` at a bad code, data ending early, or no EOI after the scan.
 */
export function decodeCoefficients(bytes: Uint8Array, frame: Frame, coefficients: Int32Array): boolean {
  const { components, factor } = frame;
  const { mcuColumns, mcuRows } = mcuLayout(frame);
  const mcus = mcuColumns * mcuRows;
  const reader = new BitReader(bytes, frame.scanAt);
  const previousDc = [0, 0, 0];
  let block = 0;
  for (let mcu = 0; mcu < mcus; mcu++) {
    for (let c = 0; c < 3; c++) {
      const component = components[c]!;
      const blocks = c === 0 ? factor * factor : 1;
      for (let b = 0; b < blocks; b++, block++) {
        const dc = decodeBlock(reader, component, previousDc[c]!, coefficients, block * 64);
        if (dc === null) return false;
        previousDc[c] = dc;
      }
    }
  }
  if (!reader.endedCleanly()) return false;
  // what follows the data must be EOI
  return bytes[reader.at] === 0xff && bytes[reader.at + 1] === 0xd9;
}

/**
 * The largest dequantised coefficient taken. The DCT of 8-bit samples stays within about 2,048 (plus half a
 * quantisation step), so only damaged data goes past this; libjpeg-turbo keeps such values in 16 bits (and its
 * SIMD code multiplies in 16 bits), where they wrap, so they are left to sharp rather than computed otherwise.
 */
const MAX_COEFFICIENT = 4096;

/** One block's coefficients, dequantised, into `block` at `at` (natural order); its DC, or `null` at a bad code. */
function decodeBlock(
  reader: BitReader,
  component: Component,
  previousDc: number,
  block: Int32Array,
  at: number,
): number | null {
  const quant = component.quant!;
  const dcSize = reader.symbol(component.dc!);
  if (dcSize < 0 || dcSize > 11) return null;
  const dc = previousDc + (dcSize === 0 ? 0 : reader.value(dcSize));
  const dcValue = dc * quant[0]!;
  if (dcValue > MAX_COEFFICIENT || dcValue < -MAX_COEFFICIENT) return null;
  block[at] = dcValue;
  const ac = component.ac!;
  for (let k = 1; k < 64; ) {
    const symbol = reader.symbol(ac);
    if (symbol < 0) return null;
    const size = symbol & 15;
    const run = symbol >> 4;
    if (size === 0) {
      if (run !== 15) break; // EOB
      k += 16;
      continue;
    }
    k += run;
    if (k > 63) return null;
    const natural = ZIGZAG[k]!;
    const value = reader.value(size) * quant[natural]!;
    if (value > MAX_COEFFICIENT || value < -MAX_COEFFICIENT) return null;
    block[at + natural] = value;
    k++;
  }
  return dc;
}
