/**
 * Per-megapixel time and memory of `processImage` (the worker's per-image path), the figures the worker's
 * budgets (docs/budgets.md, lib/budgets.ts) are derived from. `node dist/bench/image-budget.js` runs each size
 * in its own child process (one core: libvips and the libuv pool at one thread, as each image on the worker
 * gets), and prints wall time and peak resident memory (maxRSS) per size, plus the fitted slope per megapixel.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolveSettings } from '../src/pipeline/settings.js';

const SIZES_MP = [1, 4, 16, 25];
const FORMATS = ['jpeg', 'png'] as const;

async function child(format: (typeof FORMATS)[number], megapixels: number): Promise<void> {
  const { configureSharp, encode } = await import('../src/codec/index.js');
  const { processImage } = await import('../src/pipeline/process-image.js');
  const { syntheticPhoto } = await import('./synthetic-input.js');
  configureSharp({ concurrency: 1, cache: false });
  const side = Math.round(Math.sqrt(megapixels * 1e6));
  const input = await encode(syntheticPhoto(side, side), format, { quality: 90 });
  const baseline = process.resourceUsage().maxRSS * 1024;
  const settings = resolveSettings({ maxPixels: 1e9, maxBytes: 1e9 });
  const started = performance.now();
  await processImage(input, `bench/${megapixels}mp.${format}`, settings);
  const ms = performance.now() - started;
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(
    `${JSON.stringify({ format, megapixels: (side * side) / 1e6, ms, baseline, peak })}\n`,
  );
}

interface Row {
  readonly format: string;
  readonly megapixels: number;
  readonly ms: number;
  readonly baseline: number;
  readonly peak: number;
}

function main(): void {
  const self = fileURLToPath(import.meta.url);
  const rows: Row[] = [];
  for (const format of FORMATS) {
    for (const mp of SIZES_MP) {
      const run = spawnSync(process.execPath, [self, 'child', format, String(mp)], {
        encoding: 'utf8',
        env: { ...process.env, UV_THREADPOOL_SIZE: '1', VIPS_CONCURRENCY: '1' },
      });
      if (run.status !== 0) throw new Error(`${format} ${mp} MP failed: ${run.stderr}`);
      const row = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Row;
      rows.push(row);
      process.stdout.write(
        `${format.padEnd(5)} ${row.megapixels.toFixed(2).padStart(6)} MP  ${(row.ms / 1000).toFixed(2).padStart(7)} s  ` +
          `peak ${(row.peak / 2 ** 20).toFixed(0).padStart(5)} MiB  (before the image ${(row.baseline / 2 ** 20).toFixed(0)} MiB)\n`,
      );
    }
  }
  for (const format of FORMATS) {
    const of = rows.filter((row) => row.format === format);
    const first = of[0]!;
    const last = of.at(-1)!;
    const span = last.megapixels - first.megapixels;
    process.stdout.write(
      `${format}: ${((last.ms - first.ms) / span / 1000).toFixed(3)} s/MP, ` +
        `${((last.peak - first.peak) / span / 2 ** 20).toFixed(1)} MiB/MP (slope between ${first.megapixels.toFixed(1)} and ${last.megapixels.toFixed(1)} MP)\n`,
    );
  }
}

if (process.argv[2] === 'child') {
  await child(process.argv[3] as (typeof FORMATS)[number], Number(process.argv[4]));
} else {
  main();
}
