/**
 * The S3 half of `augmix dev`'s one endpoint: s3rver (files under the data directory) on a private loopback
 * port, and in front of it the checks s3rver lacks:
 * - keys that could not be stored safely as files are refused (`s3-keys.ts`), in the request path, in
 *   `x-amz-copy-source` and in DeleteObjects bodies;
 * - conditional requests: `If-Match` on GET/HEAD/PUT and `If-None-Match: *` on PUT answer
 *   `412 PreconditionFailed` as S3 does (checked just before forwarding; not atomic with the write);
 * - virtual-hosted-style requests are refused (the SDK's `forcePathStyle` is required).
 * Everything else is forwarded unchanged, signatures included.
 */
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { staysInside, unstorableKeyReason } from './s3-keys.js';

/** s3rver's one account. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** The part of s3rver's record for one created or removed object that `augmix dev` reads. */
export interface S3rverRecord {
  readonly eventName: string;
  readonly s3: {
    readonly bucket: { readonly name: string };
    readonly object: { readonly key: string; readonly size?: number; readonly eTag?: string };
  };
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: { Records: S3rverRecord[] }) => void): void;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

/** How a request created an object, for the event name s3rver does not tell apart. */
export type CreationKind = 'Put' | 'Post' | 'Copy' | 'CompleteMultipartUpload';

export interface S3Front {
  /** Handles one S3-API request of the shared endpoint. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): void;
  /** Calls `listener` for every object s3rver created or removed, with how the request created it. */
  onRecord(listener: (record: S3rverRecord, kind: CreationKind | null) => void): void;
  /** The current ETag of an object (quoted), or `undefined` when it does not exist. */
  currentETag(bucket: string, key: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/**
 * Loads s3rver, which `npm ci` installs as a dependency of the CLI. A clear error instead of a module
 * resolution failure when an install left it out (`npm ci --omit=optional`, a hand-pruned node_modules).
 */
function loadS3rver(): S3rverConstructor {
  try {
    return createRequire(import.meta.url)('s3rver') as S3rverConstructor;
  } catch (error) {
    throw new Error('augmix dev needs the s3rver package, which is not installed: run `npm ci`', {
      cause: error,
    });
  }
}

export async function startS3Front(options: {
  readonly directory: string;
  readonly buckets: readonly string[];
}): Promise<S3Front> {
  mkdirSync(options.directory, { recursive: true });
  const S3rver = loadS3rver();
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: options.directory,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  const upstream = await s3rver.run();
  const pendingKinds = new Map<string, CreationKind>();
  const listeners: ((record: S3rverRecord, kind: CreationKind | null) => void)[] = [];
  s3rver.on('event', (event) => {
    for (const record of event.Records) {
      const id = `${record.s3.bucket.name}/${record.s3.object.key}`;
      const kind = pendingKinds.get(id) ?? null;
      pendingKinds.delete(id);
      for (const listener of listeners) listener(record, kind);
    }
  });

  const head = (bucket: string, key: string): Promise<string | undefined> =>
    new Promise((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port: upstream.port, method: 'HEAD', path: objectPath(bucket, key) },
        (answer) => {
          answer.resume();
          const etag = answer.headers.etag;
          resolve(answer.statusCode === 200 && typeof etag === 'string' ? etag : undefined);
        },
      );
      request.on('error', reject);
      request.end();
    });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (host !== 'localhost' && isIP(host) === 0) {
      return refuse(
        req,
        res,
        400,
        'InvalidRequest',
        'augmix dev serves path-style requests only: use forcePathStyle',
      );
    }
    // The raw path: WHATWG URL parsing would resolve `..` segments before the checks see them.
    const raw = req.url ?? '/';
    const queryAt = raw.indexOf('?');
    const rawPath = queryAt === -1 ? raw : raw.slice(0, queryAt);
    const url = new URL(queryAt === -1 ? '' : raw.slice(queryAt), 'http://local/');
    const [bucketPart = '', ...keyParts] = rawPath.replace(/^\//, '').split('/');
    const bucket = safeDecode(bucketPart);
    const key = keyParts.length === 0 ? '' : safeDecode(keyParts.join('/'));
    if (bucket === null || key === null) {
      return refuse(req, res, 400, 'InvalidURI', 'Couldn\u2019t parse the specified URI.');
    }
    const problems: string[] = [];
    if (!rawPath.startsWith('/')) problems.push(`the request target ${JSON.stringify(raw)} is not a path`);
    if (bucket !== '' && !BUCKET_NAME.test(bucket))
      problems.push(`${JSON.stringify(bucket)} is not a bucket name`);
    if (key !== '') problems.push(...keyProblems(options.directory, bucket, key));
    const copySource = req.headers['x-amz-copy-source'];
    if (typeof copySource === 'string') {
      const source = safeDecode(copySource.replace(/^\//, '').split('?')[0] ?? '');
      const [sourceBucket = '', ...sourceKey] = (source ?? '').split('/');
      problems.push(...keyProblems(options.directory, sourceBucket, sourceKey.join('/')));
    }
    let body: Buffer | null = null;
    if (req.method === 'POST' && url.searchParams.has('delete')) {
      body = await readBody(req);
      for (const match of body.toString('utf8').matchAll(/<Key>([\s\S]*?)<\/Key>/g)) {
        problems.push(...keyProblems(options.directory, bucket, unescapeXml(match[1] ?? '')));
      }
    }
    if (problems.length > 0) {
      return refuse(
        req,
        res,
        400,
        'InvalidArgument',
        `augmix dev stores objects as files and refuses this key: ${problems.join('; ')} (S3 itself accepts it)`,
      );
    }

    if (key !== '' && (req.method === 'GET' || req.method === 'HEAD' || req.method === 'PUT')) {
      const ifMatch = req.headers['if-match'];
      const ifNoneMatch = req.headers['if-none-match'];
      const isPut = req.method === 'PUT' && !url.searchParams.has('partNumber');
      if (typeof ifMatch === 'string' || (isPut && ifNoneMatch === '*')) {
        const current = await head(bucket, key);
        if (typeof ifMatch === 'string' && current === undefined && isPut) {
          return refuse(req, res, 404, 'NoSuchKey', 'The specified key does not exist.');
        }
        const ifMatchFails =
          typeof ifMatch === 'string' && current !== undefined && unquote(current) !== unquote(ifMatch);
        const ifNoneMatchFails = isPut && ifNoneMatch === '*' && current !== undefined;
        if (ifMatchFails || ifNoneMatchFails) {
          return refuse(
            req,
            res,
            412,
            'PreconditionFailed',
            'At least one of the pre-conditions you specified did not hold',
          );
        }
      }
    }
    const kind = creationKind(req.method, url, copySource);
    if (kind !== null && key !== '') pendingKinds.set(`${bucket}/${key}`, kind);
    await forward(req, res, upstream.port, body);
  };

  return {
    handle(req, res) {
      handle(req, res).catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        errorResponse(
          res,
          req.method,
          500,
          'InternalError',
          error instanceof Error ? error.message : String(error),
        );
      });
    },
    onRecord(listener) {
      listeners.push(listener);
    },
    currentETag: head,
    close: () => s3rver.close(),
  };
}

