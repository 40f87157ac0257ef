import { describe, expect, it } from 'vitest';
import { createImage } from '../../src/augmix/image.js';
import { drawText, fillRect, fitText, textWidth } from '../../src/preview/draw-text.js';
import { fontCharacters, GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from '../../src/preview/font.js';

function inkPixels(image: { data: Uint8Array }): number {
  let ink = 0;
  for (let i = 0; i < image.data.length; i += 3) if (image.data[i] === 0) ink += 1;
  return ink;
}

describe('font', () => {
  it('has a distinct glyph for every printable ASCII character, all but space with ink', () => {
    const chars = fontCharacters();

    expect(chars.join('')).toBe(Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join(''));
    const shapes = new Set(chars.map((char) => glyphRows(char).join(',')));
    expect(shapes.size).toBe(95);
    for (const char of chars.slice(1)) {
      expect(glyphRows(char).some((row) => row !== 0)).toBe(true);
      expect(glyphRows(char).every((row) => row < 1 << GLYPH_WIDTH)).toBe(true);
    }
    expect(glyphRows(' ').every((row) => row === 0)).toBe(true);
  });

  it('draws characters outside ASCII as ?', () => {
    expect(glyphRows('é')).toEqual(glyphRows('?'));
  });
});

describe('drawText', () => {
  it('draws the glyph bits at the pen position, scaled', () => {
    // Prepare
    const image = createImage(20, 20);
    fillRect(image, 0, 0, 20, 20, [255, 255, 255]);

    // Act
    const end = drawText(image, 1, 2, 'T', { scale: 2 });

    // Assess: T's top bar is row 0, all five columns; its stem is column 2
    const ink = (x: number, y: number) => image.data[(y * 20 + x) * 3] === 0;
    expect(end).toBe(1 + 12);
    for (let x = 1; x < 11; x += 1) expect(ink(x, 2) && ink(x, 3)).toBe(true);
    expect(ink(5, 2 + 2 * 6)).toBe(true);
    expect(ink(1, 2 + 2 * 6)).toBe(false);
    expect(inkPixels(image)).toBe(4 * (5 + 6));
  });

  it('clips at the image border without throwing', () => {
    const image = createImage(4, 4);
    fillRect(image, 0, 0, 4, 4, [255, 255, 255]);

    drawText(image, -3, -3, 'WW');

    expect(inkPixels(image)).toBeGreaterThan(0);
  });

  it('uses the colour given', () => {
    const image = createImage(6, GLYPH_HEIGHT);
    drawText(image, 0, 0, 'H', { color: [200, 10, 20] });

    expect([...image.data.subarray(0, 3)]).toEqual([200, 10, 20]);
  });
});

describe('text metrics', () => {
  it('measures and shortens text to fit a width', () => {
    expect(textWidth('abc')).toBe(17);
    expect(textWidth('abc', 2)).toBe(34);
    expect(fitText('shear_x 0.0312', textWidth('shear_x'))).toBe('shear_~');
    expect(fitText('ok', 100)).toBe('ok');
  });
});
