/** WebDataset shards: a deterministic tar writer, sample keys, shard layout and indexes, the dataset manifest. */
export * from './manifest.js';
export * from './sample-key.js';
export * from './shard.js';
export * from './tar.js';
export * from './tar-read.js';
