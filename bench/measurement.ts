/** Options every measurement gets. */
export interface MeasureOptions {
  /** Fewer iterations: a smoke run of a few seconds. */
  readonly quick: boolean;
}

/** A JSON-able result of one case (printed by the child process, read back by the parent). */
export type CaseResult = Readonly<Record<string, unknown>>;

/**
 * One measurement of `npm run bench`. Each case runs in its own child process (pinned to one core, sharp
 * concurrency 1, libuv pool 1), so its peak RSS and JIT state are its own. To add a measurement, write a module
 * in `bench/measurements/` and list it in `bench/measurements/index.ts`.
 */
export interface Measurement {
  /** Name used on the command line (`npm run bench -- --only <name>`). */
  readonly name: string;
  /** One line saying what is measured. */
  readonly title: string;
  /** The cases, each run in its own process. */
  readonly cases: readonly string[];
  /** Runs one case (in the child process). */
  measure(caseName: string, options: MeasureOptions): Promise<CaseResult>;
  /** Formats the results of all cases (in the parent process), one string per line. */
  report(results: readonly CaseResult[]): string[];
}
