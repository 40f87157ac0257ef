import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { BackfillExecutionInput } from '../../backfill/execution-input.js';
import { LOCAL_ENDPOINT_REGION } from './queue-cli-options.js';

/** Stack outputs the backfill commands read (agreed with the CDK stack). */
export const BACKFILL_OUTPUT_KEYS = {
  stateMachineArn: 'BackfillStateMachineArn',
  inputBucketName: 'InputBucketName',
  inputPrefix: 'BackfillInputPrefix',
  outputPrefix: 'BackfillOutputPrefix',
} as const;

/** The SFN client type the commands pass around (so that they need not import the SDK). */
export type OperatorSfnClient = SFNClient;

/**
 * A Step Functions client; with an endpoint (a local server) and no profile, a missing region or missing
 * credentials fall back to local placeholders, as `sqsClient` does.
 */
export function sfnClient(options: {
  region?: string | undefined;
  profile?: string | undefined;
  endpointUrl?: string | undefined;
}): SFNClient {
  const { region, profile, endpointUrl } = options;
  if (endpointUrl === undefined || profile !== undefined) {
    return new SFNClient({ region, profile, endpoint: endpointUrl });
  }
  return new SFNClient({
    endpoint: endpointUrl,
    region: region ?? (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || LOCAL_ENDPOINT_REGION),
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Starts one backfill execution; resolves to its ARN. */
export async function startBackfill(
  sfn: SFNClient,
  stateMachineArn: string,
  input: BackfillExecutionInput,
  name?: string,
): Promise<string> {
  const result = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn,
      input: JSON.stringify(input),
      ...(name === undefined ? {} : { name }),
    }),
  );
  if (result.executionArn === undefined) throw new Error('StartExecution returned no executionArn');
  return result.executionArn;
}

/** The state machine's most recent execution, or `undefined` when it has none. */
export async function latestExecution(sfn: SFNClient, stateMachineArn: string): Promise<string | undefined> {
  const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1 }));
  return executions?.[0]?.executionArn;
}

/** Redrives a failed, timed-out or aborted execution: only its unsuccessful children run again. */
export async function redriveBackfill(sfn: SFNClient, executionArn: string): Promise<Date | undefined> {
  const { redriveDate } = await sfn.send(new RedriveExecutionCommand({ executionArn }));
  return redriveDate;
}

/** Where a backfill execution stands. */
export interface BackfillProgress {
  readonly executionArn: string;
  /** RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE. */
  readonly status: string;
  readonly startDate: Date | undefined;
  readonly stopDate: Date | undefined;
  readonly mapRunArn: string | undefined;
  /** Images whose batch succeeded (bad images inside a succeeded batch are counted here: see the manifest). */
  readonly done: number;
  /** Images whose batch failed, timed out or was aborted. */
  readonly failed: number;
  /** Images whose batch is running. */
  readonly running: number;
  /** Images the Map has read so far (the whole listing once it has finished reading). */
  readonly total: number;
  /** Images per second since the Map Run started, or `undefined` before any finished. */
  readonly rate: number | undefined;
  /** Seconds left at that rate, or `undefined`. */
  readonly etaSeconds: number | undefined;
  readonly redriveCount: number;
  readonly error: string | undefined;
  readonly cause: string | undefined;
}

/**
 * An execution's progress from DescribeExecution, ListMapRuns and DescribeMapRun (the Map Run's item
 * counts). `now` is for the rate and ETA.
 */
export async function backfillProgress(
  sfn: SFNClient,
  executionArn: string,
  now: Date = new Date(),
): Promise<BackfillProgress> {
  const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  const { mapRuns } = await sfn.send(new ListMapRunsCommand({ executionArn }));
  const mapRunArn = mapRuns?.[0]?.mapRunArn;
  const counts =
    mapRunArn === undefined ? undefined : await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
  const items = counts?.itemCounts;
  const done = items?.succeeded ?? 0;
  const failed = (items?.failed ?? 0) + (items?.timedOut ?? 0) + (items?.aborted ?? 0);
  const total = items?.total ?? 0;
  const started = counts?.startDate ?? execution.startDate;
  const end = counts?.stopDate ?? now;
  const elapsed = started === undefined ? 0 : (end.getTime() - started.getTime()) / 1000;
  const rate = done > 0 && elapsed > 0 ? done / elapsed : undefined;
  const left = Math.max(0, total - done - failed);
  return {
    executionArn,
    status: execution.status ?? 'UNKNOWN',
    startDate: execution.startDate,
    stopDate: execution.stopDate,
    mapRunArn,
    done,
    failed,
    running: items?.running ?? 0,
    total,
    rate,
    etaSeconds: rate === undefined || execution.status !== 'RUNNING' ? undefined : left / rate,
    redriveCount: execution.redriveCount ?? 0,
    error: execution.error,
    cause: execution.cause,
  };
}
