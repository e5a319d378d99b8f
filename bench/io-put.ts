// One archive into an S3 store the way `pexpress build` publishes it (S3Store.check, then putFile
// with the sha256 and metadata), as its own process so bench/io.ts can time it against
// `aws s3 cp`. The CLI has no command that only uploads; this is the build's publish step alone.
//
//   node --import tsx bench/io-put.ts s3://bucket/prefix FILE SHA256     (endpoint: AWS_ENDPOINT_URL_S3)
import { S3Store } from '../src/store/s3.ts';
import { archiveKey } from '../src/store/store.ts';

const [url, file, sha256] = process.argv.slice(2);
if (!url || !file || !/^[0-9a-f]{64}$/.test(sha256 ?? '')) {
  process.stderr.write('usage: io-put.ts s3://bucket/prefix FILE SHA256\n');
  process.exit(2);
}
const store = new S3Store(url);
await store.check();
const r = await store.putFile(archiveKey(sha256), file, {
  sha256,
  metadata: { 'pexpress-kind': 'deps', 'pexpress-fingerprint': 'bench', 'pexpress-commit': '' },
});
if (!r.uploaded) throw new Error(`${sha256} was already in ${url}: the benchmark needs a fresh prefix per run`);
process.stdout.write(JSON.stringify(r) + '\n');
