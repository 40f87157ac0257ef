/**
 * `npm run bench [-- --quick] [--only <measurement>]`: runs every measurement of `bench/measurements/`, each
 * case in its own child process pinned to one core (`taskset -c 0` when available) with UV_THREADPOOL_SIZE=1
 * and sharp concurrency 1, and prints one table per measurement. Not a test: nothing here asserts a speed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CaseResult } from './measurement.js';
import { MEASUREMENTS } from './measurements/index.js';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'child.js');

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function runCase(measurement: string, caseName: string, quick: boolean, pin: boolean): CaseResult {
  const args = [CHILD, measurement, caseName, ...(quick ? ['--quick'] : [])];
  const [command, commandArgs] = pin
    ? ['taskset', ['-c', '0', process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawnSync(command as string, commandArgs as string[], {
    encoding: 'utf8',
    env: { ...process.env, UV_THREADPOOL_SIZE: '1', VIPS_CONCURRENCY: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`${measurement} ${caseName} failed (exit ${child.status})`);
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as CaseResult;
}

function main(): void {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
    strict: true,
  });
  const quick = values.quick === true;
  const selected = MEASUREMENTS.filter((m) => values.only === undefined || m.name === values.only);
  if (selected.length === 0) {
    throw new Error(`--only expects one of ${MEASUREMENTS.map((m) => m.name).join(', ')}`);
  }
  const pin = hasTaskset();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `augmix-pipeline bench${quick ? ' (--quick)' : ''}: Node ${process.version}, ${cpu}, ` +
      `${pin ? 'pinned to CPU 0 (taskset -c 0)' : 'not pinned (no taskset)'}, UV_THREADPOOL_SIZE=1, sharp concurrency 1`,
  );
  const started = performance.now();
  for (const measurement of selected) {
    const results = measurement.cases.map((caseName) => {
      process.stderr.write(`  ${measurement.name}: ${caseName} ...\n`);
      return runCase(measurement.name, caseName, quick, pin);
    });
    console.log(`\n${measurement.title}\n`);
    for (const line of measurement.report(results)) console.log(line);
  }
  console.log(`\nbench took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main();
