import { isFailureLine, type ManifestLine } from './manifest-lines.js';

/** What a manifest says has been done, per input. */
export class ResumeIndex {
  private readonly outputs = new Map<string, Set<string>>();
  private readonly variants = new Map<string, Set<number>>();
  private readonly clean = new Set<string>();

  /** Builds the index from a manifest's entry lines (failure lines are not work done). */
  static from(lines: readonly ManifestLine[]): ResumeIndex {
    const index = new ResumeIndex();
    for (const line of lines) index.add(line);
    return index;
  }

  /** Records a line written by this run or read back. */
  add(line: ManifestLine): void {
    if (isFailureLine(line)) return;
    let outputs = this.outputs.get(line.input);
    if (outputs === undefined) {
      outputs = new Set();
      this.outputs.set(line.input, outputs);
    }
    outputs.add(line.output);
    if ('clean' in line) {
      this.clean.add(line.input);
      return;
    }
    let variants = this.variants.get(line.input);
    if (variants === undefined) {
      variants = new Set();
      this.variants.set(line.input, variants);
    }
    variants.add(line.variant);
  }

  /**
   * Whether every output of `input` is recorded: variants 0..count-1 (`count` = K, or 2K in JSD mode) and,
   * in JSD mode, the clean view.
   */
  isComplete(input: string, count: number, jsd: boolean): boolean {
    if (jsd && !this.clean.has(input)) return false;
    const variants = this.variants.get(input);
    if (variants === undefined) return false;
    for (let i = 0; i < count; i += 1) {
      if (!variants.has(i)) return false;
    }
    return true;
  }

  /** Whether the output `name` of `input` is already recorded (its line must not be written twice). */
  hasOutput(input: string, name: string): boolean {
    return this.outputs.get(input)?.has(name) ?? false;
  }
}
