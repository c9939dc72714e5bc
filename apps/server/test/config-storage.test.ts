import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('loadConfig: blob storage', () => {
  it('stores on the filesystem by default, and leftovers older than 30 minutes are removed', () => {
    expect(loadConfig({})).toMatchObject({ blobStore: { kind: 'fs' }, blobLeftoverAgeMs: 30 * 60_000, downloadTimeoutMs: 20 * 60_000 });
  });

  it('refuses a leftover age no longer than the download deadline, naming both', () => {
    const refused: Array<Record<string, string>> = [
      { BLOB_LEFTOVER_AGE_MS: '600000', DOWNLOAD_TIMEOUT_MS: '600000' },
      { DOWNLOAD_TIMEOUT_MS: '3600000' },
    ];
    for (const env of refused) {
      const [problem, ...rest] = problemsOf(env);
      expect(rest).toEqual([]);
      expect(problem).toMatch(/^BLOB_LEFTOVER_AGE_MS=\d+ must be longer than DOWNLOAD_TIMEOUT_MS=\d+/);
    }
    expect(loadConfig({ BLOB_LEFTOVER_AGE_MS: '7200000', DOWNLOAD_TIMEOUT_MS: '3600000' })).toMatchObject({ downloadTimeoutMs: 3_600_000 });
  });

  it('reads a complete S3 configuration', () => {
    const config = loadConfig({
      BLOB_STORE: 's3',
      S3_BUCKET: 'videos',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_REGION: 'auto',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_FORCE_PATH_STYLE: 'true',
    });
    expect(config.blobStore).toEqual({
      kind: 's3',
      bucket: 'videos',
      endpoint: 'http://127.0.0.1:9000',
      region: 'auto',
      accessKeyId: 'key',
      secretAccessKey: 'secret',
      forcePathStyle: true,
    });
  });

  it('defaults the region and leaves credentials to the AWS chain when no keys are given', () => {
    expect(loadConfig({ BLOB_STORE: 's3', S3_BUCKET: 'videos' }).blobStore).toMatchObject({
      region: 'us-east-1',
      accessKeyId: undefined,
      forcePathStyle: false,
    });
  });

  it.each([
    [{ BLOB_STORE: 's3' }, 'S3_BUCKET'],
    [{ BLOB_STORE: 's3', S3_BUCKET: 'v', S3_ACCESS_KEY_ID: 'key' }, 'S3_SECRET_ACCESS_KEY'],
    [{ BLOB_STORE: 's3', S3_BUCKET: 'v', S3_SECRET_ACCESS_KEY: 'secret' }, 'S3_ACCESS_KEY_ID'],
    [{ BLOB_STORE: 's3', S3_BUCKET: 'v', S3_ENDPOINT: 'minio:9000' }, 'S3_ENDPOINT'],
    [{ BLOB_STORE: 's3', S3_BUCKET: 'v', S3_FORCE_PATH_STYLE: 'yes' }, 'S3_FORCE_PATH_STYLE'],
    [{ BLOB_STORE: 'disk' }, 'BLOB_STORE'],
    [{ S3_BUCKET: 'videos' }, 'BLOB_STORE'],
    [{ BLOB_LEFTOVER_AGE_MS: '1000' }, 'BLOB_LEFTOVER_AGE_MS'],
    [{ DOWNLOAD_TIMEOUT_MS: '500' }, 'DOWNLOAD_TIMEOUT_MS'],
  ])('refuses %j, naming %s', (env, name) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
  });
});
