import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  backfillProgress,
  latestExecution,
  redriveBackfill,
  startBackfill,
} from '../../src/aws/operator/backfill-executions.js';
import { formatProgress, progressBar } from '../../src/cli/backfill-progress.js';

const sfnMock = mockClient(SFNClient);
const sfn = new SFNClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const SM = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Backfill';
const EXEC = 'arn:aws:states:eu-west-1:123456789012:execution:Backfill:run-1';
const MAP_RUN = 'arn:aws:states:eu-west-1:123456789012:mapRun:Backfill/Backfill:abc';

beforeEach(() => sfnMock.reset());

describe('startBackfill', () => {
  it('starts the state machine with the execution input as JSON and its name', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: EXEC, startDate: new Date() });
    const input = {
      inputPrefix: 'raw/',
      outputPrefix: 'aug/backfill/run-1/',
      layout: 'shards' as const,
      settings: { variants: 2 },
    };
    await expect(startBackfill(sfn, SM, input, 'run-1')).resolves.toBe(EXEC);
    const call = sfnMock.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(call).toEqual({ stateMachineArn: SM, name: 'run-1', input: JSON.stringify(input) });
  });
});

describe('latestExecution and redriveBackfill', () => {
  it('asks for one execution, the newest', async () => {
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: EXEC } as never] });
    await expect(latestExecution(sfn, SM)).resolves.toBe(EXEC);
    expect(sfnMock.commandCalls(ListExecutionsCommand)[0]!.args[0].input).toEqual({
      stateMachineArn: SM,
      maxResults: 1,
    });
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [] });
    await expect(latestExecution(sfn, SM)).resolves.toBeUndefined();
  });

  it('redrives the execution it is given', async () => {
    const date = new Date('2026-12-03T10:00:00Z');
    sfnMock.on(RedriveExecutionCommand).resolves({ redriveDate: date });
    await expect(redriveBackfill(sfn, EXEC)).resolves.toEqual(date);
    expect(sfnMock.commandCalls(RedriveExecutionCommand)[0]!.args[0].input).toEqual({ executionArn: EXEC });
  });
});

describe('backfillProgress', () => {
  const start = new Date('2026-12-03T10:00:00Z');
  const now = new Date('2026-12-03T10:01:40Z'); // 100 s later

  it('counts images from the Map Run\u2019s item counts, with the rate and ETA', async () => {
    sfnMock
      .on(DescribeExecutionCommand)
      .resolves({ executionArn: EXEC, status: 'RUNNING', startDate: start } as never);
    sfnMock.on(ListMapRunsCommand).resolves({ mapRuns: [{ mapRunArn: MAP_RUN } as never] });
    sfnMock.on(DescribeMapRunCommand).resolves({
      startDate: start,
      itemCounts: {
        pending: 5000,
        running: 1000,
        succeeded: 3000,
        failed: 500,
        timedOut: 200,
        aborted: 300,
        total: 10000,
        resultsWritten: 0,
      },
    } as never);
    const p = await backfillProgress(sfn, EXEC, now);
    expect(sfnMock.commandCalls(DescribeMapRunCommand)[0]!.args[0].input).toEqual({ mapRunArn: MAP_RUN });
    expect(p).toMatchObject({
      status: 'RUNNING',
      done: 3000,
      failed: 1000,
      running: 1000,
      total: 10000,
      mapRunArn: MAP_RUN,
    });
    expect(p.rate).toBeCloseTo(30, 9);
    expect(p.etaSeconds).toBeCloseTo(6000 / 30, 9);
    const text = formatProgress(p);
    expect(text).toContain(`${EXEC}: RUNNING`);
    expect(text).toContain(
      `${progressBar(0.4)} 40.0%, 3,000 done, 1,000 failed, 10,000 total, 30 images/s, ETA 3 min 20 s`,
    );
  });

  it('before the Map Run exists: no counts, says it is listing', async () => {
    sfnMock
      .on(DescribeExecutionCommand)
      .resolves({ executionArn: EXEC, status: 'RUNNING', startDate: start } as never);
    sfnMock.on(ListMapRunsCommand).resolves({ mapRuns: [] });
    const p = await backfillProgress(sfn, EXEC, now);
    expect(sfnMock.commandCalls(DescribeMapRunCommand)).toHaveLength(0);
    expect(p).toMatchObject({ done: 0, failed: 0, total: 0, rate: undefined, etaSeconds: undefined });
    expect(formatProgress(p)).toContain('listing the input (no Map Run yet)');
  });

  it('a failed execution: no ETA, its error and how to redrive it', async () => {
    sfnMock.on(DescribeExecutionCommand).resolves({
      executionArn: EXEC,
      status: 'FAILED',
      startDate: start,
      stopDate: now,
      error: 'States.ExceedToleratedFailureThreshold',
      cause: 'The specified tolerated failure threshold was exceeded',
      redriveCount: 1,
    } as never);
    sfnMock.on(ListMapRunsCommand).resolves({ mapRuns: [{ mapRunArn: MAP_RUN } as never] });
    sfnMock.on(DescribeMapRunCommand).resolves({
      startDate: start,
      stopDate: now,
      itemCounts: {
        succeeded: 9000,
        failed: 1000,
        timedOut: 0,
        aborted: 0,
        total: 10000,
        running: 0,
        pending: 0,
        resultsWritten: 10000,
      },
    } as never);
    const p = await backfillProgress(sfn, EXEC, new Date('2026-12-04T00:00:00Z'));
    expect(p.etaSeconds).toBeUndefined();
    expect(p.rate).toBeCloseTo(90, 9);
    const text = formatProgress(p);
    expect(text).toContain('FAILED (redriven 1x)');
    expect(text).toContain(
      'States.ExceedToleratedFailureThreshold: The specified tolerated failure threshold was exceeded',
    );
    expect(text).toContain(`augmix backfill redrive ${EXEC}`);
  });
});
