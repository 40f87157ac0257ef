/** Classification of S3 errors the worker treats as permanent; everything else is transient and retried. */

interface ServiceErrorShape {
  readonly name?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as ServiceErrorShape).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function nameOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as ServiceErrorShape).name;
  return typeof name === 'string' ? name : undefined;
}

/** The object no longer exists: GetObject `NoSuchKey` or a HeadObject 404 (`NotFound`). Not a missing bucket. */
export function isObjectGone(error: unknown): boolean {
  const name = nameOf(error);
  if (name === 'NoSuchKey' || name === 'NotFound') return true;
  return statusOf(error) === 404 && name !== 'NoSuchBucket';
}

/** A conditional request (`If-Match`) failed: the object changed since the event. */
export function isPreconditionFailed(error: unknown): boolean {
  return nameOf(error) === 'PreconditionFailed' || statusOf(error) === 412;
}
