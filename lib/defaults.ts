import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, BucketEncryption, type BucketProps, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { requiredDefault } from '../src/settings/check.js';
import { DEPLOY_SETTINGS } from '../src/settings/table.js';

/** Defaults of the infrastructure settings (from the settings table, `src/settings/table.ts`). */
export const INFRA_DEFAULTS = {
  memorySize: requiredDefault(DEPLOY_SETTINGS.memorySize),
  timeoutSeconds: requiredDefault(DEPLOY_SETTINGS.timeoutSeconds),
  maxReceiveCount: requiredDefault(DEPLOY_SETTINGS.maxReceiveCount),
  logRetentionDays: requiredDefault(DEPLOY_SETTINGS.logRetentionDays) as RetentionDays,
} as const;

/** Days the S3 server access logs of the created buckets are kept. */
export const ACCESS_LOG_RETENTION = Duration.days(365);

/** Lambda's documented ratio: one full vCPU per 1769 MB of memory. */
export const MB_PER_VCPU = 1769;

/** Queue visibility timeout = this × the worker timeout (AWS: at least 6×, so throttled batches can retry). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * Retention of the work queue: 4 days (SQS's default), shorter than the dead-letter queue's. A message moved
 * to a dead-letter queue keeps its original enqueue time, and SQS deletes it when that time plus the
 * dead-letter queue's retention has passed; a message that waited up to 4 days in the work queue still has
 * at least 10 days in the dead-letter queue to be looked at and redriven.
 */
export const QUEUE_RETENTION = Duration.days(4);

/** Retention of the dead-letter queue: SQS's longest, 14 days (see {@link QUEUE_RETENTION}). */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/** Days after which S3 aborts an unfinished multipart upload and frees its parts. */
export const ABORT_INCOMPLETE_MULTIPART_DAYS = 7;

/**
 * Secure defaults for every bucket the stack creates: all public access blocked, TLS required (and TLS 1.2 at
 * least), S3-managed encryption, ACLs disabled (bucket owner enforced), unfinished multipart uploads
 * aborted, and the bucket kept when the stack is deleted (it holds a dataset or its variants).
 * `overrides` merge over the defaults (as in solutions-constructs' `consolidateProps`).
 */
export function secureBucketProps(overrides: BucketProps = {}): BucketProps {
  return {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    encryption: BucketEncryption.S3_MANAGED,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    autoDeleteObjects: false,
    ...overrides,
    lifecycleRules: [
      {
        id: 'abort-incomplete-multipart-uploads',
        abortIncompleteMultipartUploadAfter: Duration.days(ABORT_INCOMPLETE_MULTIPART_DAYS),
      },
      ...(overrides.lifecycleRules ?? []),
    ],
  };
}

/**
 * Secure defaults for the queues: SSE-SQS encryption (an AWS-managed KMS key, `alias/aws/sqs`, would stop S3
 * from delivering notifications), TLS required, the work queue's retention ({@link QUEUE_RETENTION}; the
 * dead-letter queue overrides it). `overrides` merge over the defaults.
 */
export function secureQueueProps(overrides: QueueProps = {}): QueueProps {
  return {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: QUEUE_RETENTION,
    removalPolicy: RemovalPolicy.DESTROY,
    ...overrides,
  };
}
