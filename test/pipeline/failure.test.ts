import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/codec/input-error.js';
import { failureRecord } from '../../src/pipeline/failure.js';

describe('failureRecord', () => {
  it('keeps the code and message of an InputError', () => {
    const error = new InputError('truncated', 'cats/1.jpg', 'truncated or corrupt JPEG data');
    expect(failureRecord('cats/1.jpg', error)).toEqual({
      version: 1,
      input: 'cats/1.jpg',
      error: { code: 'truncated', message: 'cats/1.jpg: truncated or corrupt JPEG data' },
    });
  });

  it('records any other error as internal, with its message only', () => {
    const record = failureRecord('a.png', new TypeError('boom'));
    expect(record).toEqual({ version: 1, input: 'a.png', error: { code: 'internal', message: 'boom' } });
    expect(JSON.stringify(record)).not.toContain('at ');
    expect(failureRecord('a.png', 'weird').error).toEqual({ code: 'internal', message: 'weird' });
  });
});
