import { EventType, type IBucket, type NotificationKeyFilter } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

/** Where the pipeline listens. */
export interface ImageNotificationsOptions {
  /** Key prefix ('' = the whole bucket). */
  readonly prefix: string;
  /** Literal, case-sensitive key suffixes, already validated not to overlap. */
  readonly suffixes: readonly string[];
  /** Also send `s3:ObjectRemoved:*` events (the worker then deletes a deleted input's outputs). @default false */
  readonly removals?: boolean;
}

/**
 * Sends `s3:ObjectCreated:*` events (and with `removals` also `s3:ObjectRemoved:*`) of `bucket` for keys under `prefix` that end with one of `suffixes` to
 * `queue`: one notification configuration per suffix (S3 allows one suffix rule per configuration).
 *
 * On a created bucket CDK owns the whole notification configuration. On an imported bucket CDK's handler
 * (`Managed: false`) reads the bucket's existing configurations, keeps them and appends ours. S3 rejects a
 * configuration whose rules overlap for the same event type (same or nested prefix with an overlapping
 * suffix, e.g. an existing `ObjectCreated` rule on the whole bucket): PutBucketNotificationConfiguration
 * fails with "Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the
 * prefixes are overlapping for the same event type", the custom resource fails and the deploy rolls back,
 * leaving the existing notifications as they were. Pick a non-overlapping `inputPrefix` or remove the
 * conflicting rule.
 *
 * @returns the key filters added, one per suffix
 */
export function addImageNotifications(
  bucket: IBucket,
  queue: IQueue,
  options: ImageNotificationsOptions,
): NotificationKeyFilter[] {
  const destination = new SqsDestination(queue);
  return options.suffixes.map((suffix) => {
    const filter: NotificationKeyFilter =
      options.prefix === '' ? { suffix } : { prefix: options.prefix, suffix };
    bucket.addEventNotification(EventType.OBJECT_CREATED, destination, filter);
    if (options.removals === true) bucket.addEventNotification(EventType.OBJECT_REMOVED, destination, filter);
    return filter;
  });
}
