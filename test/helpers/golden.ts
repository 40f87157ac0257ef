/**
 * Loads the golden fixtures of `test/fixtures/golden/` (written by `scripts/generate-fixtures.py`; the
 * formats are described in `test/fixtures/golden/README.md`). Every loader caches what it reads.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { decode } from 'fast-png';
import type { RgbImage } from '../../src/augmix/image.js';
import type { OpName } from '../../src/augmix/op-names.js';
import type { OpStep, ProvenanceRecord } from '../../src/augmix/record.js';

/** Folder of the golden fixtures. */
export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'golden');

/** Where one output lies in a decompressed `.bin.gz` blob (raw interleaved RGB, `width * height * 3` bytes). */
export interface BlobRef {
  readonly offset: number;
  readonly length: number;
  /** SHA-256 (hex) of the raw bytes. */
  readonly sha256: string;
}

/** One reference output of a single op (`ops/index.json`). */
export interface OpGoldenCase extends BlobRef {
  readonly op: OpName;
  readonly value: number | null;
}

/** Sampling parameters of a `records.json` case. */
export interface RecordCaseParams {
  readonly severity: number;
  readonly width: number;
  readonly depth: number;
  readonly alpha: number;
  readonly allOps: boolean;
}

/** One case of `records.json`: `replay.py sample --seed <seed> ... --size W H` printed `record`. */
export interface RecordCase {
  readonly id: string;
  readonly seed: number;
  readonly params: RecordCaseParams;
  /** `[width, height]` used for the translate scale (W/3, H/3). */
  readonly size: readonly [number, number];
  readonly record: ProvenanceRecord;
}

/** A golden output decoded from its blob. */
export interface GoldenOutput<T> {
  readonly meta: T;
  readonly image: RgbImage;
}

/** One case of `mix/index.json`: a record replayed on a synthetic image (Pillow backend). */
export interface MixCase {
  readonly id: string;
  /** Name of the input image (see {@link loadInputImage}). */
  readonly image: string;
  readonly record: ProvenanceRecord;
  /** Output of each chain (8-bit, exact). */
  readonly chains: readonly RgbImage[];
  /** The mixed output (README's float64 rule, round half up). */
  readonly mix: RgbImage;
  /** Number of channel values whose float64 mix lies within 1e-9 of a .5 boundary. */
  readonly nearHalf: number;
}

/** Metadata of one input image (`images/index.json`). */
export interface InputImageMeta {
  readonly file: string;
  readonly width: number;
  readonly height: number;
  /** SHA-256 (hex) of the decoded raw RGB bytes. */
  readonly rgbSha256: string;
  readonly note: string;
}

interface OpsIndexImage {
  readonly input: string;
  readonly width: number;
  readonly height: number;
  readonly outputs: string;
  readonly cases: readonly OpGoldenCase[];
}

interface MixIndexCase {
  readonly id: string;
  readonly image: string;
  readonly record: ProvenanceRecord;
  readonly chains: readonly BlobRef[];
  readonly mix: BlobRef;
  readonly nearHalf: number;
}

const cache = new Map<string, unknown>();

function cached<T>(key: string, load: () => T): T {
  if (!cache.has(key)) cache.set(key, load());
  return cache.get(key) as T;
}

function readJson<T>(relativePath: string): T {
  return cached(
    `json:${relativePath}`,
    () => JSON.parse(readFileSync(join(GOLDEN_DIR, relativePath), 'utf8')) as T,
  );
}

function readBlob(relativePath: string): Uint8Array {
  return cached(
    `blob:${relativePath}`,
    () => new Uint8Array(gunzipSync(readFileSync(join(GOLDEN_DIR, relativePath)))),
  );
}

/** SHA-256 (hex) of some bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Decodes an 8-bit RGB PNG (no alpha) to an {@link RgbImage}. */
export function decodeRgbPng(bytes: Uint8Array): RgbImage {
  const png = decode(bytes);
  if (png.depth !== 8 || png.channels !== 3 || png.palette) {
    throw new Error(`expected an 8-bit RGB PNG, got depth ${png.depth} with ${png.channels} channels`);
  }
  return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
}

function sliceImage(blob: Uint8Array, ref: BlobRef, width: number, height: number, where: string): RgbImage {
  if (ref.length !== width * height * 3 || ref.offset + ref.length > blob.length) {
    throw new Error(
      `${where}: blob reference ${JSON.stringify(ref)} does not fit a ${width}x${height} image`,
    );
  }
  return { width, height, data: blob.slice(ref.offset, ref.offset + ref.length) };
}

/** Names and metadata of the synthetic input images. */
export function inputImageIndex(): Readonly<Record<string, InputImageMeta>> {
  return readJson<{ images: Record<string, InputImageMeta> }>('images/index.json').images;
}

/** Names of the synthetic input images. */
export function inputImageNames(): string[] {
  return Object.keys(inputImageIndex());
}

