export { LegacyRandomState } from './legacy-random-state.js';
export { MAX_SEED, Mt19937 } from './mt19937.js';
