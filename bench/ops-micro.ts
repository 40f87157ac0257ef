/**
 * Micro-benchmark of the 13 AugMix ops: milliseconds per call and nanoseconds per pixel, at 224×224 and
 * 2048×2048 by default, on a deterministic photo-like image. Each figure is the median of several timed
 * samples (each sample a batch of calls lasting at least `--sample-ms`), after a warm-up.
 *
 * Then, per size: the 8-bit mix of 3 chains (`mixImages`) and whole variants without codecs
 * (`augmentAndMix` over a fixed set of seeds, default ops and all ops), plus an estimate from the op means:
 * width 3 × mean depth 2 = 6 ops per variant.
 *
 * Run it on one core, after `npm run build`:
 *   taskset -c 1 node dist/bench/ops-micro.js [--sizes 224,2048] [--samples 9] [--sample-ms 40]
 *     [--op rotate ...] [--no-variants] [--json]
 */
import { parseArgs } from 'node:util';
import { augmentAndMix } from '../src/augmix/augment-and-mix.js';
import type { RgbImage } from '../src/augmix/image.js';
import { mixImages } from '../src/augmix/mix.js';
import { DEFAULT_OPS, type OpName } from '../src/augmix/op-names.js';
import { applyOp } from '../src/augmix/ops/index.js';

/** One timed op call: the op and the record value it is given at a given image size. */
interface OpCase {
  readonly op: OpName;
  readonly value: (size: number) => number | null;
}

/** Values typical of the default severity (3), so each op takes the path the pipeline takes. */
const OP_CASES: readonly OpCase[] = [
  { op: 'autocontrast', value: () => null },
  { op: 'equalize', value: () => null },
  { op: 'posterize', value: () => 3 },
  { op: 'solarize', value: () => 200 },
  { op: 'rotate', value: () => 7 },
  { op: 'shear_x', value: () => 0.05 },
  { op: 'shear_y', value: () => -0.05 },
  // record translates are integers, about a tenth of the size at severity 3
  { op: 'translate_x', value: (size) => Math.round(size / 20) },
  { op: 'translate_y', value: (size) => -Math.round(size / 20) },
  { op: 'color', value: () => 0.4 },
  { op: 'contrast', value: () => 0.4 },
  { op: 'brightness', value: () => 0.4 },
  { op: 'sharpness', value: () => 0.4 },
];

/** Ops per variant: width 3 chains of mean depth 2 (depth uniform on 1..3). */
const OPS_PER_VARIANT = 3 * 2;

export interface OpsMicroOptions {
  /** Square image sizes to time. @default [224, 2048] */
  readonly sizes: readonly number[];
  /** Timed samples per row and size; the median is reported. @default 9 */
  readonly samples: number;
  /** Minimum duration of one sample (a batch of calls), in milliseconds. @default 40 */
  readonly sampleMs: number;
  /** Only these ops. @default all 13 */
  readonly ops: readonly OpName[];
  /** Also time the mix and whole variants (augmentAndMix). @default true */
  readonly variants: boolean;
}

/** One timed row at one size: an op, the mix, or whole variants. */
export interface Timing {
  readonly kind: 'op' | 'mix' | 'variant';
  readonly label: string;
  readonly op?: OpName;
  readonly value?: number | null;
  readonly size: number;
  /** Median wall time per call. */
  readonly msPerCall: number;
  /** Median process CPU time per call (steadier than wall time on a loaded machine). */
  readonly cpuMsPerCall: number;
  readonly nsPerPixel: number;
  /** Fastest and slowest sample (wall), for a feel of the noise. */
  readonly minMs: number;
  readonly maxMs: number;
}

/** Seeds of the whole-variant rows: fixed, so before/after runs draw the same records. */
const VARIANT_SEEDS = Array.from({ length: 24 }, (_, i) => 1000 + i);

/**
 * A deterministic photo-like image: smooth colour fields, hard-edged shapes, fine texture and mild noise,
 * so that histograms, edges and interpolation see something like a photo rather than noise or flat colour.
 */
export function photoLikeImage(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  let state = 0x2545f491;
  for (let y = 0; y < height; y++) {
    const v = y / height;
    for (let x = 0; x < width; x++) {
      const u = x / width;
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const noise = (state >>> 24) / 24 - 5;
      const texture = 12 * Math.sin(40 * u + 3 * Math.sin(25 * v));
      let r = 70 + 120 * u + 30 * Math.sin(9 * v) + texture;
      let g = 60 + 130 * v + 25 * Math.cos(7 * u);
      let b = 150 - 90 * u * v - texture;
      if ((u - 0.35) ** 2 + (v - 0.45) ** 2 < 0.04) [r, g, b] = [215, 175 - 60 * v, 55 + texture];
      if (u > 0.6 && u < 0.8 && v > 0.2) [r, g, b] = [35 + 40 * v, 60, 95];
      const i = (y * width + x) * 3;
      data[i] = clampByte(r + noise);
      data[i + 1] = clampByte(g + noise);
      data[i + 2] = clampByte(b + noise);
    }
  }
  return { width, height, data };
}

function clampByte(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((p, q) => p - q);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Samples {
  readonly wall: number[];
  readonly cpu: number[];
}

/**
 * Times `call` (which makes `callsPerRun` calls of the thing measured): a warm-up, then `samples` batches of
 * runs, each at least `sampleMs` long; milliseconds per call, wall and process CPU.
 */
function timeCalls(call: () => unknown, callsPerRun: number, options: OpsMicroOptions): Samples {
  let runs = 0;
  const warmupStart = performance.now();
  while (runs < 3 || performance.now() - warmupStart < options.sampleMs * 2) {
    call();
    runs++;
  }
  const perRun = (performance.now() - warmupStart) / runs;
  const batch = Math.max(1, Math.ceil(options.sampleMs / perRun));
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let s = 0; s < options.samples; s++) {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < batch; i++) call();
    wall.push((performance.now() - started) / (batch * callsPerRun));
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000 / (batch * callsPerRun));
  }
  return { wall, cpu };
}

