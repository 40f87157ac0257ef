import { S3Client } from '@aws-sdk/client-s3';
import { type Environment, forcePathStyle } from './worker-config.js';

/** How long the worker's S3 requests may wait before the SDK gives up on them (and retries, then throws). */
export interface S3Timeouts {
  /** Milliseconds to open a connection. @default 5,000 */
  readonly connectionMs: number;
  /** Milliseconds from sending a request to its response headers. @default 30,000 */
  readonly responseMs: number;
  /** Milliseconds a socket may stay silent, e.g. in the middle of a body. @default 30,000 */
  readonly idleMs: number;
}

/**
 * The worker's S3 timeouts. Without them a request that never answers (a stalled connection) waits until the
 * function times out, holding one of the batch's image slots; with them it fails as a `TimeoutError`, which the
 * SDK retries and the handler then treats as transient (the message is retried by SQS). In-region S3 answers in
 * milliseconds, and a large body keeps its socket busy, so the limits only catch stalls.
 */
export const DEFAULT_S3_TIMEOUTS: S3Timeouts = { connectionMs: 5_000, responseMs: 30_000, idleMs: 30_000 };

/**
 * The worker's S3 client, created once per container. Endpoint and checksum behaviour come from the SDK's own
 * environment variables (`AWS_ENDPOINT_URL_S3`, `AWS_REQUEST_CHECKSUM_CALCULATION`,
 * `AWS_RESPONSE_CHECKSUM_VALIDATION`, `AWS_MAX_ATTEMPTS`, `AWS_REGION`); path-style addressing from
 * `AUGMIX_S3_FORCE_PATH_STYLE=true`. On Lambda none of the overrides is set and the SDK's defaults apply.
 */
export function createS3Client(env: Environment, timeouts: S3Timeouts = DEFAULT_S3_TIMEOUTS): S3Client {
  return new S3Client({
    forcePathStyle: forcePathStyle(env),
    requestHandler: {
      connectionTimeout: timeouts.connectionMs,
      requestTimeout: timeouts.responseMs,
      throwOnRequestTimeout: true,
      socketTimeout: timeouts.idleMs,
    },
  });
}
