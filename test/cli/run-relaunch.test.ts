import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  augmix,
  finished,
  snapshotFiles,
  sortedManifest,
  startAugmix,
  writePicture,
} from './run-fixtures.js';

// With --concurrency 3 a run needs 6 libuv threads (one per image in flight), more than libuv's default 4,
// so `augmix run` starts itself again with UV_THREADPOOL_SIZE=6. These tests check the relaunched run from the
// outside: same outputs, signals reach it, and it does not outlive a killed parent.

const IMAGES = 24;
let work: string;
let input: string;

async function lines(outputDir: string): Promise<number> {
  const text = await readFile(path.join(outputDir, 'manifest.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').length - 1;
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await sleep(10);
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'augmix-relaunch-e2e-'));
  input = path.join(work, 'in');
  for (let i = 0; i < IMAGES; i += 1) await writePicture(path.join(input, `${i}.png`), 128, 96, i);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('augmix run with a larger libuv pool (relaunched)', () => {
  it('writes the same files and manifest as a run with one worker', async () => {
    const [three, one] = [path.join(work, 'c3'), path.join(work, 'c1')];

    const relaunched = await augmix(['run', input, three, '--variants', '2', '--concurrency', '3', '--json']);
    const plain = await augmix(['run', input, one, '--variants', '2', '--concurrency', '1', '--quiet']);

    expect([relaunched.code, plain.code]).toEqual([0, 0]);
    expect(JSON.parse(relaunched.stdout)).toMatchObject({ concurrency: 3, variants: IMAGES * 2 });
    expect(await snapshotFiles(three)).toEqual(await snapshotFiles(one));
    expect(await sortedManifest(three)).toEqual(await sortedManifest(one));
  });

  it('passes SIGINT on to the relaunched run, which stops cleanly with exit 130', async () => {
    const out = path.join(work, 'int');
    const child = startAugmix(['run', input, out, '--variants', '4', '--concurrency', '3']);
    const done = finished(child);
    await waitFor(async () => (await lines(out)) > 4);
    child.kill('SIGINT');

    const result = await done;

    expect(result.code).toBe(130);
    expect(result.stderr).toContain('finishing the images in flight');
    expect((await readFile(path.join(out, 'manifest.jsonl'), 'utf8')).endsWith('\n')).toBe(true);
  });

  it('stops the relaunched run when its parent is killed', async () => {
    const out = path.join(work, 'orphan');
    const child = startAugmix(['run', input, out, '--variants', '4', '--concurrency', '3']);
    const done = finished(child);
    await waitFor(async () => (await lines(out)) > 4);
    child.kill('SIGKILL');
    await done;

    // the relaunched run finishes its images in flight, then releases the folder's lock
    await waitFor(async () =>
      stat(path.join(out, '.augmix-run.lock')).then(
        () => false,
        () => true,
      ),
    );
    const atStop = await lines(out);
    await sleep(300);
    expect(await lines(out)).toBe(atStop);
    expect(atStop).toBeLessThan(1 + IMAGES * 4);
  });
});
