import sharp, { type Sharp } from 'sharp';
import { encodeBaselineJpeg } from '../../src/codec/jpeg-encode.js';
import type { CaseResult, Measurement, MeasureOptions } from '../measurement.js';
import { syntheticPhoto } from '../synthetic-input.js';
import { fmt, table } from '../table.js';
import { msPerCall } from '../timing.js';

/** The JPEG encoder settings compared (quality 90, 4:2:0 for all). */
const SETTINGS = {
  'plain libjpeg (ours)': { quality: 90, optimiseCoding: false },
  'optimised Huffman (sharp default)': { quality: 90, optimiseCoding: true },
  mozjpeg: { quality: 90, mozjpeg: true },
} as const;

const SIZES: Readonly<Record<string, readonly [number, number]>> = {
  '224px': [224, 224],
  '2048px': [2048, 1536],
};

interface JpegSettingsResult {
  readonly case: string;
  readonly rows: readonly { name: string; ms: number; bytes: number }[];
}

/**
 * Why the codec writes JPEG with plain libjpeg settings: encode time and size of the same image under sharp's
 * JPEG settings (sharp directly), and the project's JPEG writer, which writes the plain row's bytes itself for
 * small images (the row says whether its bytes are the same).
 */
export const jpegSettings: Measurement = {
  name: 'jpeg-settings',
  title: 'JPEG encoder settings (quality 90): encode time and size',
  cases: Object.keys(SIZES),
  async measure(caseName: string, { quick }: MeasureOptions): Promise<CaseResult> {
    const [width, height] = SIZES[caseName]!;
    const image = syntheticPhoto(width, height);
    const input = (): Sharp => sharp(image.data, { raw: { width, height, channels: 3 } });
    const rows = [];
    for (const [name, options] of Object.entries(SETTINGS)) {
      const ms = await msPerCall({ budgetMs: quick ? 150 : 800, warmup: 2, samples: quick ? 3 : 5 }, () =>
        input().jpeg(options).toBuffer(),
      );
      rows.push({ name, ms, bytes: (await input().jpeg(options).toBuffer()).length });
    }
    // the project's writer, which encode() uses up to SMALL_JPEG_MAX_PIXELS: the plain libjpeg row's bytes
    const ours = encodeBaselineJpeg(image, 90);
    const sharpBytes = new Uint8Array(await input().jpeg(SETTINGS['plain libjpeg (ours)']).toBuffer());
    const same = ours.length === sharpBytes.length && ours.every((byte, i) => byte === sharpBytes[i]);
    const ms = await msPerCall({ budgetMs: quick ? 150 : 800, warmup: 2, samples: quick ? 3 : 5 }, async () =>
      encodeBaselineJpeg(image, 90),
    );
    rows.push({ name: `project's writer (${same ? 'same bytes' : 'OTHER BYTES'})`, ms, bytes: ours.length });
    return { case: caseName, rows } satisfies JpegSettingsResult as unknown as CaseResult;
  },
  report(results: readonly CaseResult[]): string[] {
    const rows = (results as unknown as JpegSettingsResult[]).flatMap((result) => {
      const plain = result.rows[0]!;
      return result.rows.map((row) => [
        `${result.case} ${row.name}`,
        fmt(row.ms),
        fmt(row.ms / plain.ms, 2),
        row.bytes.toLocaleString('en-US'),
        fmt(row.bytes / plain.bytes, 3),
      ]);
    });
    return table(['input, settings', 'encode ms', 'x time', 'bytes', 'x size'], rows);
  },
};
