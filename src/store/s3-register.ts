import { registerStore } from './index.ts';

// Loaded on first use, so builds against the local store never load the AWS SDK.
registerStore('s3', async (url, opts) => {
  const { S3Store } = await import('./s3.ts');
  return new S3Store(url, opts);
});
