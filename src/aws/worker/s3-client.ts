import { S3Client } from '@aws-sdk/client-s3';
import { type Environment, forcePathStyle } from './worker-config.js';

/**
 * The worker's S3 client, created once per container. Endpoint and checksum behaviour come from the SDK's own
 * environment variables (`AWS_ENDPOINT_URL_S3`, `AWS_REQUEST_CHECKSUM_CALCULATION`,
 * `AWS_RESPONSE_CHECKSUM_VALIDATION`, `AWS_MAX_ATTEMPTS`, `AWS_REGION`); path-style addressing from
 * `AUGMIX_S3_FORCE_PATH_STYLE=true`. On Lambda none of the overrides is set and the SDK's defaults apply.
 */
export function createS3Client(env: Environment): S3Client {
  return new S3Client({ forcePathStyle: forcePathStyle(env) });
}
