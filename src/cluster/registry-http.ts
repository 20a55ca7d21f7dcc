/**
 * HTTP(S) plumbing for the registry client: keep-alive agents per registry and
 * trust setting, one request with a timeout, a per-host limit on requests in
 * flight, and network errors sorted into the statuses `mirror check` reports.
 */
import {createHash} from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import {rootCertificates} from 'node:tls';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Only read when asked for (GET of a manifest, token responses). */
  body?: Buffer;
}

/** A failure below HTTP: connection, TLS, or the per-request timeout. */
export class NetError extends Error {
  override name = 'NetError';
  constructor(
    readonly kind: 'tls-error' | 'unreachable' | 'timeout',
    message: string,
    /** The server answered in plain HTTP on an HTTPS request (or the handshake broke off). */
    readonly notTls = false,
  ) {
    super(message);
  }
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE', 'CERT_REJECTED', 'INVALID_CA', 'HOSTNAME_MISMATCH',
]);

/** Sort a socket/TLS error into a status, with a one-line reason. */
export function classifyNetError(e: unknown, url: string): NetError {
  if (e instanceof NetError) return e;
  const err = e as NodeJS.ErrnoException & {reason?: string};
  const code = err.code ?? '';
  const msg = err.message ?? String(e);
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('CERT_')) return new NetError('tls-error', `${url}: x509: ${msg}`);
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || /wrong version number|packet length too long|http request/i.test(msg)) {
    return new NetError('tls-error', `${url}: the server does not speak TLS (${msg.split('\n')[0]})`, true);
  }
  if (code === 'ECONNRESET' && /socket disconnected before secure TLS connection/i.test(msg)) {
    return new NetError('tls-error', `${url}: TLS handshake failed (${msg})`, true);
  }
  if (code === 'ETIMEDOUT') return new NetError('timeout', `${url}: ${msg}`);
  return new NetError('unreachable', `${url}: ${code && !msg.includes(code) ? code + ' ' : ''}${msg}`);
}

/** Run async jobs with at most `limit` at once (FIFO). */
export class Limiter {
  private active = 0;
  private waiting: Array<() => void> = [];
  constructor(readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export interface TrustSettings {
  /** Extra CA PEMs (the node's certs.d/<host:port>/*.crt), added to the system roots. */
  cas: string[];
  /** insecure = true: no verification (and plain HTTP as a fallback, decided by the caller). */
  insecure: boolean;
}

const trustKey = (t: TrustSettings): string => (t.insecure ? 'insecure' : createHash('sha256').update(t.cas.join('\n')).digest('hex').slice(0, 16));

/** One keep-alive agent per (scheme, host, trust): connections are reused across images. */
export class Agents {
  private map = new Map<string, http.Agent>();
  constructor(private readonly maxSockets: number) {}

  get(url: URL, trust: TrustSettings): http.Agent {
    const key = `${url.protocol}//${url.host}|${url.protocol === 'https:' ? trustKey(trust) : ''}`;
    let a = this.map.get(key);
    if (!a) {
      a =
        url.protocol === 'https:'
          ? new https.Agent({keepAlive: true, maxSockets: this.maxSockets, rejectUnauthorized: !trust.insecure, ...(trust.cas.length > 0 ? {ca: [...rootCertificates, ...trust.cas]} : {})})
          : new http.Agent({keepAlive: true, maxSockets: this.maxSockets});
      this.map.set(key, a);
    }
    return a;
  }

  destroy(): void {
    for (const a of this.map.values()) a.destroy();
    this.map.clear();
  }
}

export interface RequestOptions {
  method: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  agent: http.Agent;
  timeoutMs: number;
  readBody?: boolean;
  /** Cap on the body read (manifests and token responses are small). */
  maxBody?: number;
}

/** One HTTP request; rejects with a NetError on network, TLS or timeout failures. */
export function request(url: URL, o: RequestOptions): Promise<HttpResponse> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise<HttpResponse>((resolve, reject) => {
    const req = mod.request(url, {method: o.method, headers: o.headers, agent: o.agent}, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (!o.readBody) return;
        size += c.length;
        if (size > (o.maxBody ?? 4 << 20)) {
          req.destroy(new NetError('unreachable', `${url.href}: response larger than ${o.maxBody ?? 4 << 20} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, ...(o.readBody ? {body: Buffer.concat(chunks)} : {})}));
      res.on('error', (e) => reject(classifyNetError(e, url.href)));
    });
    req.setTimeout(o.timeoutMs, () => req.destroy(new NetError('timeout', `${url.href}: no answer within ${o.timeoutMs} ms`)));
    req.on('error', (e) => reject(classifyNetError(e, url.href)));
    req.end();
  });
}
