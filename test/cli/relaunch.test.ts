import { describe, expect, it } from 'vitest';
import { neededPoolSize, shouldRelaunch } from '../../src/cli/relaunch.js';

describe('neededPoolSize', () => {
  it('is one thread per image in flight, at least libuv’s default of 4', () => {
    expect(neededPoolSize(2)).toBe(4);
    expect(neededPoolSize(4)).toBe(4);
    expect(neededPoolSize(32)).toBe(32);
  });
});

describe('shouldRelaunch', () => {
  it('relaunches only when the pool is too small and nobody chose its size', () => {
    expect(shouldRelaunch({}, 6)).toBe(true);
    expect(shouldRelaunch({}, 4)).toBe(false);
    expect(shouldRelaunch({ UV_THREADPOOL_SIZE: '2' }, 6)).toBe(false);
    expect(shouldRelaunch({ AUGMIX_RELAUNCHED: '1' }, 6)).toBe(false);
  });
});
