/**
 * A fault layer in front of the S3 API, for `augmix dev --faults`: an HTTP proxy on 127.0.0.1 that the
 * function's S3 client goes through. A seeded share of requests is answered with S3's transient errors
 * instead of being forwarded — `503 SlowDown`, `500 InternalError`, or a connection reset — and, while
 * `stallInputGets` is set, GETs of input objects are held for `stallMs` before they are forwarded, or never
 * answered when `stallMs` is null (an S3 read slower than the invocation's time, or one that hangs). Which requests get a fault depends on the seed and on the order requests arrive in.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorResponse } from './s3-front.js';

export interface FaultOptions {
  /** Share of requests answered with a fault, 0..1. */
  readonly rate: number;
  readonly random: () => number;
  /** The bucket whose GETs are held while `stallInputGets` is set. */
  readonly inputBucket: string;
  /** How long a held GET waits before it is forwarded; `null` = never answered. */
  readonly stallMs: number | null;
  readonly log: (line: string) => void;
}

export interface FaultCounts {
  slowDown: number;
  internalError: number;
  reset: number;
  stalled: number;
  forwarded: number;
}

export interface FaultProxy {
  readonly endpoint: string;
  readonly counts: FaultCounts;
  /** While true, GETs of input objects are held (`stallMs`). */
  stallInputGets: boolean;
  close(): Promise<void>;
}

/** Starts the proxy in front of `target` (`http://127.0.0.1:port`). */
export async function startFaultProxy(target: string, options: FaultOptions): Promise<FaultProxy> {
  const upstream = new URL(target);
  const counts: FaultCounts = { slowDown: 0, internalError: 0, reset: 0, stalled: 0, forwarded: 0 };
  const proxy = { stallInputGets: false };
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    if (proxy.stallInputGets && req.method === 'GET' && path.startsWith(`/${options.inputBucket}/`)) {
      counts.stalled += 1;
      const { stallMs } = options;
      options.log(`fault: GET ${path} stalls (${stallMs === null ? 'never answered' : `${stallMs} ms`})`);
      if (stallMs === null) {
        req.resume();
        return;
      }
      setTimeout(() => {
        if (!req.socket.destroyed) forwardTo(req, res, upstream, path);
      }, stallMs);
      return;
    }
    if (options.rate > 0 && options.random() < options.rate) {
      const draw = options.random();
      req.resume();
      if (draw < 1 / 3) {
        counts.slowDown += 1;
        errorResponse(res, req.method, 503, 'SlowDown', 'Please reduce your request rate.');
      } else if (draw < 2 / 3) {
        counts.internalError += 1;
        errorResponse(
          res,
          req.method,
          500,
          'InternalError',
          'We encountered an internal error. Please try again.',
        );
      } else {
        counts.reset += 1;
        req.socket.destroy();
      }
      return;
    }
    counts.forwarded += 1;
    forwardTo(req, res, upstream, path);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    get stallInputGets() {
      return proxy.stallInputGets;
    },
    set stallInputGets(value: boolean) {
      proxy.stallInputGets = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forwardTo(req: http.IncomingMessage, res: http.ServerResponse, upstream: URL, path: string): void {
  const forward = http.request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  forward.on('error', () => res.destroy());
  req.pipe(forward);
}

/** A small seeded generator (mulberry32): the same seed gives the same sequence of draws in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
