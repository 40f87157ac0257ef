import { invalidParameter } from '../augmix/errors.js';

/** Unit prices the estimate multiplies by (US dollars, one request / GB-second / GB each). */
export interface Prices {
  /** Where and when the figures hold (printed with the estimate). */
  readonly region: string;
  readonly date: string;
  /** Lambda duration, arm64, first tier, per GB-second. */
  readonly lambdaArmGbSecond: number;
  /** Lambda, per invocation request. */
  readonly lambdaRequest: number;
  /** S3 Standard PUT/COPY/POST/LIST (tier 1), per request. */
  readonly s3Tier1Request: number;
  /** S3 Standard GET/SELECT (tier 2), per request. */
  readonly s3Tier2Request: number;
  /** Step Functions Standard, per state transition. */
  readonly sfnStateTransition: number;
  /** SQS standard queue, per request (64 KB chunk). */
  readonly sqsRequest: number;
  /** CloudWatch Logs ingestion (Standard class), per GB. */
  readonly logsIngestGb: number;
  /** X-Ray, per trace recorded. */
  readonly xrayTrace: number;
}

/**
 * List prices for us-east-1 without the free tier, as docs/backfill-cost.md records them with their sources
 * (Lambda and S3 from the AWS Price List offer file retrieved 2026-09-06; Step Functions and SQS from their
 * pricing pages as quoted there; CloudWatch Logs from June 2026). Override with `augmix estimate --prices`.
 */
export const DEFAULT_PRICES: Prices = {
  region: 'us-east-1',
  date: '2026-09-06',
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  s3Tier1Request: 0.005 / 1000,
  s3Tier2Request: 0.0004 / 1000,
  sfnStateTransition: 0.025 / 1000,
  sqsRequest: 0.4 / 1e6,
  logsIngestGb: 0.5,
  xrayTrace: 5 / 1e6,
};

/**
 * Prices with some replaced by `overrides` (the parsed `--prices` file): every key must be one of
 * {@link Prices}' keys, the figures non-negative finite numbers and `region`/`date` strings; all problems
 * are reported at once.
 */
export function withPriceOverrides(overrides: unknown, file = '--prices'): Prices {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new TypeError(
      `${file}: expected a JSON object of prices but received ${JSON.stringify(overrides)}`,
    );
  }
  const problems: string[] = [];
  const merged: Record<string, unknown> = { ...DEFAULT_PRICES };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in DEFAULT_PRICES)) {
      problems.push(
        `unknown price ${JSON.stringify(key)} (known: ${Object.keys(DEFAULT_PRICES).join(', ')})`,
      );
    } else if (key === 'region' || key === 'date') {
      if (typeof value === 'string') merged[key] = value;
      else problems.push(invalidParameter(key, 'a string', value).message);
    } else if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
      merged[key] = value;
    } else {
      problems.push(invalidParameter(key, 'a non-negative number of US dollars', value).message);
    }
  }
  if (problems.length > 0) throw new RangeError(`${file}: ${problems.join('; ')}`);
  return merged as unknown as Prices;
}
