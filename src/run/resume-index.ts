import {
  type DoneLine,
  isFailureLine,
  type ManifestLine,
  type SourceFingerprint,
  sameFingerprint,
} from './manifest-lines.js';

/** What a manifest says has been done, per input. */
export class ResumeIndex {
  private readonly done = new Map<string, DoneLine>();

  /** Builds the index from a manifest's entry lines (failure lines are not work done). */
  static from(lines: readonly ManifestLine[]): ResumeIndex {
    const index = new ResumeIndex();
    for (const line of lines) index.add(line);
    return index;
  }

  /** Records a line written by this run or read back; a later line for an input replaces the earlier one. */
  add(line: ManifestLine): void {
    if (isFailureLine(line)) {
      this.done.delete(line.input);
      return;
    }
    this.done.set(line.input, line);
  }

  /** The line recorded for `input`, if any. */
  lineOf(input: string): DoneLine | undefined {
    return this.done.get(input);
  }

  /**
   * Whether `input` is done with this content: a line with `count` variants (K, or 2K in JSD mode) and the
   * clean view in JSD mode, made from a source with the same fingerprint (a replaced file or object is not).
   */
  isComplete(input: string, count: number, jsd: boolean, fingerprint: SourceFingerprint | null): boolean {
    const line = this.done.get(input);
    if (line === undefined || line.variants.length !== count) return false;
    if (jsd && line.clean === null) return false;
    return sameFingerprint(line.source, fingerprint);
  }
}
