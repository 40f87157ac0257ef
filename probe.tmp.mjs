import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

const child = spawn(
  process.execPath,
  ['dist/bin/augmix.js', 'dev', '--port', '0', '--data-dir', '/dev/shm/devprobe'],
  { stdio: ['ignore', 'pipe', 'ignore'] },
);
let out = '';
child.stdout.on('data', (d) => {
  out += d;
});
while (!out.startsWith('ready ')) await new Promise((r) => setTimeout(r, 100));
const info = JSON.parse(out.split('\n')[0].slice(6));
const s3 = new S3Client({
  endpoint: info.endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
});
const png = readFileSync('test/fixtures/events/objects/cup.png');
const t0 = Date.now();
await Promise.all(
  Array.from({ length: 60 }, (_, i) =>
    s3.send(new PutObjectCommand({ Bucket: info.inputBucket, Key: `k${i}.png`, Body: png })),
  ),
);
console.log('uploaded', Date.now() - t0);
await new Promise((r) => setTimeout(r, 12000));
child.kill('SIGINT');
await new Promise((r) => child.on('close', r));
console.log(
  out
    .split('\n')
    .filter((l) => /invocation|durationMs|stopped/.test(l))
    .map((l) => l.slice(0, 300))
    .join('\n'),
);
