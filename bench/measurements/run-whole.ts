import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { link, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { OutputFormat } from '../../src/augmix/layout.js';
import { encode } from '../../src/codec/index.js';
import type { CaseResult, Measurement, MeasureOptions } from '../measurement.js';
import { syntheticPhoto } from '../synthetic-input.js';
import { fmt, table } from '../table.js';

const execFileAsync = promisify(execFile);

/** Variants per input. */
export const K = 4;
const CLI = fileURLToPath(new URL('../../bin/augmix.js', import.meta.url));
/** The Python baseline sits beside the sources (not compiled): dist/bench/measurements -> bench/baseline. */
const BASELINE = fileURLToPath(new URL('../../../bench/baseline/pillow_training_path.py', import.meta.url));
const PYTHON = '/usr/bin/python3';
/**
 * The x64 Node.js of the Lambda runtime's major that scripts/setup-system.sh unpacks (dist/bench/measurements ->
 * .cache/node-x64): the package needs Node.js >= 22.12, and a machine whose own node is older (this one has 20)
 * runs ours under both.
 */
const CACHED_NODE = fileURLToPath(new URL('../../../.cache/node-x64/bin/node', import.meta.url));
const GNU_TIME = '/usr/bin/time';
/** One core for the one-worker runs and the baseline; two for the two-worker run. */
export const ONE_CORE = '1';
export const TWO_CORES = '0,1';

export interface RunCase {
  readonly format: OutputFormat;
  /** The images' sizes, cycled over the dataset. */
  readonly sizes: readonly (readonly [number, number])[];
  readonly images: number;
  readonly quickImages: number;
}

/** 2.8, 3.1 and 4.0 megapixels, landscape and portrait, as cameras and phones write them. */
const PHOTO_SIZES = [
  [1944, 1458],
  [2048, 1536],
  [1728, 2304],
] as const;

const CASES: Readonly<Record<string, RunCase>> = {
  '32px-png': { format: 'png', sizes: [[32, 32]], images: 800, quickImages: 200 },
  '224px-jpeg': { format: 'jpeg', sizes: [[224, 224]], images: 100, quickImages: 25 },
  'photo-jpeg': { format: 'jpeg', sizes: PHOTO_SIZES, images: 3, quickImages: 1 },
};

/** One timed process: whole-process wall time, and CPU time and peak RSS (null without GNU time). */
export interface Timed {
  readonly seconds: number;
  /** User + system CPU seconds of the whole process. */
  readonly cpuSeconds: number | null;
  readonly peakRssMiB: number | null;
}

interface RunWholeResult {
  readonly case: string;
  readonly label: string;
  /** The Node.js version ours ran on (`v24.x.y`). */
  readonly node: string;
  readonly images: number;
  readonly variants: number;
  readonly runs: number;
  /** Medians of `runs` runs, variants per second over the whole process. */
  readonly oneWorker: number;
  readonly twoWorkers: number;
  readonly baseline: number | null;
  /** Two baseline processes, one per core, each on half of the files (how its users parallelise). */
  readonly baselineTwo: number | null;
  /** Medians of the CPU seconds (user + system), or null without GNU time. */
  readonly oneWorkerCpu: number | null;
  readonly baselineCpu: number | null;
  /** Why there is no baseline figure, when there is none. */
  readonly baselineMissing: string | null;
  readonly oneWorkerRssMiB: number | null;
  readonly twoWorkersRssMiB: number | null;
  readonly baselineRssMiB: number | null;
}

/**
 * Whole `augmix run` against the official training path's way of applying AugMix (the project's Python/Pillow
 * baseline, `bench/baseline/pillow_training_path.py`), on the same files in the same run: K = 4, default AugMix,
 * inputs and outputs in /dev/shm, each whole process timed from start to exit. `augmix run --concurrency 1` and
 * the baseline run pinned to one core (`taskset -c 1`), `--concurrency 2` on two (`taskset -c 0,1`); the three
 * take turns, `runs` times each, on fresh output folders, and the medians are compared.
 */
export const runWhole: Measurement = {
  name: 'run-whole',
  title: `Whole augmix run vs the official training path (Python/Pillow, same files, same run), K = ${K}`,
  cases: Object.keys(CASES),
  measure(caseName: string, { quick }: MeasureOptions): Promise<CaseResult> {
    return withCaseDataset(CASES, caseName, quick, 'augmix-bench-run-', async (dataset) => {
      const { spec, work, input, count, runs } = dataset;
      const python = baselineProblem();
      const nodes = nodeRuntimes();
      const one: Timed[][] = nodes.map(() => []);
      const two: Timed[][] = nodes.map(() => []);
      const base: Timed[] = [];
      const baseTwo: number[] = [];
      const halves = python === null ? await splitInTwo(input, work) : null;
      for (let run = 0; run < runs; run += 1) {
        for (const [i, node] of nodes.entries()) {
          one[i]!.push(await timed(work, ours(node.path, input, 1), ONE_CORE, count * K));
        }
        if (python === null) base.push(await timed(work, baseline(input), ONE_CORE, count * K));
        for (const [i, node] of nodes.entries()) {
          two[i]!.push(await timed(work, ours(node.path, input, 2), TWO_CORES, count * K));
        }
        if (halves !== null) baseTwo.push(await timedPair(work, halves, count * K));
      }
      const rate = (list: Timed[]) => (count * K) / median(list.map((t) => t.seconds));
      const rss = (list: Timed[]) => maxOrNull(list.map((t) => t.peakRssMiB));
      const cpu = (list: Timed[]) =>
        list.every((t) => t.cpuSeconds !== null) ? median(list.map((t) => t.cpuSeconds as number)) : null;
      const [w, h] = spec.sizes[0]!;
      const label =
        spec.sizes.length === 1
          ? `${count} x ${w}x${h} ${spec.format}`
          : `${count} x ${megapixels(spec.sizes.slice(0, count))} MP ${spec.format}`;
      const result: RunWholeResult[] = nodes.map((node, i) => ({
        case: caseName,
        label,
        node: node.version,
        images: count,
        variants: count * K,
        runs,
        oneWorker: rate(one[i]!),
        twoWorkers: rate(two[i]!),
        baseline: python === null ? rate(base) : null,
        baselineTwo: baseTwo.length === 0 ? null : (count * K) / median(baseTwo),
        oneWorkerCpu: cpu(one[i]!),
        baselineCpu: python === null ? cpu(base) : null,
        baselineMissing: python,
        oneWorkerRssMiB: rss(one[i]!),
        twoWorkersRssMiB: rss(two[i]!),
        baselineRssMiB: python === null ? rss(base) : null,
      }));
      return { case: caseName, rows: result } as unknown as CaseResult;
    });
  },
  report(results: readonly CaseResult[]): string[] {
    const list = (results as unknown as { rows: RunWholeResult[] }[]).flatMap((result) => result.rows);
    const rows = list.map((r) => [
      r.label,
      r.node,
      fmt(r.oneWorker),
      r.baseline === null ? 'n/a' : fmt(r.baseline),
      r.baseline === null ? 'n/a' : `${fmt(r.oneWorker / r.baseline, 3)}x`,
      r.baselineCpu === null || r.oneWorkerCpu === null
        ? 'n/a'
        : `${fmt(r.baselineCpu / r.oneWorkerCpu, 3)}x`,
      fmt(r.twoWorkers),
      `${fmt(r.twoWorkers / r.oneWorker, 3)}x`,
      r.baselineTwo === null || r.baseline === null ? 'n/a' : `${fmt(r.baselineTwo / r.baseline, 3)}x`,
      mib(r.oneWorkerRssMiB),
      mib(r.twoWorkersRssMiB),
      mib(r.baselineRssMiB),
    ]);
    const missing = list.find((r) => r.baselineMissing !== null)?.baselineMissing;
    return [
      ...table(
        [
          'input set',
          'ours on',
          'ours 1 worker v/s',
          'baseline v/s',
          'ours / baseline',
          'by CPU time',
          'ours 2 workers v/s',
          '2 vs 1',
          'base 2 vs 1',
          'RSS 1w MiB',
          'RSS 2w MiB',
          'RSS base MiB',
        ],
        rows,
      ),
      '',
      `v/s = variants per second of the whole process (start to exit), median of ${list[0]?.runs ?? 0} run(s) each;`,
      'by CPU time = baseline CPU seconds / ours (user + system, medians): the same ratio, less disturbed when other',
      'processes share the core;',
      '2 vs 1 = ours with 2 workers / ours with 1; base 2 vs 1 = the baseline as two processes, one per core, each on',
      "half of the files, / one process: what the two cores give a program that shares nothing (the machine's ceiling);",
      `ours = augmix run --concurrency 1 (taskset -c ${ONE_CORE}) or 2 (taskset -c ${TWO_CORES}), on this process's`,
      'Node.js and on the one scripts/setup-system.sh unpacks (.cache/node-x64) when that is another version;',
      `baseline = ${PYTHON} bench/baseline/pillow_training_path.py (taskset -c ${ONE_CORE}): AugMix as the official`,
      'training scripts apply it (uint8 Pillow chains, float32 mix). Inputs are synthetic photo-like images',
      `(bench/synthetic-input.ts) under ${benchFolder()}; RSS = peak resident set of the whole process.`,
      ...(hasTaskset() ? [] : ['taskset is missing here: no run was pinned to a core.']),
      ...(missing
        ? ['', `No baseline figures: ${missing}. Run scripts/setup-system.sh to install them.`]
        : []),
    ];
  },
};

/** A case's images, written for one measurement. */
export interface CaseDataset {
  readonly spec: RunCase;
  /** The measurement's own folder under {@link benchFolder} (outputs go here too). */
  readonly work: string;
  /** The folder of images, inside `work`. */
  readonly input: string;
  readonly count: number;
  /** Whole processes of each kind to time: 3, or 1 when quick. */
  readonly runs: number;
}

/** Writes case `caseName`'s images (fewer when quick) into a fresh folder, measures on them, removes the folder. */
export async function withCaseDataset<T>(
  cases: Readonly<Record<string, RunCase>>,
  caseName: string,
  quick: boolean,
  prefix: string,
  measure: (dataset: CaseDataset) => Promise<T>,
): Promise<T> {
  const spec = cases[caseName];
  if (spec === undefined) throw new Error(`unknown case ${caseName}`);
  const count = quick ? spec.quickImages : spec.images;
  const work = await mkdtemp(join(benchFolder(), prefix));
  try {
    const input = join(work, 'in');
    await writeDataset(input, spec, count);
    return await measure({ spec, work, input, count, runs: quick ? 1 : 3 });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Writes `count` distinct images of the case's sizes and format into `folder`. */
async function writeDataset(folder: string, spec: RunCase, count: number): Promise<void> {
  await mkdir(folder);
  const ext = spec.format === 'jpeg' ? 'jpg' : spec.format;
  for (let i = 0; i < count; i += 1) {
    const [width, height] = spec.sizes[i % spec.sizes.length]!;
    const bytes = await encode(syntheticPhoto(width, height, i), spec.format);
    await writeFile(join(folder, `${String(i).padStart(4, '0')}.${ext}`), bytes);
  }
}

/** A Node.js to run ours on. */
interface NodeRuntime {
  readonly path: string;
  readonly version: string;
}

/** This process's Node.js, then the cached one when it is there and another version. */
export function nodeRuntimes(): NodeRuntime[] {
  const runtimes: NodeRuntime[] = [{ path: process.execPath, version: process.version }];
  if (existsSync(CACHED_NODE)) {
    const probe = spawnSync(CACHED_NODE, ['--version'], { encoding: 'utf8' });
    const version = probe.stdout.trim();
    if (probe.status === 0 && version !== process.version) runtimes.push({ path: CACHED_NODE, version });
  }
  return runtimes;
}

export function ours(node: string, input: string, workers: number): (output: string) => string[] {
  return (output) => [
    node,
    CLI,
    'run',
    input,
    output,
    '--concurrency',
    String(workers),
    '--variants',
    String(K),
    '--json',
    '--quiet',
  ];
}

function baseline(input: string): (output: string) => string[] {
  return (output) => [PYTHON, BASELINE, input, output, String(K)];
}

/** Runs one command on `cpus` into a fresh output folder; times the whole process. */
export async function timed(
  work: string,
  command: (output: string) => string[],
  cpus: string,
  expectedVariants: number,
): Promise<Timed> {
  const output = await mkdtemp(join(work, 'out-'));
  const rssFile = join(work, 'rss');
  const argv = command(output);
  const withTime = existsSync(GNU_TIME) ? [GNU_TIME, '-f', '%M %U %S', '-o', rssFile] : [];
  const full = [...(hasTaskset() ? ['taskset', '-c', cpus] : []), ...withTime, ...argv];
  const env = { ...process.env };
  delete env.UV_THREADPOOL_SIZE;
  delete env.VIPS_CONCURRENCY;
  const started = performance.now();
  const child = spawnSync(full[0]!, full.slice(1), { encoding: 'utf8', env, maxBuffer: 16 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) {
    throw new Error(`${argv.join(' ')} failed (exit ${child.status}): ${child.stderr}`);
  }
  const variants = variantsOf(child.stdout);
  if (variants !== expectedVariants) {
    throw new Error(`${argv.join(' ')} made ${variants} variants instead of ${expectedVariants}`);
  }
  await rm(output, { recursive: true, force: true });
  if (withTime.length === 0) return { seconds, cpuSeconds: null, peakRssMiB: null };
  const [rssKiB, user, system] = readFileSync(rssFile, 'utf8')
    .trim()
    .split('\n')
    .at(-1)!
    .split(' ')
    .map(Number);
  return { seconds, cpuSeconds: user! + system!, peakRssMiB: rssKiB! / 1024 };
}

/** Two folders of hard links, the input's files alternately: the two halves for the two-process baseline. */
async function splitInTwo(input: string, work: string): Promise<[string, string]> {
  const halves: [string, string] = [join(work, 'half-a'), join(work, 'half-b')];
  await Promise.all(halves.map((half) => mkdir(half)));
  const names = (await readdir(input)).sort();
  await Promise.all(names.map((name, i) => link(join(input, name), join(halves[i % 2]!, name))));
  return halves;
}

/** The baseline as two processes at once, one per core, one per half; the wall time until both exit. */
async function timedPair(work: string, halves: [string, string], expectedVariants: number): Promise<number> {
  const cores = TWO_CORES.split(',');
  const started = performance.now();
  const variants = await Promise.all(
    halves.map(async (half, i) => {
      const output = await mkdtemp(join(work, 'out-'));
      const argv = [...(hasTaskset() ? ['taskset', '-c', cores[i]!] : []), ...baseline(half)(output)];
      // rejects with the command's stderr when it fails
      const { stdout } = await execFileAsync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
      await rm(output, { recursive: true, force: true });
      return variantsOf(stdout);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (variants[0]! + variants[1]! !== expectedVariants) {
    throw new Error(
      `the two baseline processes made ${variants.join(' + ')} variants, not ${expectedVariants}`,
    );
  }
  return seconds;
}

/** Both tools print one JSON line with `variants` last. */
function variantsOf(stdout: string): number {
  const last = stdout.trim().split('\n').at(-1) ?? '{}';
  return (JSON.parse(last) as { variants?: number }).variants ?? -1;
}

/** Why the baseline cannot run here, or null when it can. */
function baselineProblem(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing`;
  const probe = spawnSync(PYTHON, ['-c', 'import numpy, PIL'], { encoding: 'utf8' });
  if (probe.status !== 0) return `${PYTHON} lacks numpy or Pillow (Debian: python3-numpy, python3-pil)`;
  return null;
}

let taskset: boolean | undefined;
/** Whether `taskset` can pin to both cores the bench uses (if not, runs are not pinned). */
function hasTaskset(): boolean {
  taskset ??= spawnSync('taskset', ['-c', TWO_CORES, 'true'], { stdio: 'ignore' }).status === 0;
  return taskset;
}

/** Where the datasets and outputs go: /dev/shm when there is one, else the temp folder. */
function benchFolder(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function maxOrNull(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : Math.max(...known);
}

function mib(value: number | null): string {
  return value === null ? 'n/a' : fmt(value);
}

function megapixels(sizes: readonly (readonly [number, number])[]): string {
  return sizes.map(([w, h]) => ((w * h) / 1e6).toFixed(1)).join('/');
}
