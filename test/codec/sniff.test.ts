import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../src/codec/sniff.js';
import { bmp2x2 } from './inputs.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(
    parts.flatMap((part) => (typeof part === 'string' ? [...part].map((c) => c.charCodeAt(0)) : part)),
  );

describe('sniffFormat', () => {
  it.each([
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0])],
    ['png', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a])],
    ['gif', bytes('GIF89a')],
    ['gif', bytes('GIF87a')],
    ['webp', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')],
    ['tiff', bytes('II*', [0])],
    ['tiff', bytes('MM', [0], '*')],
    ['avif', bytes([0, 0, 0, 0x1c], 'ftypavif')],
    ['heic', bytes([0, 0, 0, 0x18], 'ftypheic')],
    ['bmp', bmp2x2()],
    ['psd', bytes('8BPS')],
    ['jxl', bytes([0xff, 0x0a])],
  ])('recognises %s', (format, data) => {
    expect(sniffFormat(data)).toBe(format);
  });

  it.each([
    ['text', bytes('hello')],
    ['text starting with BM', bytes('BMW drivers are ...')],
    ['an unknown ISO-BMFF brand', bytes([0, 0, 0, 0x18], 'ftypmp42')],
    ['nothing', new Uint8Array(0)],
  ])('returns null for %s', (_, data) => {
    expect(sniffFormat(data)).toBeNull();
  });
});
