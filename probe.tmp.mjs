import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

const child = spawn(
  process.execPath,
  [
    'dist/bin/augmix.js',
    'dev',
    '--port',
    '0',
    '--data-dir',
    '/tmp/devprobe',
    '-c',
    'variants=2',
    '-c',
    'timeoutSeconds=3',
    '--faults',
    '0.15',
    '--fault-seed',
    '3',
    '--kill-invocations',
    '1',
    '--stall-invocations',
    '1',
    '--concurrency',
    '1',
    '--visibility-timeout',
    '4',
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let out = '';
child.stdout.on('data', (d) => {
  out += d;
  process.stdout.write(d);
});
while (!out.includes('\nready ') && !out.startsWith('ready ')) await new Promise((r) => setTimeout(r, 100));
const info = JSON.parse(
  out
    .split('\n')
    .find((l) => l.startsWith('ready '))
    .slice(6),
);
const s3 = new S3Client({
  endpoint: info.endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
});
const png = readFileSync('test/fixtures/events/objects/cup.png');
await Promise.all(
  ['a.png', 'b.png', 'c.png', 'd.png'].map((Key) =>
    s3.send(new PutObjectCommand({ Bucket: info.inputBucket, Key, Body: png })),
  ),
);
await new Promise((r) => setTimeout(r, 15000));
child.kill('SIGINT');
