import type { PipelineSettings } from '../pipeline/types.js';
import { defaultText } from '../settings/check.js';
import { IMAGE_SETTINGS, type ImageSettingName, type Setting } from '../settings/table.js';
import type { OptionSpecs, OptionValues } from './args.js';
import { UsageError } from './exit.js';

/** The image settings that have a command-line flag, with it. */
const FLAGGED = Object.entries(IMAGE_SETTINGS).flatMap(([name, row]) =>
  row.flag === undefined
    ? []
    : [{ name: name as ImageSettingName, flag: row.flag, row: row as Setting<unknown> }],
);

/** `parseArgs` options for every pipeline setting (shared by `run` and `preview`), from the settings table. */
export const SETTINGS_OPTIONS: OptionSpecs = Object.fromEntries(
  FLAGGED.map(({ flag, row }) => [flag, { type: row.type.isSwitch ? 'boolean' : 'string' }]),
);

/** Other names of the settings flags (torchvision's `AugMix` parameter names): alias → flag. */
export const SETTINGS_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  FLAGGED.flatMap(({ flag, row }) => (row.aliases ?? []).map((alias) => [alias, flag])),
);

/** One help line: `  --option X          description  [default]`. */
export function helpLine(option: string, description: string, fallback = ''): string {
  return `  ${option.padEnd(18)}  ${description}${fallback === '' ? '' : `  [${fallback}]`}`;
}

/**
 * Help lines for {@link SETTINGS_OPTIONS}, or for the named flags only (`['severity', 'seed']`): the table's
 * help, allowed values and default.
 */
export function settingsHelp(only?: readonly string[]): string[] {
  return FLAGGED.filter(({ flag }) => only === undefined || only.includes(flag)).map(({ flag, row }) => {
    const option = row.type.isSwitch ? `--${flag}` : `--${flag} ${row.type.placeholder}`;
    const aka = (row.aliases ?? []).filter((alias) => !alias.includes('_'));
    const also = aka.length === 0 ? '' : ` (also --${aka.join(', --')})`;
    const description = row.type.isSwitch ? `${row.help}${also}` : `${row.help}${also}; ${row.type.expected}`;
    return helpLine(option, description, row.type.isSwitch && row.default === false ? '' : defaultText(row));
  });
}

/**
 * Turns parsed option values into a partial settings object for `resolveSettings` (which validates ranges).
 * Values are read as the table's types read text (`--quality none`, `--size null`).
 *
 * @throws UsageError naming the option when a value cannot be read
 */
export function settingsFromValues(values: OptionValues): Partial<PipelineSettings> {
  const settings: Record<string, unknown> = {};
  for (const { name, flag, row } of FLAGGED) {
    const raw = values[flag];
    if (raw === undefined) continue;
    if (typeof raw === 'boolean') {
      settings[name] = raw;
      continue;
    }
    const value = row.type.parse(raw);
    if (value === undefined) {
      throw new UsageError(`--${flag} expects ${row.type.expected}, got ${JSON.stringify(raw)}`);
    }
    settings[name] = value;
  }
  return settings as Partial<PipelineSettings>;
}