/** S3's bucket naming rules (3..63 lower-case letters, digits, dots and hyphens). */
const BUCKET_NAME = /^(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function keyProblems(root: string, bucket: string, key: string): string[] {
  if (!BUCKET_NAME.test(bucket)) return [`${JSON.stringify(bucket)} is not a bucket name`];
  const reason = unstorableKeyReason(key);
  if (reason !== null) return [`${JSON.stringify(key)}: ${reason}`];
  if (!staysInside(root, bucket, key)) return [`${JSON.stringify(key)}: it maps outside the bucket's folder`];
  return [];
}

function creationKind(method: string | undefined, url: URL, copySource: unknown): CreationKind | null {
  if (method === 'PUT' && !url.searchParams.has('partNumber')) {
    return typeof copySource === 'string' ? 'Copy' : 'Put';
  }
  if (method === 'POST' && url.searchParams.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'POST' && !url.searchParams.has('delete') && !url.searchParams.has('uploads')) return 'Post';
  return null;
}

/** The path-style URL path of an object: each segment percent-encoded, `/` kept. */
export function objectPath(bucket: string, key: string): string {
  return `/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

async function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  port: number,
  body: Buffer | null,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const upstream = http.request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res).on('finish', resolve).on('error', reject);
      },
    );
    upstream.on('error', reject);
    if (body === null) req.pipe(upstream);
    else upstream.end(body);
  });
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function refuse(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  status: number,
  code: string,
  message: string,
): void {
  req.resume();
  errorResponse(res, req.method, status, code, message);
}

/** An S3-style XML error response. */
export function errorResponse(
  res: http.ServerResponse,
  method: string | undefined,
  status: number,
  code: string,
  message: string,
): void {
  const requestId = 'AUGMIXDEV0000000';
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': requestId });
  res.end(
    method === 'HEAD'
      ? undefined
      : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><RequestId>${requestId}</RequestId></Error>`,
  );
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function unquote(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-fA-F]+);/g, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&amp;/g, '&');
}
