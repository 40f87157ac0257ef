import {
  type ImageBudgetInput,
  MEMORY_SHARE,
  worstImageSeconds,
  worstMemoryMiB,
} from '../src/pipeline/image-budget.js';

/** What the budget check needs from the resolved settings. */
export interface BudgetSettings extends ImageBudgetInput {
  readonly memorySize: number;
  readonly timeoutSeconds: number;
}

/**
 * The problems of a combination whose worst-case image cannot finish: one image of `maxPixels` (while
 * `imageConcurrency` images share the invocation) must finish within the function's timeout, and that many
 * images of `maxPixels` and `maxBytes` must fit in `MEMORY_SHARE` of its memory. Each message names the
 * settings, the estimate and what would fit; the model and its figures are in docs/budgets.md.
 */
export function budgetProblems(settings: BudgetSettings): string[] {
  const problems: string[] = [];
  const { maxPixels, imageConcurrency, timeoutSeconds, memorySize } = settings;
  const mp = (maxPixels / 1e6).toFixed(1);
  const seconds = worstImageSeconds(settings);
  if (seconds > timeoutSeconds) {
    const fitting = largestPixels(settings, (input) => worstImageSeconds(input) <= timeoutSeconds);
    problems.push(
      `Expected the worst-case image to finish within timeoutSeconds (${timeoutSeconds} s) but one image of ` +
        `maxPixels ${maxPixels} (${mp} MP) with ${imageConcurrency} at once needs about ${Math.ceil(seconds)} s ` +
        `(docs/budgets.md): raise timeoutSeconds to at least ${Math.ceil(seconds)}, lower maxPixels to at most ` +
        `${fitting}, or lower imageConcurrency`,
    );
  }
  const mib = worstMemoryMiB(settings);
  const available = memorySize * MEMORY_SHARE;
  if (mib > available) {
    const fitting = largestPixels(settings, (input) => worstMemoryMiB(input) <= available);
    problems.push(
      `Expected ${imageConcurrency} worst-case image(s) at once to fit in memorySize (${memorySize} MB, ` +
        `${Math.round(MEMORY_SHARE * 100)}% usable) but ${imageConcurrency} image(s) of maxPixels ${maxPixels} ` +
        `(${mp} MP) and maxBytes ${settings.maxBytes} need about ${Math.ceil(mib)} MiB (docs/budgets.md): raise ` +
        `memorySize to at least ${Math.ceil(mib / MEMORY_SHARE)}, lower maxPixels to at most ${fitting}, or lower ` +
        'imageConcurrency or maxBytes',
    );
  }
  return problems;
}

/** The largest maxPixels (a multiple of 100,000) for which `fits` holds, or 0. */
function largestPixels(settings: BudgetSettings, fits: (input: ImageBudgetInput) => boolean): number {
  let low = 0;
  let high = Math.ceil(settings.maxPixels / 100_000);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits({ ...settings, maxPixels: middle * 100_000 })) low = middle;
    else high = middle - 1;
  }
  return low * 100_000;
}
