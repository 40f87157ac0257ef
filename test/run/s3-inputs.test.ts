import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { listBucketInputs } from '../../src/aws/bucket-run/bucket-listing.js';
import { resolveS3ClientSettings } from '../../src/aws/bucket-run/s3-access.js';
import { formatS3Url, isS3Url, parseS3Url } from '../../src/run/s3-location.js';

describe('parseS3Url', () => {
  it('reads the bucket and makes the prefix a folder, as the worker does with INPUT_PREFIX', () => {
    expect(parseS3Url('s3://bucket')).toEqual({ bucket: 'bucket', prefix: '' });
    expect(parseS3Url('s3://bucket/')).toEqual({ bucket: 'bucket', prefix: '' });
    expect(parseS3Url('s3://bucket/train')).toEqual({ bucket: 'bucket', prefix: 'train/' });
    expect(parseS3Url('s3://bucket/a b/café/')).toEqual({ bucket: 'bucket', prefix: 'a b/café/' });
    expect(formatS3Url({ bucket: 'b', prefix: 'p/' }, 'k.png')).toBe('s3://b/p/k.png');
  });

  it('refuses what is not s3://bucket[/prefix]', () => {
    expect(isS3Url('S3://x')).toBe(true);
    expect(isS3Url('./s3/x')).toBe(false);
    expect(() => parseS3Url('s3:/bucket')).toThrow('expected s3://bucket');
    expect(() => parseS3Url('s3://')).toThrow('expected s3://bucket');
    expect(() => parseS3Url('s3://bucket//x')).toThrow('without a leading "/"');
  });
});

describe('listBucketInputs', () => {
  const s3Mock = mockClient(S3Client);
  afterEach(() => {
    s3Mock.reset();
  });

  it('follows ListObjectsV2 pages and sorts keys by the deployed pipeline’s rules', async () => {
    // Prepare: two pages; a folder marker, a non-image, an upper-case extension, a dot name, a bad key
    const pages = [
      {
        Contents: [
          { Key: 'in/z.PNG', Size: 10, ETag: '"e1"' },
          { Key: 'in/cat/', Size: 0 },
          { Key: 'in/labels.csv', Size: 5 },
          { Key: 'in/out/old.png.augmix-00.png', Size: 9 },
        ],
        IsTruncated: true,
        NextContinuationToken: 'page-2',
      },
      {
        Contents: [
          { Key: 'in/cat/.dot.jpg', Size: 11, ETag: '"e2"' },
          { Key: 'in/a//b.jpg', Size: 3 },
          { Key: 'in/cat/1.jpg', Size: 12, ETag: '"e3-2"' },
        ],
        IsTruncated: false,
      },
    ];
    // a copy of each request as it is sent (the paginator reuses one input object)
    const requests: unknown[] = [];
    s3Mock.on(ListObjectsV2Command).callsFake((input: object) => {
      requests.push({ ...input });
      return pages[requests.length - 1];
    });
    const s3 = new S3Client({ region: 'us-east-1' });

    // Act
    const listing = await listBucketInputs(
      s3,
      { bucket: 'b', prefix: 'in/' },
      { output: { bucket: 'b', prefix: 'in/out/' }, pageSize: 4 },
    );

    // Assess
    expect(requests).toEqual([
      { Bucket: 'b', Prefix: 'in/', MaxKeys: 4 },
      { Bucket: 'b', Prefix: 'in/', MaxKeys: 4, ContinuationToken: 'page-2' },
    ]);
    expect(listing.images).toEqual([
      {
        key: 'cat/.dot.jpg',
        source: { kind: 'object', bucket: 'b', key: 'in/cat/.dot.jpg', size: 11, eTag: 'e2' },
        display: 's3://b/in/cat/.dot.jpg',
      },
      {
        key: 'cat/1.jpg',
        source: { kind: 'object', bucket: 'b', key: 'in/cat/1.jpg', size: 12, eTag: 'e3-2' },
        display: 's3://b/in/cat/1.jpg',
      },
      {
        key: 'z.PNG',
        source: { kind: 'object', bucket: 'b', key: 'in/z.PNG', size: 10, eTag: 'e1' },
        display: 's3://b/in/z.PNG',
      },
    ]);
    expect(listing.ignored).toEqual(['labels.csv']);
    expect(listing.excluded).toEqual(['out']);
    expect(listing.problems).toEqual([{ key: 'a//b.jpg', reason: expect.stringContaining('mirrored') }]);
    expect(listing).toMatchObject({ hidden: 0, symlinks: 0 });
  });

  it('takes --ext extensions and keeps outputs in another bucket', async () => {
    s3Mock.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: 'a.tif' }, { Key: 'b.png' }, { Key: 'out/c.tif' }],
    });
    const listing = await listBucketInputs(
      new S3Client({ region: 'us-east-1' }),
      { bucket: 'b', prefix: '' },
      { extensions: ['TIF'], output: { bucket: 'other', prefix: 'out/' } },
    );
    expect(listing.images.map((entry) => entry.key)).toEqual(['a.tif', 'out/c.tif']);
    expect(listing.ignored).toEqual(['b.png']);
    expect(listing.excluded).toEqual([]);
  });
});

describe('resolveS3ClientSettings', () => {
  const bare = {
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };

  it('with an endpoint and no credentials: unsigned, path style, checksums when required, us-east-1', async () => {
    const saved = { ...process.env };
    try {
      for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
      Object.assign(process.env, bare);
      const settings = await resolveS3ClientSettings({ endpointUrl: 'http://127.0.0.1:4568' });
      expect(settings).toEqual({
        region: 'us-east-1',
        profile: null,
        endpoint: 'http://127.0.0.1:4568',
        forcePathStyle: true,
        checksumsWhenRequired: { request: true, response: true },
        unsigned: true,
      });
      await expect(resolveS3ClientSettings({})).rejects.toThrow('no AWS credentials found');
    } finally {
      process.env = saved;
    }
  });

  it('keeps credentials, region and checksum choices that the environment makes', async () => {
    const env = {
      ...bare,
      AWS_ACCESS_KEY_ID: 'key',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_SUPPORTED',
      AWS_ENDPOINT_URL_S3: 'http://localhost:9000',
      AUGMIX_S3_FORCE_PATH_STYLE: 'true',
    };
    const saved = { ...process.env };
    try {
      Object.assign(process.env, env);
      const settings = await resolveS3ClientSettings({ region: 'eu-west-3' }, env);
      expect(settings).toEqual({
        region: 'eu-west-3',
        profile: null,
        endpoint: null,
        forcePathStyle: true,
        checksumsWhenRequired: { request: false, response: true },
        unsigned: false,
      });
    } finally {
      process.env = saved;
    }
  });
});
