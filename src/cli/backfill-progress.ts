import type { BackfillProgress } from '../aws/operator/backfill-executions.js';
import { duration } from '../estimate/report.js';

const BAR_WIDTH = 30;

/** `[##########....................]` for a fraction 0..1. */
export function progressBar(fraction: number, width = BAR_WIDTH): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/**
 * Two lines: the execution and its status, then the bar with images done / failed / total, the rate and the
 * ETA (and the error of a failed execution, with what to do).
 */
export function formatProgress(p: BackfillProgress): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const fraction = p.total === 0 ? 0 : (p.done + p.failed) / p.total;
  const parts = [
    `${progressBar(fraction)} ${(fraction * 100).toFixed(1)}%`,
    `${n(p.done)} done, ${n(p.failed)} failed, ${n(p.total)} total`,
  ];
  if (p.rate !== undefined) parts.push(`${n(Math.round(p.rate))} images/s`);
  if (p.etaSeconds !== undefined) parts.push(`ETA ${duration(p.etaSeconds)}`);
  const lines = [
    `${p.executionArn}: ${p.status}${p.redriveCount > 0 ? ` (redriven ${p.redriveCount}x)` : ''}`,
    parts.join(', '),
  ];
  if (p.mapRunArn === undefined && p.status === 'RUNNING') lines[1] = 'listing the input (no Map Run yet)';
  if (p.status === 'FAILED' || p.status === 'TIMED_OUT' || p.status === 'ABORTED') {
    lines.push(
      `${p.error ?? 'error'}: ${p.cause ?? 'no cause given'}\n` +
        `Fix the cause, then \`augmix backfill redrive ${p.executionArn}\` reruns only the unsuccessful batches.`,
    );
  }
  return lines.join('\n');
}
