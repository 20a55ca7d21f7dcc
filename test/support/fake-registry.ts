/**
 * A small registry API v2 server on 127.0.0.1 for client, service and bench runs:
 * manifests by tag and digest, optional Basic or Bearer auth (with its own token
 * endpoint), optional TLS, added latency, and a request log. The e2e suite uses a
 * real docker-registry instead.
 */
import {createHash} from 'node:crypto';
import http, {type IncomingMessage, type ServerResponse} from 'node:http';
import https from 'node:https';
import type {AddressInfo} from 'node:net';

export interface FakeRegistryOptions {
  auth?: {kind: 'basic' | 'bearer'; username: string; password: string; anonymousPull?: boolean};
  tls?: {cert: string; key: string};
  latencyMs?: number;
  /** Leave out Docker-Content-Digest (the client must GET and hash the body). */
  noDigestHeader?: boolean;
  /** Serve this body for every manifest (to test digest mismatches). */
  corruptBody?: boolean;
  /** Answer the /v2/ ping with 200 and challenge only on repositories. */
  openPing?: boolean;
  /** 405 on HEAD of a manifest (only GET works). */
  noHead?: boolean;
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  auth?: string;
  accept?: string;
  /** When the answer was sent (ms since the epoch). */
  at: number;
}

export function manifestFor(name: string): {body: string; digest: string} {
  const body = JSON.stringify({schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${createHash('sha256').update(name).digest('hex')}`, size: name.length}, layers: []});
  return {body, digest: `sha256:${createHash('sha256').update(body).digest('hex')}`};
}

export class FakeRegistry {
  /** repo -> (tag or digest) -> manifest body */
  private repos = new Map<string, Map<string, string>>();
  readonly log: LoggedRequest[] = [];
  private server?: http.Server;
  host = '';
  tokensIssued = 0;
  /** Requests being handled right now, the most at once, and TCP connections accepted. */
  inflight = 0;
  peakInflight = 0;
  connections = 0;

  constructor(readonly opts: FakeRegistryOptions = {}) {}

  static async start(opts: FakeRegistryOptions = {}): Promise<FakeRegistry> {
    const r = new FakeRegistry(opts);
    await r.listen();
    return r;
  }

  /** Store an image under a tag; returns its digest. */
  push(repo: string, tag: string, name = `${repo}:${tag}`): string {
    const m = manifestFor(name);
    let r = this.repos.get(repo);
    if (!r) this.repos.set(repo, (r = new Map()));
    r.set(tag, m.body);
    r.set(m.digest, m.body);
    return m.digest;
  }

  async listen(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = this.opts.tls ? https.createServer({cert: this.opts.tls.cert, key: this.opts.tls.key}, handler) : http.createServer(handler);
    this.server.on(this.opts.tls ? 'secureConnection' : 'connection', () => this.connections++);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.host = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  count(pred: (r: LoggedRequest) => boolean): number {
    return this.log.filter(pred).length;
  }

  private send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string> = {}, body = ''): void {
    this.log.push({at: Date.now(), method: req.method ?? '', path: req.url ?? '', status, ...(req.headers.authorization ? {auth: req.headers.authorization.split(' ')[0]} : {}), ...(req.headers.accept ? {accept: req.headers.accept} : {})});
    res.writeHead(status, {'content-length': String(Buffer.byteLength(body)), ...headers});
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private basicOk(h: string | undefined): boolean {
    const a = this.opts.auth!;
    return h === 'Basic ' + Buffer.from(`${a.username}:${a.password}`).toString('base64');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.peakInflight = Math.max(this.peakInflight, ++this.inflight);
    res.on('finish', () => this.inflight--);
    if (this.opts.latencyMs) await new Promise((r) => setTimeout(r, this.opts.latencyMs));
    const url = new URL(req.url ?? '/', 'http://x');
    const a = this.opts.auth;
    const scheme = this.opts.tls ? 'https' : 'http';
    if (url.pathname === '/token' && a?.kind === 'bearer') {
      const creds = req.headers.authorization;
      if (creds ? !this.basicOk(creds) : !a.anonymousPull) return this.send(req, res, 401, {'content-type': 'application/json'}, '{"errors":[{"code":"UNAUTHORIZED"}]}');
      this.tokensIssued++;
      const token = `tok-${creds ? 'user' : 'anon'}-${url.searchParams.get('scope')}`;
      return this.send(req, res, 200, {'content-type': 'application/json'}, JSON.stringify({token, expires_in: 300}));
    }
    const challenge = a?.kind === 'basic' ? 'Basic realm="fake"' : `Bearer realm="${scheme}://${this.host}/token",service="fake-registry"`;
    const authorized = (scope: string): boolean => {
      if (!a) return true;
      const h = req.headers.authorization;
      if (a.kind === 'basic') return this.basicOk(h);
      return h === `Bearer tok-user-${scope}` || (a.anonymousPull === true && h === `Bearer tok-anon-${scope}`);
    };
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      if (a && !this.opts.openPing && !authorized('')) return this.send(req, res, 401, {'www-authenticate': challenge}, '{}');
      return this.send(req, res, 200, {'docker-distribution-api-version': 'registry/2.0'}, '{}');
    }
    const m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (!m) return this.send(req, res, 404, {}, '{"errors":[{"code":"NOT_FOUND"}]}');
    const [, repo, ref] = m;
    const scope = `repository:${repo}:pull`;
    if (!authorized(scope)) return this.send(req, res, 401, {'www-authenticate': a!.kind === 'basic' ? challenge : `${challenge},scope="${scope}"`}, '{"errors":[{"code":"UNAUTHORIZED"}]}');
    if (this.opts.noHead && req.method === 'HEAD') return this.send(req, res, 405, {}, '');
    let body = this.repos.get(repo!)?.get(decodeURIComponent(ref!));
    if (body === undefined) return this.send(req, res, 404, {'content-type': 'application/json'}, '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
    if (this.opts.corruptBody) body = body + ' ';
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    return this.send(req, res, 200, {'content-type': 'application/vnd.oci.image.manifest.v1+json', ...(this.opts.noDigestHeader ? {} : {'docker-content-digest': digest})}, body);
  }
}
