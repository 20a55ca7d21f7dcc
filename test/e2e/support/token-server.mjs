#!/usr/bin/env node
// A small Docker registry token server (the Bearer flow of docker-registry's `auth: token`), for the
// mirror check e2e cases. It runs inside the lab's network namespace next to the registries.
// Usage: node token-server.mjs PORT KEY.pem CERT.pem USER PASSWORD
// GET /token?service=S&scope=repository:R:A,B with Basic USER:PASSWORD -> a JWT (ES256, x5c = CERT) that
// grants the requested actions; without credentials -> 401 (no anonymous pulls); wrong ones -> 401.
import {createPrivateKey, randomBytes, sign, X509Certificate} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {createServer} from 'node:http';

const [port, keyFile, certFile, user, password] = process.argv.slice(2);
const key = createPrivateKey(readFileSync(keyFile));
const certDer = new X509Certificate(readFileSync(certFile)).raw.toString('base64');
const b64url = (b) => Buffer.from(b).toString('base64url');
const want = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

function token(service, scopes, sub) {
  const now = Math.floor(Date.now() / 1000);
  const access = scopes.map((s) => {
    const [type, ...rest] = s.split(':');
    const actions = rest.pop().split(',');
    return {type, name: rest.join(':'), actions};
  });
  const header = b64url(JSON.stringify({typ: 'JWT', alg: 'ES256', x5c: [certDer]}));
  const claims = b64url(JSON.stringify({iss: 'lab-issuer', sub, aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access}));
  const sig = sign('sha256', Buffer.from(`${header}.${claims}`), {key, dsaEncoding: 'ieee-p1363'});
  return `${header}.${claims}.${b64url(sig)}`;
}

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const send = (status, body) => {
    res.writeHead(status, {'content-type': 'application/json'});
    res.end(JSON.stringify(body));
    process.stdout.write(`${req.method} ${url.pathname} scope=${url.searchParams.getAll('scope').join(' ')} auth=${req.headers.authorization ? 'basic' : 'none'} -> ${status}\n`);
  };
  if (url.pathname !== '/token') return send(404, {error: 'not found'});
  if (req.headers.authorization !== want) return send(401, {errors: [{code: 'UNAUTHORIZED', message: 'credentials required'}]});
  const t = token(url.searchParams.get('service') ?? '', url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean), user);
  send(200, {token: t, access_token: t, expires_in: 300});
}).listen(Number(port), '127.0.0.1');
