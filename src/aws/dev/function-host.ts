/**
 * One "execution environment" of the worker in `augmix dev`: a child process that imports the handler module
 * once (the cold start, with the function's environment as its process environment, as on Lambda) and then
 * runs one invocation at a time for its parent (`function-runner.ts`), with a Lambda context whose
 * `getRemainingTimeInMillis` counts down to the real deadline.
 *
 * Argument: the handler module's URL. Messages in: `{ type: 'invoke', id, event, deadline, context,
 * killAfterPuts }`. Messages out: `ready`, `init-error`, `result`, `error`.
 */

import { randomUUID } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';

export interface InvokeMessage {
  readonly type: 'invoke';
  readonly id: number;
  readonly event: unknown;
  /** Epoch milliseconds at which the invocation times out. */
  readonly deadline: number;
  readonly functionName: string;
  readonly memoryLimitInMB: number;
  readonly invokedFunctionArn: string;
  /** Fault injection: kill this process (SIGKILL) once this many S3 PUT responses arrived in the invocation. */
  readonly killAfterPuts: number | null;
}

export type HostMessage =
  | { readonly type: 'ready'; readonly initMs: number }
  | { readonly type: 'init-error'; readonly errorType: string; readonly errorMessage: string }
  | { readonly type: 'result'; readonly id: number; readonly result: unknown; readonly maxRssBytes: number }
  | {
      readonly type: 'error';
      readonly id: number;
      readonly errorType: string;
      readonly errorMessage: string;
      readonly maxRssBytes: number;
    };

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const send = (message: HostMessage): void => {
  process.send?.(message);
};

let putsLeft: number | null = null;
subscribe('http.client.response.finish', (message) => {
  const { request } = message as { request: { method?: string } };
  if (putsLeft === null || request.method !== 'PUT') return;
  putsLeft -= 1;
  if (putsLeft <= 0) {
    process.stderr.write('augmix dev: killing the function process mid-batch (fault injection)\n');
    process.kill(process.pid, 'SIGKILL');
  }
});

async function main(): Promise<void> {
  const moduleUrl = process.argv[2];
  if (moduleUrl === undefined) throw new Error('function-host: expected the handler module URL as argument');
  const started = performance.now();
  let handler: Handler;
  try {
    const module = (await import(moduleUrl)) as { handler?: Handler };
    if (typeof module.handler !== 'function') throw new Error(`${moduleUrl} exports no handler function`);
    handler = module.handler;
  } catch (error) {
    send({ type: 'init-error', ...describe(error) });
    process.exitCode = 1;
    process.disconnect?.();
    return;
  }
  send({ type: 'ready', initMs: performance.now() - started });
  process.on('message', (message: InvokeMessage) => {
    if (message.type !== 'invoke') return;
    void invoke(handler, message);
  });
}

async function invoke(handler: Handler, message: InvokeMessage): Promise<void> {
  putsLeft = message.killAfterPuts;
  const awsRequestId = randomUUID();
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: message.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: String(message.memoryLimitInMB),
    awsRequestId,
    logGroupName: `/aws/lambda/${message.functionName}`,
    logStreamName: `augmix-dev/${process.pid}`,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    const result = await handler(message.event, context);
    send({ type: 'result', id: message.id, result: result ?? null, maxRssBytes: maxRssBytes() });
  } catch (error) {
    send({ type: 'error', id: message.id, ...describe(error), maxRssBytes: maxRssBytes() });
  } finally {
    putsLeft = null;
  }
}

function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

function describe(error: unknown): { errorType: string; errorMessage: string } {
  return error instanceof Error
    ? { errorType: error.name, errorMessage: error.message }
    : { errorType: 'Error', errorMessage: String(error) };
}

void main();
