import path from 'node:path';
import type { DevFaults } from '../aws/dev/dev-server.js';
import { DEFAULT_DEV_DATA_DIR } from '../aws/operator/queue-cli-options.js';
import { type CommandSpec, type OptionValues, runCommand } from './args.js';
import { EXIT, UsageError } from './exit.js';

const HELP = `Usage: augmix dev [options]

Runs the whole bucket pipeline on this machine, on 127.0.0.1 only: an S3-API endpoint with the input and
output buckets, an SQS-API endpoint (the same port) with the work queue and its dead-letter queue, the
input bucket's notifications, and a poller that behaves like Lambda's SQS event source mapping and invokes
the worker's own handler with the settings the stack would give it (same -c settings as cdk deploy).

When ready it prints one line "ready {json}" (endpoint, region, buckets, queue URLs, credentials,
variants), then logs. Upload with any S3 client (--endpoint-url, path style); watch the variants appear;
augmix status --dev and augmix dlq redrive --dev work against it. Ctrl-C stops it. Objects persist in
the data directory; queue contents do not.

  --port P                  the endpoint's port (default 4569; 0 = any free port)
  --data-dir D              where objects are kept (default .augmix-dev)
  -c, --context KEY=VALUE   a stack setting, as cdk deploy -c takes it (repeatable), e.g. -c variants=2
  --concurrency N           invocations at once, each in its own process (default 2)
  --visibility-timeout S    the work queue's visibility timeout (default: the stack's, 6x the timeout)

Fault injection (for tests; all off by default):
  --faults RATE             share of the function's S3 requests answered 503 SlowDown, 500 or a reset
  --fault-seed N            seed of the fault draws (default 1)
  --kill-invocations N      kill the first N invocations' processes mid-batch
  --kill-after-puts N       ... after N S3 PUT responses (default 1)
  --stall-invocations N     the next N invocations find every read of an input held: they run out of time
  --stall-ms MS             ... held MS ms, then answered (default: never answered)
  --duplicate-notifications RATE
                            share of notifications delivered twice
  -h, --help                this help`;

const OPTIONS = {
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  context: { type: 'string', short: 'c', multiple: true },
  concurrency: { type: 'string' },
  'visibility-timeout': { type: 'string' },
  faults: { type: 'string' },
  'fault-seed': { type: 'string' },
  'stall-invocations': { type: 'string' },
  'stall-ms': { type: 'string' },
  'kill-invocations': { type: 'string' },
  'kill-after-puts': { type: 'string' },
  'duplicate-notifications': { type: 'string' },
} as const;

/** Default port of `augmix dev`'s endpoint. */
export const DEFAULT_DEV_PORT = 4569;

const SPEC: CommandSpec = { name: 'dev', help: HELP, options: OPTIONS, positionals: [] };

export async function main(argv: string[]): Promise<number> {
  return runCommand(argv, SPEC, async ({ values }) => serve(values));
}

async function serve(values: OptionValues): Promise<number> {
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const port = integer('--port', text('port'), DEFAULT_DEV_PORT, 0, 65535);
  const context = contextOf((values.context as unknown as string[] | undefined) ?? []);
  const faults: Partial<DevFaults> = {
    rate: fraction('--faults', text('faults')),
    seed: integer('--fault-seed', text('fault-seed'), 1, 0, 2 ** 32 - 1),
    stallInvocations: integer('--stall-invocations', text('stall-invocations'), 0, 0, 1e6),
    stallMs: text('stall-ms') === undefined ? null : integer('--stall-ms', text('stall-ms'), 0, 0, 3_600_000),
    killInvocations: integer('--kill-invocations', text('kill-invocations'), 0, 0, 1e6),
    killAfterPuts: integer('--kill-after-puts', text('kill-after-puts'), 1, 1, 1e6),
    duplicateRate: fraction('--duplicate-notifications', text('duplicate-notifications')),
  };
  const concurrency =
    text('concurrency') === undefined ? undefined : integer('--concurrency', text('concurrency'), 2, 1, 64);
  const visibilityTimeoutSeconds =
    text('visibility-timeout') === undefined
      ? undefined
      : integer('--visibility-timeout', text('visibility-timeout'), 0, 0, 43200);

  const { startDevServer } = await import('../aws/dev/dev-server.js');
  const { readStackWorker } = await import('../../lib/stack-worker.js');
  const { PipelineSettingsError } = await import('../../lib/resolve-pipeline-settings.js');
  const log = (line: string): void => {
    if (line !== '') process.stdout.write(`${new Date().toISOString().slice(11, 23)} ${line}\n`);
  };
  let server: Awaited<ReturnType<typeof startDevServer>>;
  try {
    server = await startDevServer({
      port,
      dataDir: text('data-dir') ?? DEFAULT_DEV_DATA_DIR,
      worker: readStackWorker(context),
      concurrency,
      visibilityTimeoutSeconds,
      faults,
      handlerModule: new URL('../../lambda/augment-worker.js', import.meta.url).href,
      log,
    });
  } catch (error) {
    if (error instanceof PipelineSettingsError) throw new UsageError(error.message);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${port} is in use: pass --port (0 picks a free one)`);
    }
    throw error;
  }
  process.stdout.write(`ready ${JSON.stringify(server.info)}\n`);
  const { info } = server;
  log(
    `augmix dev: S3 and SQS at ${info.endpoint} (credentials ${info.accessKeyId}/${info.secretAccessKey}, ` +
      `region ${info.region}); upload to s3://${info.inputBucket}/${info.inputPrefix}, variants appear in ` +
      `s3://${info.outputBucket}/${info.outputPrefix}; data in ${path.relative(process.cwd(), info.dataDir) || '.'}`,
  );
  log(
    `function: timeout ${info.functionTimeoutSeconds} s, batch size ${info.batchSize}, batching window ` +
      `${info.maxBatchingWindowSeconds} s, visibility timeout ${info.visibilityTimeoutSeconds} s, maxReceiveCount ` +
      `${info.maxReceiveCount}, ${info.concurrency} at once. Ctrl-C to stop.`,
  );

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log('stopping');
  const stats = server.stats();
  await server.close();
  process.stdout.write(`stopped ${JSON.stringify(stats)}\n`);
  return EXIT.ok;
}

function contextOf(pairs: readonly string[]): Record<string, string> {
  const context: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`expected -c KEY=VALUE but received ${JSON.stringify(pair)}`);
    context[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return context;
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(
      `dev: expected ${name} to be an integer in ${min}..${max} but received ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function fraction(name: string, raw: string | undefined): number {
  if (raw === undefined) return 0;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`expected ${name} to be a number in 0..1 but received ${JSON.stringify(raw)}`);
  }
  return value;
}
