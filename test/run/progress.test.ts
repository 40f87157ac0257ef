import { describe, expect, it } from 'vitest';
import {
  createProgressReporter,
  describeProgress,
  formatDuration,
  formatElapsed,
  formatRate,
  renderBar,
} from '../../src/run/progress.js';

const state = { done: 10, total: 40, variants: 40, failed: 1, elapsedMs: 4000 };

function recorder(): { stream: { write(text: string): void; columns: number }; text: () => string } {
  let out = '';
  return {
    stream: {
      write: (text: string) => {
        out += text;
      },
      columns: 80,
    },
    text: () => out,
  };
}

describe('progress text', () => {
  it('describes files done, throughput and ETA', () => {
    expect(describeProgress(state)).toBe('10/40 images (25%), 1 failed, 10.0 variants/s, ETA 0:12');
  });

  it('draws a bar that fits the width', () => {
    const bar = renderBar(state, 79);

    expect(bar.length).toBeLessThanOrEqual(79);
    expect(bar).toMatch(/^\[#+-+\] 10\/40 images {2}1 failed {2}10\.0 variants\/s {2}ETA 0:12$/);
  });

  it('formats durations and rates', () => {
    expect(formatDuration(7_400)).toBe('0:07');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatElapsed(740)).toBe('0.74 s');
    expect(formatElapsed(12_340)).toBe('12.3 s');
    expect(formatElapsed(61_000)).toBe('1:01');
    expect(formatRate(512.4)).toBe('512');
    expect(formatRate(0.934)).toBe('0.93');
  });
});

describe('createProgressReporter', () => {
  it('bar mode redraws one line and keeps messages above it', () => {
    const { stream, text } = recorder();
    const reporter = createProgressReporter({ stream, mode: 'bar', now: () => 0 });

    reporter.update(state);
    reporter.message('augmix run: bad.png: empty');
    reporter.finish();

    expect(text()).toContain('\r[');
    expect(text()).toContain('\r\x1b[Kaugmix run: bad.png: empty\n');
    expect(text().endsWith('\r\x1b[K')).toBe(true);
  });

  it('lines mode prints a plain line at most once per interval and no escape codes', () => {
    const { stream, text } = recorder();
    let clock = 0;
    const reporter = createProgressReporter({ stream, mode: 'lines', intervalMs: 1000, now: () => clock });

    reporter.update(state);
    clock = 500;
    reporter.update(state);
    clock = 1200;
    reporter.update(state);
    reporter.message('note');

    expect(text()).toBe(`augmix run: ${describeProgress(state)}\nnote\n`);
  });

  it('none mode prints only messages', () => {
    const { stream, text } = recorder();
    const reporter = createProgressReporter({ stream, mode: 'none' });

    reporter.update(state);
    reporter.message('only this');
    reporter.finish();

    expect(text()).toBe('only this\n');
  });
});
