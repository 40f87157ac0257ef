/**
 * Runs the worker's handler the way Lambda does, for `augmix dev`: one execution environment (a child
 * process, `function-host.ts`) per concurrent invocation, reused while it stays healthy. An invocation that
 * passes the function's timeout is killed with its process and reported as `timeout`; a process that dies
 * mid-invocation (out of memory, a kill) is reported as `crashed`. Either way the next invocation starts a
 * fresh environment (a cold start), as Lambda restarts the runtime after a timeout.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { HostMessage, InvokeMessage } from './function-host.js';

export interface FunctionSpec {
  /** URL of the handler module (exporting `handler`). */
  readonly handlerModule: string;
  /** The function's environment (the stack's, plus the runtime's and the local endpoints'). */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly functionName: string;
  readonly region: string;
}

export type InvokeOutcome =
  | { readonly status: 'ok'; readonly result: unknown; readonly durationMs: number }
  | {
      readonly status: 'error';
      readonly errorType: string;
      readonly errorMessage: string;
      readonly durationMs: number;
    }
  | { readonly status: 'timeout'; readonly durationMs: number }
  | { readonly status: 'crashed'; readonly reason: string; readonly durationMs: number };

/** The host module beside this one; from the TypeScript sources (tests), run through tsx. */
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const HOST = fileURLToPath(
  new URL(FROM_SOURCES ? './function-host.ts' : './function-host.js', import.meta.url),
);
const HOST_EXEC_ARGV = FROM_SOURCES ? ['--import', 'tsx'] : [];

/** Longest cold start accepted, as Lambda's 10 s init limit. */
const INIT_TIMEOUT_MS = 10_000;

/** One execution environment: a child process that keeps the handler module loaded between invocations. */
export class FunctionInstance {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 1;
  /** Largest resident set seen in this instance's processes, in bytes. */
  peakRssBytes = 0;
  coldStarts = 0;

  constructor(
    private readonly spec: FunctionSpec,
    private readonly onLog: (line: string, stream: 'stdout' | 'stderr') => void,
  ) {}

  /** Runs one invocation; `killAfterPuts` injects a crash after that many S3 PUT responses. */
  async invoke(event: unknown, killAfterPuts: number | null = null): Promise<InvokeOutcome> {
    const started = performance.now();
    const elapsed = (): number => performance.now() - started;
    try {
      await this.start();
    } catch (error) {
      this.dispose();
      return { status: 'crashed', reason: `init failed: ${String(error)}`, durationMs: elapsed() };
    }
    const child = this.child;
    if (child === null) return { status: 'crashed', reason: 'no process', durationMs: elapsed() };
    const id = this.nextId++;
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const message: InvokeMessage = {
      type: 'invoke',
      id,
      event,
      deadline: Date.now() + timeoutMs,
      functionName: this.spec.functionName,
      memoryLimitInMB: this.spec.memorySize,
      invokedFunctionArn: `arn:aws:lambda:${this.spec.region}:000000000000:function:${this.spec.functionName}`,
      killAfterPuts,
    };
    return new Promise<InvokeOutcome>((resolve) => {
      let done = false;
      const finish = (outcome: InvokeOutcome, dispose: boolean): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (dispose) this.dispose();
        resolve(outcome);
      };
      const onMessage = (reply: HostMessage): void => {
        if ((reply.type !== 'result' && reply.type !== 'error') || reply.id !== id) return;
        this.peakRssBytes = Math.max(this.peakRssBytes, reply.maxRssBytes);
        if (reply.type === 'result')
          finish({ status: 'ok', result: reply.result, durationMs: elapsed() }, false);
        else {
          const { errorType, errorMessage } = reply;
          finish({ status: 'error', errorType, errorMessage, durationMs: elapsed() }, false);
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        finish(
          {
            status: 'crashed',
            reason: `process exited (${signal ?? `code ${code}`})`,
            durationMs: elapsed(),
          },
          true,
        );
      };
      const timer = setTimeout(() => finish({ status: 'timeout', durationMs: elapsed() }, true), timeoutMs);
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send(message);
    });
  }

  /** Kills the process (it is restarted by the next invocation). */
  dispose(): void {
    this.child?.kill('SIGKILL');
    this.child = null;
    this.ready = null;
  }

  private start(): Promise<void> {
    if (this.ready !== null) return this.ready;
    this.coldStarts += 1;
    const child = fork(HOST, [this.spec.handlerModule], {
      env: { ...this.spec.environment },
      execArgv: HOST_EXEC_ARGV,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.child = child;
    for (const stream of ['stdout', 'stderr'] as const) {
      const source = child[stream];
      if (source !== null) createInterface({ input: source }).on('line', (line) => this.onLog(line, stream));
    }
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no cold start within ${INIT_TIMEOUT_MS} ms`)),
        INIT_TIMEOUT_MS,
      );
      const onMessage = (message: HostMessage): void => {
        if (message.type === 'ready') {
          cleanup();
          resolve();
        } else if (message.type === 'init-error') {
          cleanup();
          reject(new Error(`${message.errorType}: ${message.errorMessage}`));
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        cleanup();
        reject(new Error(`the function process exited during its cold start (${signal ?? `code ${code}`})`));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
    return this.ready;
  }
}
