import { afterAll, describe, expect, it } from 'vitest';
import { FunctionInstance, type InvokeOutcome } from '../../src/aws/dev/function-runner.js';

const spec = {
  handlerModule: new URL('./fixtures/probe-handler.mjs', import.meta.url).href,
  environment: { PATH: process.env.PATH ?? '', GREETING: 'hello' },
  timeoutSeconds: 1,
  memorySize: 512,
  functionName: 'probe',
  region: 'us-east-1',
};

function resultOf(outcome: InvokeOutcome): Record<string, unknown> {
  if (outcome.status !== 'ok') throw new Error(`expected ok but got ${JSON.stringify(outcome)}`);
  return outcome.result as Record<string, unknown>;
}

describe('FunctionInstance: Lambda-like execution environments for augmix dev', () => {
  const instance = new FunctionInstance(spec, () => undefined);
  afterAll(() => instance.dispose());

  it('runs the handler with the function’s environment and a context that counts down to the timeout', async () => {
    const first = resultOf(await instance.invoke({}));
    expect(first).toMatchObject({ functionName: 'probe', memoryLimitInMB: '512', greeting: 'hello' });
    expect(first.remaining).toBeGreaterThan(0);
    expect(first.remaining).toBeLessThanOrEqual(1000);
    const slept = resultOf(await instance.invoke({ action: 'sleep', ms: 300 }));
    expect(slept.pid).toBe(first.pid); // a warm environment is reused
    expect(instance.coldStarts).toBe(1);
  });

  it('reports a handler error without restarting the environment', async () => {
    const outcome = await instance.invoke({ action: 'throw' });
    expect(outcome).toMatchObject({ status: 'error', errorType: 'TypeError', errorMessage: 'bad input' });
    expect(instance.coldStarts).toBe(1);
  });

  it('kills an invocation that passes the timeout, and cold-starts the next one', async () => {
    const before = resultOf(await instance.invoke({})).pid;
    const outcome = await instance.invoke({ action: 'sleep', ms: 5000 });
    expect(outcome.status).toBe('timeout');
    expect(outcome.durationMs).toBeGreaterThanOrEqual(1000);
    expect(outcome.durationMs).toBeLessThan(3000);
    const after = resultOf(await instance.invoke({}));
    expect(after.pid).not.toBe(before);
    expect(instance.coldStarts).toBe(2);
  });

  it('reports a process that dies mid-invocation as a crash', async () => {
    const outcome = await instance.invoke({ action: 'exit' });
    expect(outcome).toMatchObject({ status: 'crashed' });
    expect(resultOf(await instance.invoke({})).greeting).toBe('hello');
  });
});
