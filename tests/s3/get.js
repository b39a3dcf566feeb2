// An independent client (AWS's own SDK) against the test server's s3rver: fetches an object to
// a file, or lists the bucket, so tests can check what our uploads left there.
//   node get.js PORT BUCKET KEY OUT      node get.js PORT BUCKET --list
const fs = require('fs');
const { S3Client, GetObjectCommand, ListObjectsV2Command } = require('@aws-sdk/client-s3');

(async () => {
  const [port, bucket, key, out] = process.argv.slice(2);
  const s3 = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-2', forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  if (key === '--list') {
    const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    for (const o of r.Contents || []) console.log(`${o.Key} ${o.Size}`);
    return;
  }
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  fs.writeFileSync(out, Buffer.from(await r.Body.transformToByteArray()));
})().catch((e) => { console.error(e.name + ': ' + e.message); process.exit(1); });
