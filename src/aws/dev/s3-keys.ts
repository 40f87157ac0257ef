import path from 'node:path';

/**
 * Keys as `augmix dev` stores them. s3rver keeps each object as files under `<data-dir>/<bucket>/<key>`,
 * joining the key's `/`-separated segments as path segments: a `..` segment would climb out of the bucket's
 * folder (`../../etc/passwd`), and `.` or empty segments (`a//b`, `/abs`) would land on another key's file.
 * Such keys are refused before they reach s3rver. S3 itself accepts them; a deployed pipeline sees them.
 */
export function unstorableKeyReason(key: string): string | null {
  if (key === '') return 'the key is empty';
  if (key.includes('\0')) return 'the key holds a NUL character';
  const segments = key.split('/');
  // A trailing '/' (a "folder" object) leaves one empty last segment, which s3rver stores safely.
  const inner = key.endsWith('/') ? segments.slice(0, -1) : segments;
  const bad = inner.find((segment) => segment === '' || segment === '.' || segment === '..');
  if (bad === undefined) return null;
  return bad === ''
    ? 'the key has an empty segment (a leading "/" or "//")'
    : `the key has a ${JSON.stringify(bad)} segment`;
}

/**
 * True when `key` in `bucket` maps to a file inside `<root>/<bucket>/` (the second guard, after
 * {@link unstorableKeyReason}).
 */
export function staysInside(root: string, bucket: string, key: string): boolean {
  const bucketDir = path.resolve(root, bucket);
  const file = path.resolve(bucketDir, ...key.split('/'));
  return file === bucketDir || file.startsWith(`${bucketDir}${path.sep}`);
}

/** Bytes S3 leaves as they are in event keys (besides `/`); everything else is percent-encoded. */
const UNRESERVED = /[A-Za-z0-9\-_.*]/;

/**
 * Encodes a key the way S3 writes it into event notifications: form encoding (a space is `+`, `(` is `%28`,
 * UTF-8 bytes percent-encoded in upper-case hex), with `/` kept.
 */
export function encodeEventKey(key: string): string {
  let out = '';
  for (const char of key) {
    if (char === ' ') out += '+';
    else if (char === '/' || UNRESERVED.test(char)) out += char;
    else {
      for (const byte of Buffer.from(char, 'utf8')) {
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
    }
  }
  return out;
}
