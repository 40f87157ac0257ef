import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, BucketEncryption, type BucketProps, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { INPUT_IMAGE_SUFFIXES } from '../src/codec/formats.js';

/**
 * Image suffixes the input notification listens for by default: what the codec decodes (JPEG, PNG, WebP,
 * AVIF, TIFF, GIF's first frame). S3 filters are literal and case-sensitive, so the stack also adds each
 * suffix in upper case (`.JPG`, as cameras write it) unless `matchUpperCaseSuffixes` is false; mixed-case keys
 * (`.Jpg`) are not matched.
 */
export const DEFAULT_IMAGE_SUFFIXES: readonly string[] = INPUT_IMAGE_SUFFIXES;

/** Defaults of the infrastructure settings (see `AugmixPipelineSettings` for each one's meaning). */
export const INFRA_DEFAULTS = {
  inputPrefix: '',
  outputPrefix: '',
  matchUpperCaseSuffixes: true,
  outputToInputBucket: false,
  /** ≈ 1.7 vCPU (Lambda allots one vCPU per 1769 MB): two images decode/encode in parallel. */
  memorySize: 3008,
  timeoutSeconds: 120,
  batchSize: 10,
  maxBatchingWindowSeconds: 1,
  maxConcurrency: 100,
  maxReceiveCount: 5,
  logRetentionDays: 30,
} as const;

/** Days the S3 server access logs of the created buckets are kept. */
export const ACCESS_LOG_RETENTION = Duration.days(365);

/** Lambda's documented ratio: one full vCPU per 1769 MB of memory. */
export const MB_PER_VCPU = 1769;

/** Queue visibility timeout = this × the worker timeout (AWS: at least 6×, so throttled batches can retry). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** SQS's longest retention, used for the work queue (a backlog of a whole dataset) and the DLQ. */
export const QUEUE_RETENTION = Duration.days(14);

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
 * from delivering notifications), TLS required, 14-day retention. `overrides` merge over the defaults.
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
