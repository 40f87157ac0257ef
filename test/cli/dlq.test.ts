import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attributes,
  drain,
  type LocalSqs,
  runCli,
  sendMessages,
  startLocalSqs,
} from './status-dlq-helpers.js';

let local: LocalSqs;
let counter = 0;

beforeAll(async () => {
  local = await startLocalSqs();
});

afterAll(async () => {
  await local?.close();
});

/** Fresh queues per test; the DLQ holds `bodies` (each with a message attribute). */
async function pipelineWithDeadLetters(bodies: readonly string[]) {
  counter += 1;
  const queues = await local.createPipelineQueues(`dlq-test-${counter}`);
  await sendMessages(local.sqs, queues.dlqUrl, bodies, {
    attributes: { origin: { DataType: 'String', StringValue: 'test' } },
  });
  const args = ['--queue-url', queues.queueUrl, '--dlq-url', queues.dlqUrl, '--endpoint-url', local.endpoint];
  return { ...queues, args };
}

const BODIES = [
  '{"Records":[1]}',
  '{"Records":[2]}',
  '{"Records":[3]}',
  '{"Records":[4]}',
  '{"Records":[5]}',
];

describe('augmix dlq redrive (against local-aws-sqs)', () => {
  it('moves every message back to the work queue with a move task by default', async () => {
    // Prepare
    const { queueUrl, dlqUrl, args } = await pipelineWithDeadLetters(BODIES);
    // Act
    const result = await runCli(['dlq', 'redrive', ...args]);
    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('5 message(s) waiting');
    expect(result.stdout).toContain('Move task COMPLETED: moved 5 message(s) to the work queue.');
    const moved = await drain(local.sqs, queueUrl);
    expect(moved.map((message) => message.Body).sort()).toEqual(BODIES);
    expect(moved.map((message) => message.MessageAttributes?.origin?.StringValue)).toEqual(
      Array(5).fill('test'),
    );
    expect(await drain(local.sqs, dlqUrl)).toEqual([]);
  });

  it('copies at most --max messages (receive → send → delete) and leaves the rest', async () => {
    const { queueUrl, dlqUrl, args } = await pipelineWithDeadLetters(BODIES);
    const result = await runCli(['dlq', 'redrive', ...args, '--max', '2']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Moved 2 message(s) to the work queue (receive → send → delete).');
    const moved = await drain(local.sqs, queueUrl);
    const left = await drain(local.sqs, dlqUrl);
    expect(moved).toHaveLength(2);
    expect(moved.map((message) => message.MessageAttributes?.origin?.StringValue)).toEqual(['test', 'test']);
    expect([...moved, ...left].map((message) => message.Body).sort()).toEqual(BODIES);
  });

  it('copies everything with --method copy', async () => {
    const { queueUrl, dlqUrl, args } = await pipelineWithDeadLetters(BODIES.slice(0, 3));
    const result = await runCli(['dlq', 'redrive', ...args, '--method', 'copy']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Moved 3 message(s)');
    expect((await drain(local.sqs, queueUrl)).map((message) => message.Body).sort()).toEqual(
      BODIES.slice(0, 3),
    );
    expect(await drain(local.sqs, dlqUrl)).toEqual([]);
  });

  it('changes nothing with --dry-run', async () => {
    const { queueUrl, dlqUrl, args } = await pipelineWithDeadLetters(BODIES.slice(0, 2));
    const result = await runCli(['dlq', 'redrive', ...args, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Dry run: would move 2 message(s) to the work queue; nothing moved.');
    expect(
      (await attributes(local.sqs, dlqUrl, 'ApproximateNumberOfMessages')).ApproximateNumberOfMessages,
    ).toBe('2');
    expect(
      (await attributes(local.sqs, queueUrl, 'ApproximateNumberOfMessages')).ApproximateNumberOfMessages,
    ).toBe('0');
  });

  it('says so when the DLQ is empty', async () => {
    const { args } = await pipelineWithDeadLetters([]);
    const result = await runCli(['dlq', 'redrive', ...args]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Nothing to redrive.');
  });

  it.each([
    [[], /missing <action>/],
    [['purge'], /expected the action "redrive" but received "purge"/],
    [['redrive', '--max', '0'], /expected --max to be an integer >= 1 but received "0"/],
    [
      ['redrive', '--method', 'teleport'],
      /expected --method to be auto, move-task or copy but received "teleport"/,
    ],
    [['redrive', '--method', 'move-task', '--max', '3'], /--max needs --method copy/],
  ])('rejects %j with exit status 2', async (args, message) => {
    const result = await runCli(['dlq', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
