import { describe, expect, it } from 'vitest';
import { encodeS3Key } from '../../src/aws/operator/backfill.js';
import { decodeS3Key, MalformedMessageError, parseS3Notification } from '../../src/aws/worker/s3-event.js';
import { loadEvent, onlyRecord } from './event-fixtures.js';

describe('parseS3Notification', () => {
  it('decodes "+" as a space and percent escapes', () => {
    // Prepare
    const { body } = onlyRecord('put-encoded-key');
    // Act
    const parsed = parseS3Notification(body);
    // Assess
    expect(parsed).toEqual({
      kind: 'records',
      created: [
        {
          eventName: 'ObjectCreated:Put',
          bucket: 'augmix-input',
          key: 'uploads/my photo(1).jpg',
          size: 566,
          eTag: '2492b93411269fbdbd454eca893b29b0',
          versionId: null,
          sequencer: expect.stringMatching(/^[0-9A-F]+$/),
        },
      ],
      removed: [],
      ignored: [],
    });
  });

  it('decodes UTF-8 percent escapes in keys', () => {
    const parsed = parseS3Notification(onlyRecord('put-unicode-key').body);
    expect(parsed.kind === 'records' && parsed.created.map((event) => event.key)).toEqual([
      'uploads/café/☕.png',
    ]);
  });

  it('recognises the s3:TestEvent', () => {
    expect(parseS3Notification(onlyRecord('test-event').body)).toEqual({ kind: 'test-event' });
  });

  it('returns every record of a body with several records', () => {
    const parsed = parseS3Notification(onlyRecord('multiple-records').body);
    expect(parsed.kind === 'records' && parsed.created.map((event) => [event.eventName, event.key])).toEqual([
      ['ObjectCreated:Put', 'uploads/train/cat/001.png'],
      ['ObjectCreated:Put', 'uploads/train/dog/002.jpg'],
      ['ObjectCreated:CompleteMultipartUpload', 'uploads/train/dog/003 (large).jpg'],
    ]);
  });

  it('sets ObjectRemoved events apart as removed, and others as ignored', () => {
    const parsed = parseS3Notification(onlyRecord('object-removed').body);
    expect(parsed).toMatchObject({
      kind: 'records',
      created: [],
      removed: [{ eventName: 'ObjectRemoved:Delete', bucket: 'augmix-input', key: 'uploads/old photo.jpg' }],
      ignored: [],
    });
    const restore = onlyRecord('object-removed').body.replace(
      'ObjectRemoved:Delete',
      'ObjectRestore:Completed',
    );
    expect(parseS3Notification(restore)).toMatchObject({
      removed: [],
      ignored: [{ eventName: 'ObjectRestore:Completed', key: 'uploads/old photo.jpg' }],
    });
  });

  it('parses both duplicate deliveries to the same object', () => {
    const [first, second] = loadEvent('duplicate-delivery').Records.map((record) =>
      parseS3Notification(record.body),
    );
    expect(first).toEqual(second);
  });

  it('unwraps an SNS envelope (S3 → SNS → SQS without raw delivery)', () => {
    const message = onlyRecord('put-unicode-key').body;
    const envelope = JSON.stringify({ Type: 'Notification', MessageId: 'x', Message: message });
    expect(parseS3Notification(envelope)).toEqual(parseS3Notification(message));
  });

  it.each([
    ['a body that is not JSON', onlyRecord('malformed-body').body, /JSON/],
    ['a JSON array', '[]', /JSON object but received an array/],
    ['an object without Records', '{"hello":1}', /Records array/],
    [
      'a record without a key',
      '{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{}}}]}',
      /Records\[0\]\.s3\.object\.key/,
    ],
    [
      'a record without a bucket',
      '{"Records":[{"eventName":"ObjectCreated:Put","s3":{"object":{"key":"k"}}}]}',
      /Records\[0\]\.s3\.bucket\.name/,
    ],
    ['a record without an eventName', '{"Records":[{"s3":{}}]}', /Records\[0\]\.eventName/],
    [
      'a key with a bad escape',
      '{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"a%E2%98.png"}}}]}',
      /URL-encoded but received "a%E2%98.png"/,
    ],
  ])('rejects %s as malformed', (_, body, message) => {
    expect(() => parseS3Notification(body)).toThrow(MalformedMessageError);
    expect(() => parseS3Notification(body)).toThrow(message);
  });
});

describe('decodeS3Key', () => {
  it.each([
    ['red+flower.jpg', 'red flower.jpg'],
    ['a%2Bb.png', 'a+b.png'],
    ['100%25.png', '100%.png'],
    ['caf%C3%A9/%E2%98%95.png', 'café/☕.png'],
    ['plain/key.jpg', 'plain/key.jpg'],
  ])('decodes %s to %s', (encoded, decoded) => {
    expect(decodeS3Key(encoded)).toBe(decoded);
  });
});

describe('encodeS3Key (backfill) and decodeS3Key', () => {
  it.each([
    ['uploads/my photo(1).jpg', 'uploads/my+photo%281%29.jpg'],
    ['caf\u00e9/\u2615.png', 'caf%C3%A9/%E2%98%95.png'],
    ['a+b&c=d.png', 'a%2Bb%26c%3Dd.png'],
    ["it's!.jpg", 'it%27s%21.jpg'],
  ])('encodes %s as S3 events do (%s) and decodes it back', (key, encoded) => {
    expect(encodeS3Key(key)).toBe(encoded);
    expect(decodeS3Key(encodeS3Key(key))).toBe(key);
  });
});
