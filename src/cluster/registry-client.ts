/**
 * A registry API v2 client that asks one question: does this endpoint serve this
 * manifest? It behaves as containers/image (docker/docker_client.go) does on a node:
 * - the registry is pinged first (`GET /v2/`) over HTTPS; an `insecure` registry is
 *   reached without TLS verification and, when HTTPS fails, over plain HTTP;
 * - the ping's `WWW-Authenticate` challenge decides the auth: Bearer (a token from the
 *   realm for `repository:<repo>:pull`, sent with Basic credentials when there are
 *   some) or Basic;
 * - TLS trusts the system roots plus the node's certs.d CAs for that host:port;
 * - a digest pull is served only when the manifest's digest matches
 *   (Docker-Content-Digest, else the GET body's sha256).
 * One ping per registry, one token per registry and scope, keep-alive connections,
 * at most `perHost` requests in flight per registry. Credentials never appear in
 * results or errors.
 */
import {createHash} from 'node:crypto';
import type {Credentials} from '../model/pull-secret.js';
import {Agents, Limiter, NetError, request, type HttpResponse, type TrustSettings} from './registry-http.js';

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export type ProbeStatus = 'served' | 'missing' | 'unauthorized' | 'tls-error' | 'unreachable' | 'timeout';

export interface ProbeTarget {
  /** `host[:port]` as in the reference (docker.io is reached at registry-1.docker.io). */
  host: string;
  /** Repository path inside the registry. */
  repo: string;
  /** A tag, or a digest (`sha256:…`). */
  ref: string;
  trust: TrustSettings;
  credentials?: Credentials;
}

export interface ProbeResult {
  status: ProbeStatus;
  httpStatus?: number;
  reason?: string;
  /** The manifest digest the registry reported (or computed from the body). */
  digest?: string;
}

export interface Challenge {
  scheme: 'bearer' | 'basic' | 'none';
  params: Record<string, string>;
}

interface Pinged {
  base: URL;
  challenge: Challenge;
}

export interface ClientOptions {
  timeoutMs: number;
  perHost: number;
  /** Clock for token lifetimes. */
  now?: () => number;
}

/** Parse the first challenge of a WWW-Authenticate header (RFC 7235 auth-params). */
export function parseChallenge(header: string | undefined): Challenge {
  if (!header) return {scheme: 'none', params: {}};
  const m = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(header);
  if (!m) return {scheme: 'none', params: {}};
  const scheme = m[1]!.toLowerCase();
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  return {scheme: scheme === 'bearer' ? 'bearer' : scheme === 'basic' ? 'basic' : 'none', params};
}

const basic = (c: Credentials) => 'Basic ' + Buffer.from(`${c.username}:${c.password}`).toString('base64');
const apiHost = (host: string) => (host === 'docker.io' ? 'registry-1.docker.io' : host);

export class RegistryClient {
  private agents: Agents;
  private limiters = new Map<string, Limiter>();
  private pings = new Map<string, Promise<Pinged>>();
  private tokens = new Map<string, {value: Promise<string>; expires: number}>();
  private readonly now: () => number;
  /** Requests sent, for the benchmark and the summary. */
  requests = 0;

  constructor(private readonly opts: ClientOptions) {
    this.agents = new Agents(opts.perHost);
    this.now = opts.now ?? Date.now;
  }

  close(): void {
    this.agents.destroy();
  }

  private limiter(host: string): Limiter {
    let l = this.limiters.get(host);
    if (!l) this.limiters.set(host, (l = new Limiter(this.opts.perHost)));
    return l;
  }

  private send(url: URL, trust: TrustSettings, method: 'GET' | 'HEAD', headers: Record<string, string>, readBody = false): Promise<HttpResponse> {
    return this.limiter(url.host).run(() => {
      this.requests++;
      return request(url, {method, headers, agent: this.agents.get(url, trust), timeoutMs: this.opts.timeoutMs, readBody});
    });
  }

  /** docker_client.go detectProperties: HTTPS first; insecure registries fall back to HTTP. */
  private ping(host: string, trust: TrustSettings): Promise<Pinged> {
    const key = `${host}|${trust.insecure}|${trust.cas.join('')}`;
    let p = this.pings.get(key);
    if (!p) {
      p = this.pingOnce(host, trust);
      this.pings.set(key, p);
    }
    return p;
  }

  private async pingOnce(host: string, trust: TrustSettings): Promise<Pinged> {
    const attempt = async (scheme: 'https' | 'http'): Promise<Pinged> => {
      const base = new URL(`${scheme}://${apiHost(host)}/v2/`);
      const res = await this.send(base, trust, 'GET', {}, true);
      if (res.status !== 200 && res.status !== 401) throw new RegistryHttpError(res.status, `${base.href} answered HTTP ${res.status}: not a registry API v2 endpoint`, true);
      const challenge = res.status === 401 ? parseChallenge(headerOf(res, 'www-authenticate')) : {scheme: 'none' as const, params: {}};
      return {base, challenge};
    };
    try {
      return await attempt('https');
    } catch (e) {
      if (!trust.insecure) throw e;
      try {
        return await attempt('http');
      } catch (e2) {
        // Report the HTTPS failure unless it only said "this is not TLS" (then HTTP's is the real one).
        throw e instanceof NetError && e.notTls ? e2 : e;
      }
    }
  }

