/**
 * Runs one case of one measurement and prints its result as one JSON line. Started by `bench/run.ts`:
 * `node dist/bench/child.js <measurement> <case> [--quick]`, pinned to one core with UV_THREADPOOL_SIZE=1.
 */
import { configureSharp } from '../src/codec/index.js';
import { MEASUREMENTS } from './measurements/index.js';

async function main(argv: string[]): Promise<void> {
  const [name, caseName] = argv;
  const measurement = MEASUREMENTS.find((m) => m.name === name);
  if (measurement === undefined || caseName === undefined || !measurement.cases.includes(caseName)) {
    throw new Error(`usage: child.js <measurement> <case> [--quick] (got ${argv.join(' ')})`);
  }
  configureSharp({ concurrency: 1, cache: false });
  const result = await measurement.measure(caseName, { quick: argv.includes('--quick') });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