/** Path of an input image's PNG (for tests that go through a codec or the CLI). */
export function inputImagePath(name: string): string {
  const meta = inputImageIndex()[name];
  if (!meta) throw new Error(`no golden input image named ${JSON.stringify(name)}`);
  return join(GOLDEN_DIR, 'images', meta.file);
}

/** A synthetic input image, decoded with fast-png. A fresh copy on every call. */
export function loadInputImage(name: string): RgbImage {
  const image = cached(`image:${name}`, () => decodeRgbPng(readFileSync(inputImagePath(name))));
  return { width: image.width, height: image.height, data: image.data.slice() };
}

/** Names of the images that have single-op goldens. */
export function opGoldenImageNames(): string[] {
  return Object.keys(readJson<{ images: Record<string, OpsIndexImage> }>('ops/index.json').images);
}

/** The single-op golden cases of one image with their reference outputs. */
export function loadOpGoldens(imageName: string): GoldenOutput<OpGoldenCase>[] {
  const entry = readJson<{ images: Record<string, OpsIndexImage> }>('ops/index.json').images[imageName];
  if (!entry) throw new Error(`no op goldens for image ${JSON.stringify(imageName)}`);
  const blob = readBlob(join('ops', entry.outputs));
  return entry.cases.map((meta) => ({
    meta,
    image: sliceImage(blob, meta, entry.width, entry.height, `${imageName} ${meta.op} ${meta.value}`),
  }));
}

/** The sampled records of `records.json`. */
export function loadRecordCases(): readonly RecordCase[] {
  return readJson<{ cases: RecordCase[] }>('records.json').cases;
}

/** The generator metadata (harness hashes, Pillow and numpy versions, command line). */
export function loadGeneratorInfo(): Readonly<Record<string, unknown>> {
  return readJson<Record<string, unknown>>('generator.json');
}

/** The replayed records with each chain's output and the mixed output. */
export function loadMixCases(): MixCase[] {
  return cached('mix-cases', () => {
    const index = readJson<{ outputs: string; cases: MixIndexCase[] }>('mix/index.json');
    const blob = readBlob(join('mix', index.outputs));
    const sizes = inputImageIndex();
    return index.cases.map((c) => {
      const meta = sizes[c.image];
      if (!meta) throw new Error(`mix case ${c.id}: unknown image ${c.image}`);
      const slice = (ref: BlobRef, what: string) =>
        sliceImage(blob, ref, meta.width, meta.height, `${c.id} ${what}`);
      return {
        id: c.id,
        image: c.image,
        record: c.record,
        chains: c.chains.map((ref, i) => slice(ref, `chain ${i}`)),
        mix: slice(c.mix, 'mix'),
        nearHalf: c.nearHalf,
      };
    });
  });
}

/** The steps of a record chain, typed. */
export function chainSteps(record: ProvenanceRecord, index: number): readonly OpStep[] {
  const chain = record.chains[index];
  if (!chain) throw new Error(`record has no chain ${index}`);
  return chain;
}

/** Where two images of the same size first differ, or `null` when they are identical. */
export function firstDifference(
  actual: RgbImage,
  expected: RgbImage,
): { x: number; y: number; channel: number; actual: number; expected: number; count: number } | null {
  if (actual.width !== expected.width || actual.height !== expected.height) {
    throw new Error(
      `size mismatch: got ${actual.width}x${actual.height}, expected ${expected.width}x${expected.height}`,
    );
  }
  let first = -1;
  let count = 0;
  const a = actual.data;
  const e = expected.data;
  for (let i = 0; i < e.length; i++) {
    if (a[i] !== e[i]) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (first < 0) return null;
  const pixel = Math.floor(first / 3);
  return {
    x: pixel % expected.width,
    y: Math.floor(pixel / expected.width),
    channel: first % 3,
    actual: a[first]!,
    expected: e[first]!,
    count,
  };
}

/** A one-line description of how two images differ ('' when identical), for failure messages. */
export function describeDifference(actual: RgbImage, expected: RgbImage): string {
  const diff = firstDifference(actual, expected);
  if (!diff) return '';
  return `${diff.count} channel values differ; first at (x=${diff.x}, y=${diff.y}, channel ${diff.channel}): got ${diff.actual}, expected ${diff.expected}`;
}

/** Difference statistics of two images of the same size (the whole-mix criterion is max <= 1, >= 99.9% exact). */
export function compareImages(
  actual: RgbImage,
  expected: RgbImage,
): { maxAbsDiff: number; exactFraction: number; differing: number } {
  if (actual.width !== expected.width || actual.height !== expected.height) {
    throw new Error(
      `size mismatch: got ${actual.width}x${actual.height}, expected ${expected.width}x${expected.height}`,
    );
  }
  let maxAbsDiff = 0;
  let differing = 0;
  const a = actual.data;
  const e = expected.data;
  for (let i = 0; i < e.length; i++) {
    const d = Math.abs(a[i]! - e[i]!);
    if (d > 0) {
      differing++;
      if (d > maxAbsDiff) maxAbsDiff = d;
    }
  }
  return { maxAbsDiff, exactFraction: 1 - differing / e.length, differing };
}
