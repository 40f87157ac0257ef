import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settingsMarkdownTable, withSettingsTable } from '../../src/settings/markdown.js';
import { SETTINGS } from '../../src/settings/table.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the README settings table', () => {
  it('is the one the settings table generates (run npm run docs:settings after changing a setting)', () => {
    expect(withSettingsTable(README)).toBe(README);
  });

  it('has one row per setting, naming its flag, variable, range and default', () => {
    const rows = settingsMarkdownTable().split('\n').slice(2);
    expect(rows.map((row) => row.split(' | ')[0]!.slice(2))).toEqual(
      Object.keys(SETTINGS).map((n) => `\`${n}\``),
    );
    expect(rows.find((row) => row.startsWith('| `severity`'))).toBe(
      '| `severity` | `--severity` | `AUGMIX_SETTINGS` | an integer in 1..10 | 3 | AugMix severity: every op level is drawn from [0.1, severity) |',
    );
    expect(rows.find((row) => row.startsWith('| `inputPrefix`'))).toContain('| `INPUT_PREFIX` |');
  });
});
