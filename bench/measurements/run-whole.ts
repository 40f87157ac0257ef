import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OutputFormat } from '../../src/augmix/layout.js';
import { encode } from '../../src/codec/index.js';
import type { CaseResult, Measurement, MeasureOptions } from '../measurement.js';
import { syntheticPhoto } from '../synthetic-input.js';
import { fmt, table } from '../table.js';

/** Variants per input, as in the per-variant figures. */
const K = 4;
const CLI = fileURLToPath(new URL('../../bin/augmix.js', import.meta.url));

/** The per-variant bench's three sizes; `images` sizes each dataset to a few seconds per run on one core. */
const CASES: Readonly<Record<string, RunCase>> = {
  '32px-png': { width: 32, height: 32, format: 'png', images: 1600, quickImages: 60 },
  '224px-jpeg': { width: 224, height: 224, format: 'jpeg', images: 400, quickImages: 16 },
  '2048px-jpeg': { width: 2048, height: 1536, format: 'jpeg', images: 16, quickImages: 2 },
};

interface RunCase {
  readonly width: number;
  readonly height: number;
  readonly format: OutputFormat;
  readonly images: number;
  readonly quickImages: number;
}

interface Timed {
  /** Variants/s over the run's processing (pool start to last write), from `--json`. */
  readonly run: number;
  /** Variants/s over the whole command (process start to exit: startup, walk and manifest included). */
  readonly wall: number;
}

interface RunWholeResult extends RunCase {
  readonly case: string;
  readonly count: number;
  readonly one: Timed;
  readonly two: Timed;
  readonly cpus: string;
}

/**
 * Whole `augmix run` throughput: a folder of identical-size inputs (K = 4, default AugMix, format same),
 * run through the built CLI with `--concurrency 1` pinned to CPU 0 and `--concurrency 2` pinned to CPUs 0-1
 * (the libuv pool and sharp left at the CLI's own settings), each on a fresh output folder.
 */
export const runWhole: Measurement = {
  name: 'run-whole',
  title: `Whole augmix run, K = ${K}, default AugMix: 1 worker (CPU 0) vs 2 workers (CPUs 0-1)`,
  cases: Object.keys(CASES),
  async measure(caseName: string, { quick }: MeasureOptions): Promise<CaseResult> {
    const spec = CASES[caseName];
    if (spec === undefined) throw new Error(`unknown case ${caseName}`);
    const count = quick ? spec.quickImages : spec.images;
    const work = await mkdtemp(join(benchFolder(), 'augmix-bench-run-'));
    try {
      const input = join(work, 'in');
      const bytes = await encode(syntheticPhoto(spec.width, spec.height), spec.format);
      const ext = spec.format === 'jpeg' ? 'jpg' : spec.format;
      await mkdir(input);
      for (let i = 0; i < count; i += 1)
        await writeFile(join(input, `${String(i).padStart(4, '0')}.${ext}`), bytes);
      const one = timedRun(input, join(work, 'out-1'), 1, '0');
      const two = timedRun(input, join(work, 'out-2'), 2, '0,1');
      const result: RunWholeResult = {
        case: caseName,
        ...spec,
        count,
        one,
        two,
        cpus: pinned() ? 'pinned' : 'unpinned',
      };
      return result as unknown as CaseResult;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
  report(results: readonly CaseResult[]): string[] {
    const rows = (results as unknown as RunWholeResult[]).map((r) => [
      `${r.width}x${r.height} ${r.format}`,
      String(r.count),
      String(r.count * K),
      fmt(r.one.run),
      fmt(r.two.run),
      `${fmt(r.two.run / r.one.run, 3)}x`,
      fmt(r.one.wall),
      fmt(r.two.wall),
      `${fmt(r.two.wall / r.one.wall, 3)}x`,
    ]);
    return [
      ...table(
        [
          'input',
          'images',
          'variants',
          '1 worker v/s',
          '2 workers v/s',
          'speed-up',
          '1 worker wall v/s',
          '2 workers wall v/s',
          'wall speed-up',
        ],
        rows,
      ),
      '',
      'v/s = variants per second of the run (pool start to last write, from --json); wall = the whole command',
      '(node start, walk, worker start-up, manifest). Each configuration runs once on a fresh output folder',
      `under ${benchFolder()} (memory-backed when /dev/shm exists: a disk that has just deleted thousands of files`,
      'makes every file creation slow, which would measure the file system, not augmix).',
    ];
  },
};

/** Where the datasets and outputs go: /dev/shm when there is one, else the temp folder. */
function benchFolder(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

function timedRun(input: string, output: string, workers: number, cpus: string): Timed {
  const args = [CLI, 'run', input, output, '--concurrency', String(workers), '--json', '--quiet'];
  const env = { ...process.env };
  delete env.UV_THREADPOOL_SIZE;
  delete env.VIPS_CONCURRENCY;
  const [command, commandArgs] = pinned()
    ? ['taskset', ['-c', cpus, process.execPath, ...args]]
    : [process.execPath, args];
  const started = performance.now();
  const child = spawnSync(command as string, commandArgs as string[], { encoding: 'utf8', env });
  const wallMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`augmix run failed (exit ${child.status}): ${child.stderr}`);
  const summary = JSON.parse(child.stdout) as { variants: number; variantsPerSecond: number };
  return { run: summary.variantsPerSecond, wall: (summary.variants * 1000) / wallMs };
}

let taskset: boolean | undefined;
function pinned(): boolean {
  if (taskset === undefined) {
    try {
      execFileSync('taskset', ['-c', '0,1', 'true'], { stdio: 'ignore' });
      taskset = true;
    } catch {
      taskset = false;
    }
  }
  return taskset;
}
