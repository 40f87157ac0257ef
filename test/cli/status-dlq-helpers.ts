import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { createSqsServer } from 'local-aws-sqs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Environment of the spawned CLI: dummy credentials, no shared config files, no SDK Node-version notice. */
export const CLI_ENV = {
  PATH: process.env.PATH ?? '',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** A local-aws-sqs server on a random loopback port, and a client for it. */
export interface LocalSqs {
  readonly endpoint: string;
  readonly sqs: SQSClient;
  /** Creates a work queue with a DLQ (redrive policy, maxReceiveCount 5), like the stack does. */
  createPipelineQueues(name: string): Promise<{ queueUrl: string; dlqUrl: string }>;
  close(): Promise<void>;
}

export async function startLocalSqs(): Promise<LocalSqs> {
  const server = await createSqsServer({ port: 0, hostname: '127.0.0.1' });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const sqs = new SQSClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    endpoint,
    sqs,
    async createPipelineQueues(name) {
      const { QueueUrl: dlqUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
      const dlqArn = (await attributes(sqs, dlqUrl, 'QueueArn')).QueueArn;
      const { QueueUrl: queueUrl = '' } = await sqs.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }) },
        }),
      );
      return { queueUrl, dlqUrl };
    },
    close: () =>
      new Promise<void>((resolve) => {
        sqs.destroy();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export async function attributes(
  sqs: SQSClient,
  url: string,
  ...names: string[]
): Promise<Record<string, string>> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names as never[] }),
  );
  return Attributes;
}

export async function sendMessages(
  sqs: SQSClient,
  url: string,
  bodies: readonly string[],
  options: { delaySeconds?: number; attributes?: Record<string, MessageAttributeValue> } = {},
): Promise<void> {
  for (const body of bodies) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: body,
        ...(options.delaySeconds === undefined ? {} : { DelaySeconds: options.delaySeconds }),
        ...(options.attributes === undefined ? {} : { MessageAttributes: options.attributes }),
      }),
    );
  }
}

/** Receives every visible message (and hides it for a minute). */
export async function drain(sqs: SQSClient, url: string) {
  const messages = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return messages;
    messages.push(...Messages);
  }
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/bin/augmix.js ...args` (built by the global setup) without blocking the event loop. */
export function runCli(
  args: readonly string[],
  options: { until?: (stdout: string) => boolean; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/bin/augmix.js', ...args], {
      cwd: ROOT,
      env: { ...CLI_ENV, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!signalled && options.until?.(stdout)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
