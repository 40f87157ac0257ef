import { describe, expect, it } from 'vitest';
import { formatSummary, summarize } from '../../src/run/summary.js';

const walk = {
  images: Array.from({ length: 10 }, (_, i) => ({ key: `${i}.png`, path: `/in/${i}.png` })),
  ignored: ['labels.csv', 'notes.txt'],
  hidden: 1,
  symlinks: 2,
  problems: [],
  excluded: [],
};

describe('summarize', () => {
  it('counts skipped, remaining and throughput from the run', () => {
    // Act
    const summary = summarize({
      walk,
      todo: 8,
      done: 6,
      failed: 1,
      variants: 20,
      interrupted: true,
      elapsedMs: 2500.4,
      workMs: 2000,
      concurrency: 2,
      manifest: '/out/manifest.jsonl',
    });

    // Assess
    expect(summary).toEqual({
      images: 10,
      processed: 6,
      skipped: 2,
      failed: 1,
      remaining: 2,
      variants: 20,
      ignored: 2,
      hidden: 1,
      symlinks: 2,
      problems: 0,
      interrupted: true,
      concurrency: 2,
      elapsedMs: 2500,
      variantsPerSecond: 10,
      manifest: '/out/manifest.jsonl',
    });
    expect(formatSummary(summary)).toBe(
      'augmix run: interrupted; 10 images (5 done, 1 failed, 2 skipped (done before), 2 left), 20 variants in ' +
        '2.50 s (10.0 variants/s, 2 workers); 2 ignored, 1 hidden, 2 symlinks; manifest /out/manifest.jsonl',
    );
  });
});
