import { type EstimatePath, PATH_TITLES, type PathEstimate } from './estimate.js';

/** A row of the estimate table: its label and how each path's value is written. */
const ROWS: readonly (readonly [string, (e: PathEstimate) => string])[] = [
  ['Lambda invocations', (e) => count(e.invocations)],
  ['Lambda GB-seconds', (e) => count(e.lambdaGbSeconds)],
  ['S3 GET requests', (e) => count(e.s3Get)],
  ['S3 PUT requests', (e) => count(e.s3Put)],
  ['S3 LIST requests', (e) => count(e.s3List)],
  ['Step Functions transitions', (e) => count(e.sfnTransitions)],
  ['SQS requests', (e) => count(e.sqsRequests)],
  ['CloudWatch Logs GB', (e) => e.logGb.toFixed(2)],
  ['X-Ray traces', (e) => count(e.xrayTraces)],
  ['$ Lambda', (e) => dollars(e.dollars.lambda)],
  ['$ S3 requests', (e) => dollars(e.dollars.s3)],
  ['$ Step Functions', (e) => dollars(e.dollars.stepFunctions)],
  ['$ SQS', (e) => dollars(e.dollars.sqs)],
  ['$ CloudWatch Logs', (e) => dollars(e.dollars.logs)],
  ['$ X-Ray', (e) => dollars(e.dollars.xray)],
  ['$ total per run', (e) => dollars(e.dollars.total)],
  ['$ per TB of input', (e) => dollars(e.dollarsPerTb)],
];

/** The table: one column per path, rows of counts, dollars and wall times. */
export function formatTable(estimates: readonly PathEstimate[], concurrency: number): string {
  const rows: string[][] = [
    ['', ...estimates.map((e) => PATH_TITLES[e.path as EstimatePath])],
    ...ROWS.map(([label, value]) => [label, ...estimates.map(value)]),
    [`wall time at ${count(concurrency)}-way`, ...estimates.map((e) => duration(e.wallSeconds))],
    ...(concurrency === 1000
      ? []
      : [['wall time at 1,000-way', ...estimates.map((e) => duration(e.wallSecondsAt1000))]]),
    ['S3 PUT/s (average)', ...estimates.map((e) => count(e.putsPerSecond))],
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!)))
        .join('  '),
    )
    .join('\n');
}

/** `12,345` (rounded to an integer). */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** `$12.34` (or `$0.0012` below a cent). */
export function dollars(value: number): string {
  if (value !== 0 && Math.abs(value) < 0.01) return `$${value.toPrecision(2)}`;
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** `7 min 12 s`, `3 h 05 min`, `42 s`. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
