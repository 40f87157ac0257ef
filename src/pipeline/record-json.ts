import type { ProvenanceRecord } from '../augmix/record.js';
import type { FailureRecord } from './failure.js';
import type { ProvenanceDocument } from './provenance.js';

/**
 * The text of a provenance record or document, or a failure record: JSON with two-space indentation and a final newline.
 * Every writer (the CLI's `run` and `sample`, the Lambda workers) uses this, so the same record is the same file
 * everywhere.
 */
export function recordJson(record: ProvenanceRecord | ProvenanceDocument | FailureRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}
