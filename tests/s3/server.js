// A real S3-compatible server for tests, on 127.0.0.1 only: s3rver behind a proxy that checks
// every request's SigV4 signature with AWS's own signer (@smithy/signature-v4) and its payload
// hash, then forwards it. s3rver alone accepts any signature; the proxy is what refuses a wrong
// secret. Faults for tests come from FAULT:
//   5xx:N               the first N requests get 503 or 500 (alternating), then all pass
//   403                 every request gets 403 AccessDenied
//   die-after-parts:N   the whole server exits when part N+1 of a multipart upload arrives
//   huge-answer:MB      every request gets 200 with an MB-megabyte body (a client must cap it)
// Prints {"proxy": PORT, "s3rver": PORT} on its first line when ready.
const http = require('http');
const crypto = require('crypto');
const os = require('os');
const path = require('path');
const fs = require('fs');
const S3rver = require('s3rver');
const { SignatureV4 } = require('@smithy/signature-v4');
const { Sha256 } = require('@aws-crypto/sha256-js');

const ACCESS = 'S3RVER'; // s3rver only knows this key pair
const SECRET = 'S3RVER';
const BUCKET = process.env.S3_TEST_BUCKET || 'test-bucket';
const fault = process.env.FAULT || '';
let served = 0, parts = 0;

function deny(res, status, code, message) {
  res.writeHead(status, { 'Content-Type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

async function signatureOk(req, body) {
  const auth = req.headers.authorization || '';
  const m = auth.match(/^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/);
  if (!m || m[1] !== ACCESS) return false;
  const signed = m[4].split(';');
  const headers = {};
  for (const h of signed) if (req.headers[h] !== undefined) headers[h] = req.headers[h];
  const hash = crypto.createHash('sha256').update(body).digest('hex');
  if (req.headers['x-amz-content-sha256'] !== hash) return false; // the payload must match
  const url = new URL(req.url, 'http://placeholder');
  const query = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const amzDate = req.headers['x-amz-date'];
  const date = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const signer = new SignatureV4({ credentials: { accessKeyId: ACCESS, secretAccessKey: SECRET },
    region: m[3], service: 's3', sha256: Sha256, uriEscapePath: false });
  const signedReq = await signer.sign({ method: req.method, protocol: 'http:', hostname: '127.0.0.1',
    path: url.pathname, query, headers, body }, { signingDate: date });
  const mine = (signedReq.headers.authorization || signedReq.headers.Authorization || '').match(/Signature=([0-9a-f]{64})/);
  return mine && mine[1] === m[5];
}

async function main() {
  const dir = process.env.S3_TEST_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir,
    configureBuckets: [{ name: BUCKET }] });
  const { port: s3port } = await s3.run();
  const proxy = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      served++;
      if (fault.startsWith('5xx:') && served <= Number(fault.slice(4)))
        return deny(res, served % 2 ? 503 : 500, served % 2 ? 'SlowDown' : 'InternalError', 'injected');
      if (fault === '403') return deny(res, 403, 'AccessDenied', 'injected');
      if (fault.startsWith('huge-answer:')) {
        res.writeHead(200, { 'Content-Type': 'application/xml' });
        const mb = Buffer.alloc(1 << 20, 'x');
        let left = Number(fault.slice(12));
        const more = () => { while (left > 0) { left--; if (!res.write(mb)) return res.once('drain', more); } res.end(); };
        res.on('error', () => {});
        return more();
      }
      if (!(await signatureOk(req, body))) return deny(res, 403, 'SignatureDoesNotMatch', 'bad signature');
      if (req.method === 'PUT' && /partNumber=/.test(req.url)) {
        parts++;
        if (fault.startsWith('die-after-parts:') && parts > Number(fault.slice(16))) process.exit(3);
      }
      const fwd = http.request({ host: '127.0.0.1', port: s3port, method: req.method, path: req.url,
        headers: { ...req.headers, host: `127.0.0.1:${s3port}` } }, (up) => {
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      });
      fwd.on('error', () => deny(res, 502, 'BadGateway', 'upstream'));
      fwd.end(body);
    });
  });
  proxy.listen(0, '127.0.0.1', () => {
    console.log(JSON.stringify({ proxy: proxy.address().port, s3rver: s3port }));
  });
}
main().catch((e) => { console.error(e); process.exit(1); });
