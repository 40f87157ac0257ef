import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ACCESS_LOG_RETENTION, secureBucketProps } from './defaults.js';

/** CDK feature flag: grant S3 log delivery through the log bucket's policy instead of an ACL. */
const S3_LOGS_USE_BUCKET_POLICY = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

/** Which buckets the pipeline uses. */
export interface PipelineBucketsProps {
  /** Import this existing bucket as the input bucket instead of creating one. @default undefined */
  readonly existingInputBucketName?: string;
  /** Write outputs into the input bucket instead of creating an output bucket. @default false */
  readonly outputToInputBucket?: boolean;
}

/**
 * The input bucket (created with secure defaults, or an existing dataset bucket imported by name), the output
 * bucket (created, unless outputs go to the input bucket) and, when the stack creates a bucket, the bucket
 * that receives their S3 server access logs.
 */
export class PipelineBuckets extends Construct {
  /** Where images are uploaded. */
  public readonly inputBucket: IBucket;
  /** Where variants, provenance documents and failure records are written (the input bucket when so configured). */
  public readonly outputBucket: IBucket;
  /** True when the stack created the input bucket (false: imported by name). */
  public readonly inputBucketCreated: boolean;
  /** Receives the created buckets' server access logs; undefined when the stack creates no bucket. */
  public readonly accessLogBucket: Bucket | undefined;

  constructor(scope: Construct, id: string, props: PipelineBucketsProps = {}) {
    super(scope, id);
    // Log delivery through a bucket policy (not the LogDeliveryWrite ACL, which ACL-less buckets refuse).
    this.node.setContext(S3_LOGS_USE_BUCKET_POLICY, true);
    const { existingInputBucketName, outputToInputBucket = false } = props;
    this.inputBucketCreated = existingInputBucketName === undefined;
    const createsBucket = this.inputBucketCreated || !outputToInputBucket;

    this.accessLogBucket = createsBucket ? this.createAccessLogBucket() : undefined;

    this.inputBucket =
      existingInputBucketName === undefined
        ? new Bucket(
            this,
            'InputBucket',
            secureBucketProps({
              serverAccessLogsBucket: this.accessLogBucket,
              serverAccessLogsPrefix: 'input-bucket/',
            }),
          )
        : Bucket.fromBucketName(this, 'InputBucket', existingInputBucketName);

    this.outputBucket = outputToInputBucket
      ? this.inputBucket
      : new Bucket(
          this,
          'OutputBucket',
          secureBucketProps({
            serverAccessLogsBucket: this.accessLogBucket,
            serverAccessLogsPrefix: 'output-bucket/',
          }),
        );
  }

  /** cdk-nag's S1 does not flag a bucket that is a log target, so it needs no acknowledgement. */
  private createAccessLogBucket(): Bucket {
    return new Bucket(
      this,
      'AccessLogBucket',
      secureBucketProps({
        lifecycleRules: [{ id: 'expire-access-logs', expiration: ACCESS_LOG_RETENTION }],
      }),
    );
  }
}
