// Rewrites the README's settings table from the settings table (src/settings/table.ts): npm run docs:settings.
import { readFileSync, writeFileSync } from 'node:fs';
import { withSettingsTable } from '../src/settings/markdown.js';

const readme = new URL('../README.md', import.meta.url);
const before = readFileSync(readme, 'utf8');
const after = withSettingsTable(before);
writeFileSync(readme, after);
console.log(after === before ? 'README settings table: up to date' : 'README settings table: updated');
