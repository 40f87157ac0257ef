/** Where a run stands, as the progress display shows it. */
export interface ProgressState {
  /** Images finished this run (written or failed). */
  readonly done: number;
  /** Images this run has to do (skipped ones excluded). */
  readonly total: number;
  /** Variant images written this run. */
  readonly variants: number;
  readonly failed: number;
  /** Milliseconds since the work started. */
  readonly elapsedMs: number;
}

/** `bar`: one redrawn line (terminals); `lines`: a plain line now and then (logs, pipes); `none`. */
export const PROGRESS_MODES = ['bar', 'lines', 'none'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

export interface ProgressReporterOptions {
  /** Where to draw (stderr). */
  readonly stream: { write(text: string): unknown; readonly columns?: number };
  readonly mode: ProgressMode;
  /**
   * Least time between two plain lines in `lines` mode, and between redraws in `bar` mode (a tenth of it).
   * @default 10000
   */
  readonly intervalMs?: number;
  /** Clock. @default Date.now */
  readonly now?: () => number;
}

/** Shows progress and prints messages (errors, notices) without garbling the bar. */
export interface ProgressReporter {
  update(state: ProgressState): void;
  /** Prints one message line (the bar is cleared and redrawn below it). */
  message(line: string): void;
  /** Clears the bar (call before the summary). */
  finish(): void;
}

/** Builds the reporter for a mode; see {@link ProgressMode}. */
export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const { stream, mode } = options;
  const interval = options.intervalMs ?? 10_000;
  const now = options.now ?? Date.now;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let barShown = false;
  let last: ProgressState | null = null;

  const clear = (): void => {
    if (barShown) stream.write('\r\x1b[K');
    barShown = false;
  };
  const draw = (state: ProgressState): void => {
    const columns = stream.columns !== undefined && stream.columns >= 40 ? stream.columns : 80;
    const width = Math.min(columns, 120) - 1;
    stream.write(`\r${renderBar(state, width)}\x1b[K`);
    barShown = true;
  };

  return {
    update(state) {
      last = state;
      if (mode === 'none') return;
      const time = now();
      const finished = state.done >= state.total;
      if (mode === 'bar') {
        if (time - lastDraw >= interval / 100 || finished) {
          draw(state);
          lastDraw = time;
        }
      } else if (time - lastDraw >= interval && !finished) {
        if (lastDraw !== Number.NEGATIVE_INFINITY) stream.write(`augmix run: ${describeProgress(state)}\n`);
        lastDraw = time;
      }
    },
    message(line) {
      clear();
      stream.write(`${line}\n`);
      if (mode === 'bar' && last !== null) draw(last);
    },
    finish() {
      clear();
    },
  };
}

/** `12/40 images (30%), 23.4 variants/s, ETA 0:12` */
export function describeProgress(state: ProgressState): string {
  const percent = state.total === 0 ? 100 : Math.floor((100 * state.done) / state.total);
  const rate = variantsPerSecond(state.variants, state.elapsedMs);
  const failed = state.failed > 0 ? `, ${state.failed} failed` : '';
  return `${state.done}/${state.total} images (${percent}%)${failed}, ${formatRate(rate)} variants/s, ETA ${eta(state)}`;
}

/** `[########------] 12/40 images  23.4 variants/s  ETA 0:12`, at most `width` characters. */
export function renderBar(state: ProgressState, width: number): string {
  const rate = variantsPerSecond(state.variants, state.elapsedMs);
  const failed = state.failed > 0 ? `  ${state.failed} failed` : '';
  const text = ` ${state.done}/${state.total} images${failed}  ${formatRate(rate)} variants/s  ETA ${eta(state)}`;
  const barWidth = Math.max(10, width - text.length - 2);
  const filled = state.total === 0 ? barWidth : Math.floor((barWidth * state.done) / state.total);
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${text}`.slice(0, width);
}

/** Variants per second, 0 before any time has passed. */
export function variantsPerSecond(variants: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (variants * 1000) / elapsedMs : 0;
}

/** `23.4`, `512`, `0.93` */
export function formatRate(rate: number): string {
  if (rate >= 100) return rate.toFixed(0);
  if (rate >= 1) return rate.toFixed(1);
  return rate.toFixed(2);
}

/** `0:07`, `12:03`, `1:02:03` (h:mm:ss), from milliseconds. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** Elapsed time for summaries: `0.74 s`, `12.3 s` under a minute, else as {@link formatDuration}. */
export function formatElapsed(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatDuration(ms);
}

function eta(state: ProgressState): string {
  if (state.done === 0 || state.done >= state.total) return state.done >= state.total ? '0:00' : '--:--';
  return formatDuration((state.elapsedMs / state.done) * (state.total - state.done));
}
