import type { Node } from 'constructs';
import { invalidParameter } from '../src/augmix/errors.js';
import type { AugmixPipelineSettings } from './pipeline-settings.js';
import { PipelineSettingsError } from './resolve-pipeline-settings.js';

/** How a context value is read: `-c key=value` gives strings, cdk.json and `--context` JSON give JSON values. */
type ContextKind = 'number' | 'number-or-null' | 'boolean' | 'string' | 'string-list';

/** Every setting that can be given as CDK context, with how its value is parsed. */
export const CONTEXT_SETTINGS = {
  severity: 'number',
  width: 'number',
  depth: 'number',
  alpha: 'number',
  allOps: 'boolean',
  variants: 'number',
  jsd: 'boolean',
  seed: 'number',
  format: 'string',
  quality: 'number-or-null',
  size: 'number-or-null',
  orientation: 'string',
  maxPixels: 'number',
  maxBytes: 'number',
  existingInputBucketName: 'string',
  existingInputBucketKmsKeyArn: 'string',
  inputPrefix: 'string',
  outputPrefix: 'string',
  outputToInputBucket: 'boolean',
  suffixes: 'string-list',
  matchUpperCaseSuffixes: 'boolean',
  memorySize: 'number',
  timeoutSeconds: 'number',
  imageConcurrency: 'number',
  batchSize: 'number',
  maxBatchingWindowSeconds: 'number',
  maxConcurrency: 'number',
  maxReceiveCount: 'number',
  logRetentionDays: 'number',
} as const satisfies Record<keyof AugmixPipelineSettings, ContextKind>;

/** Context keys of the app itself (not stack settings). */
export const APP_CONTEXT_KEYS = ['stackName'] as const;

/** Plain camelCase keys are ours; CDK's own context keys contain ':', '@' or '-'. */
const SETTING_LIKE_KEY = /^[a-z][A-Za-z0-9]*$/;

/**
 * Reads the pipeline settings from CDK context (`cdk deploy -c variants=8 -c allOps=true`, or the `context`
 * of cdk.json): numbers and booleans are parsed from strings, `quality`/`size` accept `null` (or `none`),
 * `suffixes` is a comma-separated list or a JSON array. Unknown camelCase keys (typos such as `-c variant=8`)
 * and unparsable values are all reported in one {@link PipelineSettingsError}; ranges are checked later by
 * `resolvePipelineSettings`.
 */
export function settingsFromContext(node: Node): AugmixPipelineSettings {
  const problems: string[] = [];
  const settings: Record<string, unknown> = {};
  const all = (node.getAllContext() ?? {}) as Record<string, unknown>;
  const known = new Set<string>([...Object.keys(CONTEXT_SETTINGS), ...APP_CONTEXT_KEYS]);

  for (const key of Object.keys(all)) {
    if (SETTING_LIKE_KEY.test(key) && !known.has(key)) {
      problems.push(
        `Unknown context key ${JSON.stringify(key)}: the settings are ${Object.keys(CONTEXT_SETTINGS).join(', ')}`,
      );
    }
  }
  for (const [key, kind] of Object.entries(CONTEXT_SETTINGS)) {
    const raw = all[key];
    if (raw === undefined) continue;
    const parsed = parseContextValue(raw, kind);
    if (parsed.ok) settings[key] = parsed.value;
    else problems.push(invalidParameter(`context ${key}`, parsed.expected, raw).message);
  }
  if (problems.length > 0) throw new PipelineSettingsError(problems);
  return settings as AugmixPipelineSettings;
}

type Parsed = { ok: true; value: unknown } | { ok: false; expected: string };

/** Parses one context value; strings (from `-c`) are converted, JSON values are checked. */
export function parseContextValue(raw: unknown, kind: ContextKind): Parsed {
  switch (kind) {
    case 'number':
      return parseNumber(raw);
    case 'number-or-null': {
      if (raw === null || (typeof raw === 'string' && /^(null|none)$/i.test(raw.trim()))) {
        return { ok: true, value: null };
      }
      const n = parseNumber(raw);
      return n.ok ? n : { ok: false, expected: 'a number, or null/none' };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const text = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
      if (text === 'true' || text === '1') return { ok: true, value: true };
      if (text === 'false' || text === '0') return { ok: true, value: false };
      return { ok: false, expected: 'true or false' };
    }
    case 'string':
      return typeof raw === 'string' ? { ok: true, value: raw } : { ok: false, expected: 'a string' };
    case 'string-list': {
      if (Array.isArray(raw) && raw.every((s) => typeof s === 'string')) return { ok: true, value: raw };
      if (typeof raw === 'string') {
        const text = raw.trim();
        if (text.startsWith('[')) {
          try {
            return parseContextValue(JSON.parse(text), 'string-list');
          } catch {
            return { ok: false, expected: 'a JSON array of strings or a comma-separated list' };
          }
        }
        return {
          ok: true,
          value: text
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s.length > 0),
        };
      }
      return { ok: false, expected: 'a comma-separated list or an array of strings' };
    }
  }
}

function parseNumber(raw: unknown): Parsed {
  if (typeof raw === 'number' && Number.isFinite(raw)) return { ok: true, value: raw };
  if (typeof raw === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw.trim())) {
    return { ok: true, value: Number(raw.trim()) };
  }
  return { ok: false, expected: 'a number' };
}
