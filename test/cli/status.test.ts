import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributes, type LocalSqs, runCli, sendMessages, startLocalSqs } from './status-dlq-helpers.js';

let local: LocalSqs;
let queueUrl: string;
let dlqUrl: string;
let expected: { waiting: number; inFlight: number; delayed: number; dlqWaiting: number };

beforeAll(async () => {
  local = await startLocalSqs();
  ({ queueUrl, dlqUrl } = await local.createPipelineQueues('status-work'));
  // 4 messages waiting, one of them then received (in flight), 1 delayed; 2 in the DLQ.
  await sendMessages(local.sqs, queueUrl, ['a', 'b', 'c', 'd']);
  await local.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 600 }),
  );
  await sendMessages(local.sqs, queueUrl, ['later'], { delaySeconds: 600 });
  await sendMessages(local.sqs, dlqUrl, ['dead-1', 'dead-2']);
  // What the server itself reports (local-aws-sqs counts in-flight messages in ApproximateNumberOfMessages).
  const work = await attributes(
    local.sqs,
    queueUrl,
    'ApproximateNumberOfMessages',
    'ApproximateNumberOfMessagesNotVisible',
    'ApproximateNumberOfMessagesDelayed',
  );
  const dead = await attributes(local.sqs, dlqUrl, 'ApproximateNumberOfMessages');
  expected = {
    waiting: Number(work.ApproximateNumberOfMessages),
    inFlight: Number(work.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(work.ApproximateNumberOfMessagesDelayed),
    dlqWaiting: Number(dead.ApproximateNumberOfMessages),
  };
});

afterAll(async () => {
  await local?.close();
});

function queueArgs(): string[] {
  return ['--queue-url', queueUrl, '--dlq-url', dlqUrl, '--endpoint-url', local.endpoint];
}

describe('augmix status (against local-aws-sqs)', () => {
  it('prints the queue counts once as JSON', async () => {
    // Act
    const result = await runCli(['status', ...queueArgs(), '--json']);
    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout);
    expect(status).toMatchObject({
      source: '--queue-url/--dlq-url',
      queue: {
        url: queueUrl,
        waiting: expected.waiting,
        inFlight: expected.inFlight,
        delayed: expected.delayed,
      },
      deadLetterQueue: { url: dlqUrl, waiting: expected.dlqWaiting, inFlight: 0, delayed: 0 },
    });
    expect(expected).toMatchObject({ inFlight: 1, delayed: 1, dlqWaiting: 2 });
    expect(Number.isNaN(Date.parse(status.time))).toBe(false);
  });

  it('needs no AWS credentials or region against a local endpoint', async () => {
    // Act
    const result = await runCli(['status', ...queueArgs(), '--json'], {
      env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_REGION: '' },
    });
    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).deadLetterQueue.waiting).toBe(expected.dlqWaiting);
  });

  it('prints a table once when stdout is not a terminal', async () => {
    const result = await runCli(['status', ...queueArgs()]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^\s+waiting\s+in flight\s+delayed$/));
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^work queue\\s+${expected.waiting}\\s+${expected.inFlight}\\s+${expected.delayed}$`),
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^dead-letter queue\\s+${expected.dlqWaiting}\\s+0\\s+0$`)),
    );
    expect(result.stdout).toContain(
      `Backlog ${expected.waiting}, in flight ${expected.inFlight}, DLQ depth ${expected.dlqWaiting}.`,
    );
    expect(result.stdout).toContain('augmix dlq redrive');
    expect(result.stdout.match(/^Queues /gm)).toHaveLength(1);
  });

  it('keeps refreshing with --watch until interrupted', async () => {
    // Act: stop it once it printed three readings
    const result = await runCli(['status', ...queueArgs(), '--watch', '--interval', '0.2', '--json'], {
      until: (stdout) => stdout.split('\n').filter(Boolean).length >= 3,
    });
    // Assess
    expect(result.code).toBe(0);
    const readings = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(readings.length).toBeGreaterThanOrEqual(3);
    for (const reading of readings) {
      expect(reading.deadLetterQueue.waiting).toBe(expected.dlqWaiting);
    }
  });

  it.each([
    [['--interval', '0'], /expected --interval to be a number of seconds > 0 but received "0"/],
    [['--watch', '--once'], /--watch and --once exclude each other/],
    [['--bogus'], /^augmix status: unknown option --bogus\n/],
  ])('rejects bad usage %j with exit status 2', async (args, message) => {
    const result = await runCli(['status', ...queueArgs(), ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('fails with exit status 3 and a one-line reason when the queue does not exist', async () => {
    const missing = `${local.endpoint}/123456789012/no-such-queue`;
    const result = await runCli([
      'status',
      '--queue-url',
      missing,
      '--dlq-url',
      dlqUrl,
      '--endpoint-url',
      local.endpoint,
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^augmix status: .*(exist|not found)/i);
  });
});
