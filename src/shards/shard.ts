import { createHash } from 'node:crypto';
import type { ProvenanceRecord } from '../augmix/record.js';
import type { FailureCode } from '../pipeline/failure.js';
import type { PipelineSettings, ProcessedImage } from '../pipeline/types.js';
import { compareCodePoints } from '../run/code-point-order.js';
import { sampleKey } from './sample-key.js';
import { type TarEntry, type TarMember, tarArchive } from './tar.js';

/**
 * One WebDataset shard: the samples of one batch of inputs (pure: no I/O).
 *
 * Layout of a sample with key `k` (see {@link sampleKey}) and output extension `e`:
 * - plain mode: `k.aug0.e` … `k.aug{K-1}.e` (variant i = seed index i);
 * - JSD mode: `k.clean.e` and, for pair j, `k.aug{j}a.e` / `k.aug{j}b.e` (seed indices 2j and 2j+1);
 * - `k.json`: the sample's provenance document ({@link SampleDocument}).
 *
 * Samples are sorted by key and each sample's members by field name (both in code-point order), and every
 * tar header has the same time, owner and mode, so the same batch gives the same bytes whatever the order in
 * which its images were processed.
 */

/** Where an input came from (for the provenance document and the indexes). */
export interface SampleSource {
  /** The whole object key (or the file's path relative to the input folder). */
  readonly key: string;
  /** ETag from the listing (quoted as S3 returns it), or `null` for a local file. */
  readonly eTag: string | null;
  readonly size: number;
}

/** An input augmented for a shard. */
export interface ShardSample {
  readonly source: SampleSource;
  readonly processed: ProcessedImage;
}

/** An input of the batch that could not be augmented (a permanent failure: recorded, never fails the shard). */
export interface ShardFailure {
  readonly source: SampleSource;
  /** The relative key, or `null` when the key could not be one. */
  readonly input: string | null;
  readonly code: FailureCode;
  readonly message: string;
}

/** An item of the batch that is not an input (a folder marker, a key without an image extension). */
export interface ShardIgnored {
  readonly key: string;
  readonly reason: string;
}

/** The `json` member of a sample: everything needed to trace and replay its variants. */
export interface SampleDocument {
  readonly version: 1;
  /** The input's relative key (the seed rule's key). */
  readonly input: string;
  readonly source: SampleSource;
  /** The sample's variants in seed-index order. */
  readonly variants: readonly {
    /** Field name in the shard (`aug0.jpg`, `aug0a.jpg`). */
    readonly field: string;
    readonly variant: number;
    readonly seed: number;
    readonly record: ProvenanceRecord;
  }[];
  /** Field name of the clean view (JSD mode), else `null`. */
  readonly clean: string | null;
}

/** One sample in a shard index. */
export interface IndexedSample {
  readonly key: string;
  readonly input: string;
  /** Every member of the sample with its data's byte offset in the shard and its size. */
  readonly members: readonly TarEntry[];
}

/** The per-shard index (`<shard>.index.json`), written beside the shard. */
export interface ShardIndex {
  readonly kind: 'augmix-shard-index';
  readonly version: 1;
  /** The shard's name (relative to the output prefix or folder). */
  readonly shard: string;
  /** Position of the batch's first item in the whole listing. */
  readonly firstIndex: number;
  /** Items in the batch (samples + failures + ignored). */
  readonly items: number;
  readonly bytes: number;
  readonly sha256: string;
  readonly samples: readonly IndexedSample[];
  readonly failures: readonly ShardFailure[];
  readonly ignored: readonly ShardIgnored[];
  readonly settings: PipelineSettings;
  readonly tool: string;
}

/** What {@link buildShard} takes: one batch's outcomes. */
export interface ShardContents {
  readonly firstIndex: number;
  readonly samples: readonly ShardSample[];
  readonly failures: readonly ShardFailure[];
  readonly ignored: readonly ShardIgnored[];
  readonly settings: PipelineSettings;
  readonly tool: string;
}

/** Digits of the zero-padded first index in shard names (covers the Distributed Map's 100,000,000 items). */
export const SHARD_NUMBER_DIGITS = 9;

/** Inputs per shard when nothing else is said (`--shard-size`). */
export const DEFAULT_SHARD_SIZE = 1000;

