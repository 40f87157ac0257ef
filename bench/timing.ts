export interface TimingOptions {
  /** Wall time to spend measuring (after the warm-up), in milliseconds. */
  readonly budgetMs: number;
  /** Unmeasured calls first (JIT, caches). @default 3 */
  readonly warmup?: number;
  /** At least this many measured calls per sample, whatever the budget. @default 1 */
  readonly minIterations?: number;
  /** Timed samples; the result is their median, which shrugs off bursts of load from other processes. @default 5 */
  readonly samples?: number;
}

/**
 * Milliseconds per call of `fn` (awaited one after the other): a few warm-up calls, then `samples` timed batches
 * sized to fill the budget (estimated from the last warm-up call); returns the median batch's mean. `fn` gets a
 * running call index, for varying seeds.
 */
export async function msPerCall(
  options: TimingOptions,
  fn: (i: number) => unknown | Promise<unknown>,
): Promise<number> {
  const { budgetMs, warmup = 3, minIterations = 1, samples = 5 } = options;
  let index = 0;
  let last = 0;
  for (let i = 0; i < warmup; i++) {
    const started = performance.now();
    await fn(index++);
    last = performance.now() - started;
  }
  const perSample = Math.max(
    minIterations,
    Math.min(100_000, Math.floor(budgetMs / samples / Math.max(last, 0.001))),
  );
  const means: number[] = [];
  for (let s = 0; s < samples; s++) {
    const started = performance.now();
    for (let i = 0; i < perSample; i++) await fn(index++);
    means.push((performance.now() - started) / perSample);
  }
  means.sort((a, b) => a - b);
  return means[Math.floor(means.length / 2)]!;
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
