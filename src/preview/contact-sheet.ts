import { createImage, type RgbImage } from '../augmix/image.js';
import { drawText, fillRect, fitText, lineHeight, type Rgb, textWidth } from './draw-text.js';
import { blit, fitThumbnail } from './thumbnail.js';

/** One picture of the sheet with the lines printed under it. */
export interface SheetTile {
  readonly image: RgbImage;
  readonly label: readonly string[];
}

/** A row of tiles, with an optional heading line above it. */
export interface SheetRow {
  readonly heading?: string;
  readonly tiles: readonly SheetTile[];
}

/** What a contact sheet shows. */
export interface SheetContent {
  /** Lines at the top, drawn twice as large. */
  readonly title: readonly string[];
  readonly rows: readonly SheetRow[];
}

export interface ContactSheetOptions {
  /** Longest side of every thumbnail, in pixels. @default 128 */
  readonly thumbnail?: number;
  /** Space around and between tiles, in pixels. @default 10 */
  readonly padding?: number;
}

/** Where a piece of text was drawn (so that tests, and callers, can find it). */
export interface LabelBox {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const BACKGROUND: Rgb = [250, 250, 250];
const CELL: Rgb = [222, 222, 222];
const INK: Rgb = [20, 20, 20];
const HEADING: Rgb = [25, 55, 140];
const LABEL_GAP = 4;

/**
 * Draws a contact sheet: the title, then each row's heading and tiles, every tile a thumbnail centred in a
 * grey square cell with its label lines under it (shortened with `~` to the cell width). Pure: pixels in,
 * pixels out; text uses the built-in bitmap font.
 */
export function drawContactSheet(
  content: SheetContent,
  options: ContactSheetOptions = {},
): { image: RgbImage; labels: LabelBox[] } {
  const cell = options.thumbnail ?? 128;
  const pad = options.padding ?? 10;
  const titleScale = 2;
  const labelLines = (row: SheetRow): number => Math.max(0, ...row.tiles.map((tile) => tile.label.length));
  const rowHeight = (row: SheetRow): number =>
    (row.heading === undefined ? 0 : lineHeight() + 2) +
    cell +
    LABEL_GAP +
    labelLines(row) * lineHeight() +
    pad;

  const widest = Math.max(1, ...content.rows.map((row) => row.tiles.length));
  const width = Math.max(
    pad + widest * (cell + pad),
    2 * pad + Math.max(0, ...content.title.map((line) => textWidth(line, titleScale))),
    2 * pad + Math.max(0, ...content.rows.map((row) => textWidth(row.heading ?? ''))),
  );
  const titleHeight = content.title.length * lineHeight(titleScale);
  const height = pad + titleHeight + pad + content.rows.reduce((sum, row) => sum + rowHeight(row), 0);
  const image = createImage(width, height);
  fillRect(image, 0, 0, width, height, BACKGROUND);
  const labels: LabelBox[] = [];
  const text = (x: number, y: number, line: string, color: Rgb, scale = 1): void => {
    drawText(image, x, y, line, { color, scale });
    labels.push({ text: line, x, y, width: textWidth(line, scale), height: lineHeight(scale) - 2 * scale });
  };

  let y = pad;
  for (const line of content.title) {
    text(pad, y, line, INK, titleScale);
    y += lineHeight(titleScale);
  }
  y += pad;
  for (const row of content.rows) {
    if (row.heading !== undefined) {
      text(pad, y, row.heading, HEADING);
      y += lineHeight() + 2;
    }
    row.tiles.forEach((tile, index) => {
      const x = pad + index * (cell + pad);
      fillRect(image, x, y, cell, cell, CELL);
      const thumb = fitThumbnail(tile.image, cell);
      blit(image, thumb, x + Math.floor((cell - thumb.width) / 2), y + Math.floor((cell - thumb.height) / 2));
      tile.label.forEach((line, i) => {
        text(x, y + cell + LABEL_GAP + i * lineHeight(), fitText(line, cell), INK);
      });
    });
    y += rowHeight(row) - (row.heading === undefined ? 0 : lineHeight() + 2);
  }
  return { image, labels };
}