/** Name of the shard whose batch starts at listing position `firstIndex`: `shard-000001000.tar`. */
export function shardName(firstIndex: number): string {
  if (!Number.isSafeInteger(firstIndex) || firstIndex < 0) {
    throw new RangeError(`Expected firstIndex to be an integer >= 0 but received ${firstIndex}`);
  }
  return `shard-${String(firstIndex).padStart(SHARD_NUMBER_DIGITS, '0')}.tar`;
}

/** Name of a shard's index: `shard-000001000.index.json`. */
export function shardIndexName(shard: string): string {
  return shard.replace(/\.tar$/, '.index.json');
}

/** Field name of each variant and of the clean view, from the layout's output names. */
function fieldsOf(processed: ProcessedImage, jsd: boolean): { variants: string[]; clean: string | null } {
  const variants = processed.variants.map((variant) => {
    const ext = extensionOf(variant.name);
    const stem = jsd
      ? `aug${Math.floor(variant.variant / 2)}${variant.variant % 2 === 0 ? 'a' : 'b'}`
      : `aug${variant.variant}`;
    return `${stem}.${ext}`;
  });
  const clean = processed.clean === null ? null : `clean.${extensionOf(processed.clean.name)}`;
  return { variants, clean };
}

function extensionOf(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** The shard's bytes and its index. */
export function buildShard(contents: ShardContents): { bytes: Uint8Array; index: ShardIndex } {
  const { settings } = contents;
  const shard = shardName(contents.firstIndex);
  const keyed = contents.samples.map((sample) => ({ sample, key: sampleKey(sample.processed.relativeKey) }));
  keyed.sort((a, b) => compareCodePoints(a.key, b.key));
  const members: TarMember[] = [];
  const memberCounts: number[] = [];
  for (const { sample, key } of keyed) {
    const sampleMembers = sampleMembersOf(sample, key, settings.jsd);
    sampleMembers.sort((a, b) => compareCodePoints(a.name, b.name));
    members.push(...sampleMembers);
    memberCounts.push(sampleMembers.length);
  }
  const archive = tarArchive(members);
  let at = 0;
  const samples: IndexedSample[] = keyed.map(({ sample, key }, i) => {
    const count = memberCounts[i] ?? 0;
    const entries = archive.entries.slice(at, at + count);
    at += count;
    return { key, input: sample.processed.relativeKey, members: entries };
  });
  const failures = [...contents.failures].sort((a, b) => compareCodePoints(a.source.key, b.source.key));
  const ignored = [...contents.ignored].sort((a, b) => compareCodePoints(a.key, b.key));
  const index: ShardIndex = {
    kind: 'augmix-shard-index',
    version: 1,
    shard,
    firstIndex: contents.firstIndex,
    items: samples.length + failures.length + ignored.length,
    bytes: archive.bytes.byteLength,
    sha256: createHash('sha256').update(archive.bytes).digest('hex'),
    samples,
    failures,
    ignored,
    settings,
    tool: contents.tool,
  };
  return { bytes: archive.bytes, index };
}

function sampleMembersOf(sample: ShardSample, key: string, jsd: boolean): TarMember[] {
  const { processed, source } = sample;
  const fields = fieldsOf(processed, jsd);
  const document: SampleDocument = {
    version: 1,
    input: processed.relativeKey,
    source: { key: source.key, eTag: source.eTag, size: source.size },
    variants: processed.variants.map((variant, i) => ({
      field: fields.variants[i] ?? '',
      variant: variant.variant,
      seed: variant.seed,
      record: variant.record,
    })),
    clean: fields.clean,
  };
  const members: TarMember[] = processed.variants.map((variant, i) => ({
    name: `${key}.${fields.variants[i]}`,
    bytes: variant.bytes,
  }));
  if (processed.clean !== null && fields.clean !== null) {
    members.push({ name: `${key}.${fields.clean}`, bytes: processed.clean.bytes });
  }
  members.push({ name: `${key}.json`, bytes: new TextEncoder().encode(`${JSON.stringify(document)}\n`) });
  return members;
}

/** The bytes of a shard index (JSON, two-space indent, final newline). */
export function shardIndexJson(index: ShardIndex): string {
  return `${JSON.stringify(index, null, 2)}\n`;
}
