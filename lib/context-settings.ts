import type { Node } from 'constructs';
import { invalidParameter } from '../src/augmix/errors.js';
import { SETTINGS } from '../src/settings/table.js';
import type { AugmixPipelineSettings } from './pipeline-settings.js';
import { PipelineSettingsError } from './resolve-pipeline-settings.js';

/** Every setting that can be given as CDK context: all of the settings table. */
export const CONTEXT_SETTINGS: readonly string[] = Object.keys(SETTINGS);

/** Context keys of the app itself (not stack settings). */
export const APP_CONTEXT_KEYS = ['stackName'] as const;

/** Plain camelCase keys are ours; CDK's own context keys contain ':', '@' or '-'. */
const SETTING_LIKE_KEY = /^[a-z][A-Za-z0-9]*$/;

/**
 * Reads the pipeline settings from CDK context (`cdk deploy -c variants=8 -c allOps=true`, or the `context`
 * of cdk.json). Strings (what `-c` gives) are read as the settings table's types read text: numbers and
 * booleans parsed, `quality`/`size` accept `null` or `none`, `suffixes` a comma-separated list or a JSON array;
 * JSON values (cdk.json, `--context` JSON) must have the setting's type. Unknown camelCase keys (typos such as
 * `-c variant=8`) and unreadable values are all reported in one {@link PipelineSettingsError}; the values are
 * then validated once, with the props, by `resolvePipelineSettings`.
 */
export function settingsFromContext(node: Node): AugmixPipelineSettings {
  const problems: string[] = [];
  const settings: Record<string, unknown> = {};
  const all = (node.getAllContext() ?? {}) as Record<string, unknown>;
  const known = new Set<string>([...CONTEXT_SETTINGS, ...APP_CONTEXT_KEYS]);

  for (const key of Object.keys(all)) {
    if (SETTING_LIKE_KEY.test(key) && !known.has(key)) {
      problems.push(
        `Unknown context key ${JSON.stringify(key)}: the settings are ${CONTEXT_SETTINGS.join(', ')}`,
      );
    }
  }
  for (const [key, row] of Object.entries(SETTINGS)) {
    const raw = all[key];
    if (raw === undefined) continue;
    const value = typeof raw === 'string' ? row.type.parse(raw) : row.type.hasType(raw) ? raw : undefined;
    if (value === undefined)
      problems.push(invalidParameter(`context ${key}`, row.type.expected, raw).message);
    else settings[key] = value;
  }
  if (problems.length > 0) throw new PipelineSettingsError(problems);
  return settings as AugmixPipelineSettings;
}
