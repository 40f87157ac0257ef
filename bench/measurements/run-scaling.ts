import type { CaseResult, Measurement, MeasureOptions } from '../measurement.js';
import { fmt, table } from '../table.js';
import {
  K,
  median,
  nodeRuntimes,
  ONE_CORE,
  ours,
  type RunCase,
  type Timed,
  TWO_CORES,
  timed,
  withCaseDataset,
} from './run-whole.js';

/**
 * Ten times the images of run-whole's sets: a run long enough that what every process and every thread pays
 * once (starting Node.js, loading the code, the JIT's first images) no longer hides what two cores give.
 */
const CASES: Readonly<Record<string, RunCase>> = {
  '32px-png-x10': { format: 'png', sizes: [[32, 32]], images: 8000, quickImages: 400 },
  '224px-jpeg-x10': { format: 'jpeg', sizes: [[224, 224]], images: 1000, quickImages: 50 },
};

interface RunScalingResult {
  readonly label: string;
  readonly node: string;
  readonly runs: number;
  /** Medians of `runs` whole processes, in seconds. */
  readonly oneWorkerSeconds: number;
  readonly twoWorkersSeconds: number;
  readonly variants: number;
}

/**
 * `augmix run` with 2 workers on two cores against 1 on one core, on sets ten times run-whole's: the same
 * command lines, cores and alternation as run-whole, without the baseline.
 */
export const runScaling: Measurement = {
  name: 'run-scaling',
  title: `Two workers against one on long runs (ten times run-whole's images), K = ${K}`,
  cases: Object.keys(CASES),
  measure(caseName: string, { quick }: MeasureOptions): Promise<CaseResult> {
    return withCaseDataset(CASES, caseName, quick, 'augmix-bench-scaling-', async (dataset) => {
      const { spec, work, input, count, runs } = dataset;
      const nodes = nodeRuntimes();
      const one: Timed[][] = nodes.map(() => []);
      const two: Timed[][] = nodes.map(() => []);
      for (let run = 0; run < runs; run += 1) {
        for (const [i, node] of nodes.entries()) {
          one[i]!.push(await timed(work, ours(node.path, input, 1), ONE_CORE, count * K));
          two[i]!.push(await timed(work, ours(node.path, input, 2), TWO_CORES, count * K));
        }
      }
      const [w, h] = spec.sizes[0]!;
      const rows: RunScalingResult[] = nodes.map((node, i) => ({
        label: `${count} x ${w}x${h} ${spec.format}`,
        node: node.version,
        runs,
        oneWorkerSeconds: median(one[i]!.map((t) => t.seconds)),
        twoWorkersSeconds: median(two[i]!.map((t) => t.seconds)),
        variants: count * K,
      }));
      return { case: caseName, rows } as unknown as CaseResult;
    });
  },
  report(results: readonly CaseResult[]): string[] {
    const list = (results as unknown as { rows: RunScalingResult[] }[]).flatMap((result) => result.rows);
    const rows = list.map((r) => [
      r.label,
      r.node,
      fmt(r.oneWorkerSeconds),
      fmt(r.twoWorkersSeconds),
      fmt(r.variants / r.oneWorkerSeconds),
      fmt(r.variants / r.twoWorkersSeconds),
      `${fmt(r.oneWorkerSeconds / r.twoWorkersSeconds, 3)}x`,
    ]);
    return [
      ...table(
        ['input set', 'ours on', '1 worker s', '2 workers s', '1 worker v/s', '2 workers v/s', '2 vs 1'],
        rows,
      ),
      '',
      `s = seconds of the whole process (start to exit), median of ${list[0]?.runs ?? 0} run(s) each; v/s = variants`,
      `per second; 1 worker on one core (taskset -c ${ONE_CORE}), 2 on two (taskset -c ${TWO_CORES}), as in run-whole.`,
    ];
  },
};
