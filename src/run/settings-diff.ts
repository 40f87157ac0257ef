import type { PipelineSettings } from '../pipeline/types.js';

/** One setting that differs between an output folder's manifest and the current command. */
export interface SettingDifference {
  /** The setting's name in `PipelineSettings`, e.g. `allOps`. */
  readonly setting: string;
  /** The command-line option that sets it, e.g. `--all-ops`. */
  readonly option: string;
  readonly recorded: unknown;
  readonly requested: unknown;
}

/**
 * Lists the settings whose values differ (compared as JSON), in a stable order: the recorded settings' keys
 * first, then keys only the new settings have.
 */
export function diffSettings(
  recorded: Readonly<Record<string, unknown>>,
  requested: PipelineSettings,
): SettingDifference[] {
  const wanted = requested as unknown as Readonly<Record<string, unknown>>;
  const keys = [...new Set([...Object.keys(recorded), ...Object.keys(wanted)])];
  return keys
    .filter((key) => JSON.stringify(recorded[key]) !== JSON.stringify(wanted[key]))
    .map((key) => ({
      setting: key,
      option: optionName(key),
      recorded: recorded[key],
      requested: wanted[key],
    }));
}

/** `--severity 3 (folder) vs 5 (now), --all-ops false vs true` */
export function describeDifferences(differences: readonly SettingDifference[]): string {
  return differences
    .map(
      (d) =>
        `${d.option}: ${JSON.stringify(d.recorded) ?? 'unset'} in the folder, ${JSON.stringify(d.requested) ?? 'unset'} now`,
    )
    .join('; ');
}

/** The CLI option for a settings key: `maxPixels` → `--max-pixels`. */
export function optionName(setting: string): string {
  return `--${setting.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}
