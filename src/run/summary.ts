import type { InputListing } from './input-listing.js';
import { formatElapsed, formatRate, variantsPerSecond } from './progress.js';

/** The outcome of a run, as `--json` prints it. */
export interface RunSummary {
  /** Image candidates found in the input folder or under the input prefix. */
  readonly images: number;
  /** Images finished by this run (written or failed). */
  readonly processed: number;
  /** Images skipped because an earlier run recorded all their outputs. */
  readonly skipped: number;
  /** Images that failed this run (see the manifest's error lines). */
  readonly failed: number;
  /** Images left undone because the run was interrupted. */
  readonly remaining: number;
  /** Variant images written by this run. */
  readonly variants: number;
  /** Files that are not image candidates. */
  readonly ignored: number;
  /** Hidden files and folders skipped. */
  readonly hidden: number;
  /** Symbolic links skipped. */
  readonly symlinks: number;
  /** Entries that could not be read or named (unreadable folders, names with `\`). */
  readonly problems: number;
  readonly interrupted: boolean;
  /** Worker threads used (0 when there was nothing to do). */
  readonly concurrency: number;
  /** Wall time of the whole command, in milliseconds. */
  readonly elapsedMs: number;
  /** Variants written per second of processing (walk and setup excluded). */
  readonly variantsPerSecond: number;
  /** Path of the manifest (a local file, also for a bucket output). */
  readonly manifest: string;
}

export interface SummaryInput {
  /** The listing's counts (a folder walk or a bucket listing). */
  readonly walk: Pick<InputListing, 'ignored' | 'hidden' | 'symlinks' | 'problems'> & {
    readonly images: readonly unknown[];
  };
  readonly todo: number;
  readonly done: number;
  readonly failed: number;
  readonly variants: number;
  readonly interrupted: boolean;
  readonly elapsedMs: number;
  readonly workMs: number;
  readonly concurrency: number;
  readonly manifest: string;
}

/** Builds the summary of a run from its counts. */
export function summarize(input: SummaryInput): RunSummary {
  const { walk } = input;
  return {
    images: walk.images.length,
    processed: input.done,
    skipped: walk.images.length - input.todo,
    failed: input.failed,
    remaining: input.todo - input.done,
    variants: input.variants,
    ignored: walk.ignored.length,
    hidden: walk.hidden,
    symlinks: walk.symlinks,
    problems: walk.problems.length,
    interrupted: input.interrupted,
    concurrency: input.concurrency,
    elapsedMs: Math.round(input.elapsedMs),
    variantsPerSecond: Number(variantsPerSecond(input.variants, input.workMs).toFixed(2)),
    manifest: input.manifest,
  };
}

/**
 * The one-line summary: `augmix run: 40 images (38 done, 2 failed, 0 skipped), 152 variants in 12.0 s
 * (12.7 variants/s, 2 workers); 3 ignored, 1 hidden, 0 symlinks; manifest out/manifest.jsonl`
 */
export function formatSummary(summary: RunSummary): string {
  const done = summary.processed - summary.failed;
  const parts = [`${done} done`, `${summary.failed} failed`, `${summary.skipped} skipped (done before)`];
  if (summary.remaining > 0) parts.push(`${summary.remaining} left`);
  const workers = summary.concurrency === 1 ? '1 worker' : `${summary.concurrency} workers`;
  const skippedEntries = [
    `${summary.ignored} ignored`,
    `${summary.hidden} hidden`,
    `${summary.symlinks} symlinks`,
  ];
  if (summary.problems > 0) skippedEntries.push(`${summary.problems} unreadable`);
  const head = summary.interrupted ? 'augmix run: interrupted;' : 'augmix run:';
  return (
    `${head} ${summary.images} images (${parts.join(', ')}), ${summary.variants} variants in ` +
    `${formatElapsed(summary.elapsedMs)} (${formatRate(summary.variantsPerSecond)} variants/s, ${workers}); ` +
    `${skippedEntries.join(', ')}; manifest ${summary.manifest}`
  );
}