  private async authHeader(p: Pinged, t: ProbeTarget): Promise<Record<string, string>> {
    if (p.challenge.scheme === 'basic') return t.credentials ? {authorization: basic(t.credentials)} : {};
    if (p.challenge.scheme !== 'bearer') return {};
    const scope = `repository:${t.repo}:pull`;
    const key = `${p.base.host}|${scope}`;
    const cached = this.tokens.get(key);
    if (cached && cached.expires > this.now()) return {authorization: `Bearer ${await cached.value}`};
    const entry = {value: this.fetchToken(p, t, scope, (secs) => (entry.expires = this.now() + secs * 1000)), expires: Number.POSITIVE_INFINITY};
    this.tokens.set(key, entry);
    try {
      return {authorization: `Bearer ${await entry.value}`};
    } catch (e) {
      this.tokens.delete(key);
      throw e;
    }
  }

  private async fetchToken(p: Pinged, t: ProbeTarget, scope: string, setLifetime: (secs: number) => void): Promise<string> {
    const realm = p.challenge.params.realm;
    if (!realm) throw new RegistryHttpError(401, `${p.base.host}: Bearer challenge without a realm`);
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryHttpError(401, `${p.base.host}: Bearer realm ${JSON.stringify(realm)} is not a URL`);
    }
    if (p.challenge.params.service) url.searchParams.set('service', p.challenge.params.service);
    url.searchParams.set('scope', scope);
    const res = await this.send(url, t.trust, 'GET', t.credentials ? {authorization: basic(t.credentials)} : {}, true);
    if (res.status === 401 || res.status === 403) throw new RegistryHttpError(res.status, `token endpoint ${url.origin}${url.pathname} refused ${t.credentials ? 'the credentials' : 'an anonymous request'} (HTTP ${res.status})`);
    if (res.status !== 200) throw new RegistryHttpError(res.status, `token endpoint ${url.origin}${url.pathname} answered HTTP ${res.status}`);
    let doc: {token?: string; access_token?: string; expires_in?: number};
    try {
      doc = JSON.parse(res.body!.toString('utf8')) as typeof doc;
    } catch {
      throw new RegistryHttpError(res.status, `token endpoint ${url.origin}${url.pathname} did not answer JSON`);
    }
    const token = doc.token ?? doc.access_token;
    if (!token) throw new RegistryHttpError(res.status, `token endpoint ${url.origin}${url.pathname} gave no token`);
    // docker/docker_client.go: tokens without expires_in live 60 s.
    setLifetime(Math.max(1, (typeof doc.expires_in === 'number' ? doc.expires_in : 60) - 5));
    return token;
  }

  /** HEAD /v2/<repo>/manifests/<ref>, after the ping and the auth it asks for. */
  async probe(t: ProbeTarget): Promise<ProbeResult> {
    try {
      let p = await this.ping(t.host, t.trust);
      const url = new URL(`${p.base.href}${t.repo}/manifests/${t.ref}`);
      let headers = {accept: MANIFEST_ACCEPT, ...(await this.authHeader(p, t))};
      let res = await this.send(url, t.trust, 'HEAD', headers);
      // A registry that only challenges on the repository (not on /v2/): follow that challenge once.
      const late = res.status === 401 ? parseChallenge(headerOf(res, 'www-authenticate')) : undefined;
      if (late && late.scheme !== 'none' && late.scheme !== p.challenge.scheme) {
        p = {base: p.base, challenge: late};
        headers = {accept: MANIFEST_ACCEPT, ...(await this.authHeader(p, t))};
        res = await this.send(url, t.trust, 'HEAD', headers);
      }
      // Registries without HEAD on manifests: GET, as containers/image always does.
      if (res.status === 405 || res.status === 501) res = await this.send(url, t.trust, 'GET', headers, true);
      return await this.judge(res, url, t, headers);
    } catch (e) {
      if (e instanceof NetError) return {status: e.kind, reason: e.message};
      if (e instanceof RegistryHttpError) return e.ping ? {status: 'unreachable', httpStatus: e.status, reason: e.message} : fromHttp(e.status, e.message);
      throw e;
    }
  }

  private async judge(res: HttpResponse, url: URL, t: ProbeTarget, headers: Record<string, string>): Promise<ProbeResult> {
    if (res.status !== 200) return fromHttp(res.status, `HEAD ${url.pathname}: HTTP ${res.status}`);
    const isDigest = t.ref.startsWith('sha256:') || t.ref.startsWith('sha512:');
    let digest = headerOf(res, 'docker-content-digest');
    if (isDigest && !digest) {
      const get = res.body ? res : await this.send(url, t.trust, 'GET', headers, true);
      if (get.status !== 200) return fromHttp(get.status, `GET ${url.pathname}: HTTP ${get.status}`);
      const algo = t.ref.slice(0, t.ref.indexOf(':'));
      digest = `${algo}:${createHash(algo).update(get.body!).digest('hex')}`;
    }
    if (isDigest && digest !== t.ref) return {status: 'missing', httpStatus: 200, reason: `digest mismatch: the registry serves ${digest}`, ...(digest ? {digest} : {})};
    return {status: 'served', httpStatus: 200, ...(digest ? {digest} : {})};
  }
}

class RegistryHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The ping failed: nothing is known about the manifest. */
    readonly ping = false,
  ) {
    super(message);
  }
}

function headerOf(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function fromHttp(status: number, reason: string): ProbeResult {
  if (status === 404) return {status: 'missing', httpStatus: status, reason: 'manifest unknown (HTTP 404)'};
  if (status === 401 || status === 403) return {status: 'unauthorized', httpStatus: status, reason};
  return {status: 'unreachable', httpStatus: status, reason};
}