function timing(base: Pick<Timing, 'kind' | 'label' | 'op' | 'value' | 'size'>, samples: Samples): Timing {
  const ms = median(samples.wall);
  return {
    ...base,
    msPerCall: ms,
    cpuMsPerCall: median(samples.cpu),
    nsPerPixel: (ms * 1e6) / (base.size * base.size),
    minMs: Math.min(...samples.wall),
    maxMs: Math.max(...samples.wall),
  };
}

/** Times every selected op at every size, then (unless disabled) the mix and whole variants. */
export function runOpsMicro(options: OpsMicroOptions): Timing[] {
  const timings: Timing[] = [];
  for (const size of options.sizes) {
    const image = photoLikeImage(size, size);
    for (const { op, value } of OP_CASES) {
      if (!options.ops.includes(op)) continue;
      const v = value(size);
      const samples = timeCalls(() => applyOp(image, op, v), 1, options);
      timings.push(timing({ kind: 'op', label: op, op, value: v, size }, samples));
    }
    if (!options.variants) continue;
    const chains = [
      applyOp(image, 'rotate', 5),
      applyOp(image, 'equalize', null),
      applyOp(image, 'shear_x', 0.1),
    ];
    const mixSamples = timeCalls(() => mixImages(image, chains, [0.2, 0.3, 0.5], 0.6), 1, options);
    timings.push(timing({ kind: 'mix', label: 'mix (3 chains)', size }, mixSamples));
    for (const allOps of [false, true]) {
      const samples = timeCalls(
        () => {
          for (const seed of VARIANT_SEEDS) augmentAndMix(image, { allOps }, seed);
        },
        VARIANT_SEEDS.length,
        options,
      );
      const label = `variant, ${allOps ? 'all ops' : 'default ops'}`;
      timings.push(timing({ kind: 'variant', label, size }, samples));
    }
  }
  return timings;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function formatRow(label: string, value: string, t: Timing): string {
  return (
    `  ${label.padEnd(24)} ${value.padStart(6)} ${t.msPerCall.toFixed(3).padStart(9)} ` +
    `${t.cpuMsPerCall.toFixed(3).padStart(9)} ${t.nsPerPixel.toFixed(2).padStart(7)}   ` +
    `${t.minMs.toFixed(3)}–${t.maxMs.toFixed(3)}`
  );
}

function formatReport(timings: readonly Timing[]): string {
  const lines: string[] = [];
  const sizes = [...new Set(timings.map((t) => t.size))];
  for (const size of sizes) {
    const rows = timings.filter((t) => t.size === size);
    lines.push(`${size}×${size} (${((size * size) / 1e6).toFixed(3)} Mpx), medians`);
    lines.push(
      `  ${''.padEnd(24)} ${'value'.padStart(6)} ${'wall ms'.padStart(9)} ${'cpu ms'.padStart(9)} ` +
        `${'ns/px'.padStart(7)}   wall min–max ms`,
    );
    for (const t of rows) lines.push(formatRow(t.label, t.kind === 'op' ? String(t.value) : '', t));
    const ops = rows.filter((t) => t.kind === 'op');
    const defaults = ops.filter((t) => (DEFAULT_OPS as readonly string[]).includes(t.label));
    for (const [label, group] of [
      ['default ops', defaults],
      ['all ops', ops],
    ] as const) {
      if (group.length === 0) continue;
      const wall = mean(group.map((t) => t.msPerCall));
      const cpu = mean(group.map((t) => t.cpuMsPerCall));
      lines.push(
        `  mean over ${group.length} ${label}: ${wall.toFixed(3)} ms/op wall, ${cpu.toFixed(3)} cpu → ` +
          `${OPS_PER_VARIANT} ops per variant ≈ ${(wall * OPS_PER_VARIANT).toFixed(2)} ms wall, ` +
          `${(cpu * OPS_PER_VARIANT).toFixed(2)} cpu`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

function parseOptions(argv: readonly string[]): OpsMicroOptions & { readonly json: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string', default: '224,2048' },
      samples: { type: 'string', default: '9' },
      'sample-ms': { type: 'string', default: '40' },
      op: { type: 'string', multiple: true },
      'no-variants': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const sizes = values.sizes.split(',').map(Number);
  if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new Error(`--sizes: expected integers >= 1`);
  const samples = Number(values.samples);
  const sampleMs = Number(values['sample-ms']);
  if (!Number.isInteger(samples) || samples < 1) throw new Error('--samples: expected an integer >= 1');
  if (!(sampleMs > 0)) throw new Error('--sample-ms: expected a number > 0');
  const all = OP_CASES.map((c) => c.op);
  const ops = (values.op ?? all) as OpName[];
  for (const op of ops) if (!all.includes(op)) throw new Error(`--op: expected one of ${all.join(', ')}`);
  return { sizes, samples, sampleMs, ops, variants: !values['no-variants'], json: values.json };
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const timings = runOpsMicro(options);
  if (options.json) console.log(JSON.stringify({ node: process.version, timings }, null, 2));
  else console.log(`node ${process.version}, pid ${process.pid}\n\n${formatReport(timings)}`);
}

main();
