/**
 * An in-memory Kubernetes API server for tests: real HTTP on 127.0.0.1 (node:http),
 * so the real `@kubernetes/client-node` (and `bin/run.js` child processes) talk to it
 * through a generated kubeconfig.
 *
 * Covers: cluster-scoped and namespaced resources (table below, extendable), GET, LIST,
 * WATCH (newline-delimited events, resourceVersion replay), POST, PUT (incl. /status),
 * PATCH (merge-patch, strategic-merge treated as merge-patch, json-patch incl. `test`),
 * DELETE; one monotonically increasing resourceVersion counter, 409 on a stale write,
 * 409 AlreadyExists, 404 NotFound with Kubernetes `Status` bodies; optional bearer-token
 * check (401); per-resource validators (422); injectable faults (any status, N times,
 * delays, the Nth or every Nth match, raw bodies, hanging) matched by verb/resource/name; API
 * discovery (/api/v1, /apis, /apis/GROUP/VERSION) of the served resources; `?dryRun=All`
 * (validated and answered, nothing stored); a request log; direct store access for tests.
 *
 * Self-contained: depends only on node built-ins.
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {AddressInfo} from 'node:net';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

export interface ResourceType {
  group: string; // '' for the core group
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown> & {name?: string; namespace?: string; resourceVersion?: string};
};

export const DEFAULT_RESOURCES: ResourceType[] = [
  {group: 'config.openshift.io', version: 'v1', plural: 'images', kind: 'Image', namespaced: false},
  {group: 'config.openshift.io', version: 'v1', plural: 'clusterversions', kind: 'ClusterVersion', namespaced: false},
  {group: 'operator.openshift.io', version: 'v1alpha1', plural: 'imagecontentsourcepolicies', kind: 'ImageContentSourcePolicy', namespaced: false},
  {group: 'config.openshift.io', version: 'v1', plural: 'imagedigestmirrorsets', kind: 'ImageDigestMirrorSet', namespaced: false},
  {group: 'config.openshift.io', version: 'v1', plural: 'imagetagmirrorsets', kind: 'ImageTagMirrorSet', namespaced: false},
  {group: 'config.openshift.io', version: 'v1', plural: 'clusterimagepolicies', kind: 'ClusterImagePolicy', namespaced: false},
  {group: 'config.openshift.io', version: 'v1', plural: 'imagepolicies', kind: 'ImagePolicy', namespaced: true},
  {group: 'machineconfiguration.openshift.io', version: 'v1', plural: 'machineconfigs', kind: 'MachineConfig', namespaced: false},
  {group: 'machineconfiguration.openshift.io', version: 'v1', plural: 'machineconfigpools', kind: 'MachineConfigPool', namespaced: false},
  {group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false},
  {group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true},
  {group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true},
  {group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false},
  {group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true},
];

export interface Fault {
  verb?: Verb | Verb[];
  /** Plural resource name, e.g. `images`. */
  resource?: string;
  name?: string;
  namespace?: string;
  /** Respond with this status (a Kubernetes Status body); omit to only delay. */
  status?: number;
  message?: string;
  reason?: string;
  /** How many matching requests it applies to (default: all). */
  times?: number;
  /** Wait before answering (or before failing). */
  delayMs?: number;
  /** Drop the connection instead of answering. */
  destroy?: boolean;
  /** Apply only to the Nth matching request (1-based), e.g. the second write. */
  nth?: number;
  /** Apply to every Nth matching request (the 3rd, 6th, ...). */
  every?: number;
  /** Answer with this raw body (e.g. a proxy's HTML page) instead of a Status. */
  body?: string;
  contentType?: string;
  /** Extra response headers (e.g. Retry-After). */
  headers?: Record<string, string>;
  /** Accept the request and never answer. */
  hang?: boolean;
  /** Matching requests seen so far (maintained by the server). */
  seen?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  verb: Verb | 'other';
  resource?: string;
  name?: string;
  namespace?: string;
  contentType?: string;
  status: number;
  /** Authorization user (from the token table) or undefined. */
  user?: string;
  /** Sent with `?dryRun=All`: validated and answered, nothing stored. */
  dryRun?: boolean;
}

/** Returns problems (422 Invalid) for an object about to be stored; empty when fine. */
export type Validator = (obj: KubeObject, old: KubeObject | undefined) => Array<{field: string; message: string}>;

export interface FakeApiServerOptions {
  resources?: ResourceType[];
  /** token -> user name; when set, requests without a known bearer token get 401. */
  tokens?: Record<string, string>;
  /** Initial objects. */
  objects?: KubeObject[];
}

interface WatchClient {
  res: ServerResponse;
  type: ResourceType;
  namespace?: string;
  fieldName?: string;
  labels?: Record<string, string>;
}

interface Event {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  rt: ResourceType;
}

const clone = <T>(x: T): T => (x === undefined ? x : (JSON.parse(JSON.stringify(x)) as T));

function status(code: number, reason: string, message: string, details?: Record<string, unknown>): KubeObject {
  return {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, ...(details ? {details} : {})};
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch);
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? {...(target as Record<string, unknown>)} : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

class PatchError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

function decodePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw new PatchError(`invalid JSON pointer ${p}`, 400);
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b) || (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && canon(a) === canon(b));
}
function canon(x: unknown): string {
  if (Array.isArray(x)) return '[' + x.map(canon).join(',') + ']';
  if (x && typeof x === 'object') {
    return (
      '{' +
      Object.keys(x)
        .sort()
        .map((k) => JSON.stringify(k) + ':' + canon((x as Record<string, unknown>)[k]))
        .join(',') +
      '}'
    );
  }
  return JSON.stringify(x);
}

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test). */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new PatchError('a json-patch body must be a list of operations', 400);
  let root = clone(doc);
  const parentOf = (path: string[]): {parent: unknown; key: string} => {
    let cur: unknown = root;
    for (const seg of path.slice(0, -1)) {
      if (cur === null || typeof cur !== 'object') throw new PatchError(`path segment ${seg} not found`, 422);
      cur = Array.isArray(cur) ? cur[Number(seg)] : (cur as Record<string, unknown>)[seg];
      if (cur === undefined) throw new PatchError(`path segment ${seg} not found`, 422);
    }
    return {parent: cur, key: path[path.length - 1]!};
  };
  const getAt = (path: string[]): unknown => {
    let cur: unknown = root;
    for (const seg of path) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = Array.isArray(cur) ? cur[Number(seg)] : (cur as Record<string, unknown>)[seg];
    }
    return cur;
  };
  const removeAt = (path: string[]): unknown => {
    if (path.length === 0) throw new PatchError('cannot remove the root', 422);
    const {parent, key} = parentOf(path);
    if (Array.isArray(parent)) {
      const i = Number(key);
      if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw new PatchError(`remove: index ${key} out of range`, 422);
      return parent.splice(i, 1)[0];
    }
    if (parent === null || typeof parent !== 'object' || !(key in parent)) throw new PatchError(`remove: ${key} not found`, 422);
    const v = (parent as Record<string, unknown>)[key];
    delete (parent as Record<string, unknown>)[key];
    return v;
  };
  const addAt = (path: string[], value: unknown) => {
    if (path.length === 0) {
      root = clone(value);
      return;
    }
    const {parent, key} = parentOf(path);
    if (Array.isArray(parent)) {
      const i = key === '-' ? parent.length : Number(key);
      if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new PatchError(`add: index ${key} out of range`, 422);
      parent.splice(i, 0, clone(value));
    } else if (parent && typeof parent === 'object') (parent as Record<string, unknown>)[key] = clone(value);
    else throw new PatchError(`add: parent of ${key} is not a container`, 422);
  };
  for (const op of ops as Array<{op: string; path: string; value?: unknown; from?: string}>) {
    const path = decodePointer(op.path);
    switch (op.op) {
      case 'add':
        addAt(path, op.value);
        break;
      case 'remove':
        removeAt(path);
        break;
      case 'replace':
        removeAt(path);
        addAt(path, op.value);
        break;
      case 'move': {
        const v = removeAt(decodePointer(op.from ?? ''));
        addAt(path, v);
        break;
      }
      case 'copy':
        addAt(path, getAt(decodePointer(op.from ?? '')));
        break;
      case 'test':
        if (!deepEqual(getAt(path), op.value)) throw new PatchError(`test operation failed at ${op.path}`, 422);
        break;
      default:
        throw new PatchError(`unknown json-patch op ${op.op}`, 400);
    }
  }
  return root;
}

function labelsMatch(obj: KubeObject, want?: Record<string, string>): boolean {
  if (!want) return true;
  const labels = (obj.metadata?.labels ?? {}) as Record<string, string>;
  return Object.entries(want).every(([k, v]) => labels[k] === v);
}

function parseSelector(s: string | null): Record<string, string> | undefined {
  if (!s) return undefined;
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const [k, v] = part.split(/==?/);
    if (k) out[k.trim()] = (v ?? '').trim();
  }
  return out;
}

export class FakeApiServer {
  readonly resources: ResourceType[];
  /** plural -> key (ns/name) -> object */
  private store = new Map<string, Map<string, KubeObject>>();
  private rv = 1000;
  private faults: Fault[] = [];
  private validators = new Map<string, Validator[]>();
  private watchers = new Set<WatchClient>();
  private events: Event[] = [];
  readonly requests: RequestRecord[] = [];
  private server?: Server;
  private tokens?: Record<string, string>;
  url = '';
  /** Called for every API request before faults and handling (e.g. to change the store between a read and a write). */
  onRequest?: (rec: RequestRecord) => void | Promise<void>;

  constructor(opts: FakeApiServerOptions = {}) {
    this.resources = [...(opts.resources ?? DEFAULT_RESOURCES)];
    this.tokens = opts.tokens;
    for (const o of opts.objects ?? []) this.put(o);
  }

  static async start(opts: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const s = new FakeApiServer(opts);
    await s.listen();
    return s;
  }

  async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        if (!res.headersSent) this.send(res, 500, status(500, 'InternalError', `fake apiserver bug: ${(e as Error).message}`));
        else res.destroy();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${addr.port}`;
  }

  async close(): Promise<void> {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  // ---------- test-facing store API ----------

  /** The current resourceVersion counter. */
  get resourceVersion(): number {
    return this.rv;
  }

  typeOf(kindOrPlural: string, apiVersion?: string): ResourceType {
    const t = this.resources.find((r) => (r.plural === kindOrPlural || r.kind === kindOrPlural) && (!apiVersion || (r.group ? `${r.group}/${r.version}` : r.version) === apiVersion));
    if (!t) throw new Error(`fake apiserver: unknown resource ${kindOrPlural}${apiVersion ? ` (${apiVersion})` : ''}`);
    return t;
  }

  addResource(t: ResourceType): void {
    this.resources.push(t);
  }

  /** A copy of one stored object, or undefined. `resource` is a plural or a kind. */
  get(resource: string, name: string, namespace?: string): KubeObject | undefined {
    const t = this.typeOf(resource);
    return clone(this.bucket(t.plural).get(this.key(t, name, namespace)));
  }

  /** Copies of every object of a resource (optionally one namespace). */
  list(resource: string, namespace?: string): KubeObject[] {
    const t = this.typeOf(resource);
    return [...this.bucket(t.plural).values()].filter((o) => !namespace || o.metadata?.namespace === namespace).map(clone);
  }

  /** Store an object directly (create or replace), bumping the resourceVersion and notifying watchers. Returns the stored copy. */
  put(obj: KubeObject): KubeObject {
    if (!obj.kind) throw new Error('fake apiserver put: object has no kind');
    const t = this.typeOf(obj.kind, obj.apiVersion);
    const name = obj.metadata?.name;
    if (!name) throw new Error('fake apiserver put: object has no metadata.name');
    const ns = t.namespaced ? (obj.metadata?.namespace ?? 'default') : undefined;
    const old = this.bucket(t.plural).get(this.key(t, name, ns));
    return clone(this.store_(t, {...clone(obj), apiVersion: this.apiVersion(t), kind: t.kind}, old, ns));
  }

  /** Modify a stored object in place with a function (a write by "someone else"). */
  modify(resource: string, name: string, fn: (o: KubeObject) => void, namespace?: string): KubeObject {
    const cur = this.get(resource, name, namespace);
    if (!cur) throw new Error(`fake apiserver modify: ${resource}/${name} not found`);
    fn(cur);
    return this.put(cur);
  }

  remove(resource: string, name: string, namespace?: string): boolean {
    const t = this.typeOf(resource);
    const b = this.bucket(t.plural);
    const k = this.key(t, name, namespace);
    const old = b.get(k);
    if (!old) return false;
    b.delete(k);
    this.emit(t, 'DELETED', {...old, metadata: {...old.metadata, resourceVersion: String(++this.rv)}});
    return true;
  }

  /** Inject a fault; returns a function removing it. */
  fault(f: Fault): () => void {
    const copy = {...f};
    this.faults.push(copy);
    return () => {
      this.faults = this.faults.filter((x) => x !== copy);
    };
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Add a validator for a resource (plural or kind); a non-empty result answers 422 Invalid. */
  validate(resource: string, v: Validator): void {
    const t = this.typeOf(resource);
    this.validators.set(t.plural, [...(this.validators.get(t.plural) ?? []), v]);
  }

  /** Requests so far matching a filter. */
  count(filter: Partial<Pick<RequestRecord, 'verb' | 'resource' | 'name' | 'status'>> = {}): number {
    return this.requests.filter((r) => Object.entries(filter).every(([k, v]) => r[k as keyof RequestRecord] === v)).length;
  }

  /** Write a kubeconfig for this server into `dir` (default: a new temp dir); returns its path. */
  writeKubeconfig(opts: {dir?: string; file?: string; context?: string; user?: string; token?: string; namespace?: string} = {}): string {
    const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'fake-kube-'));
    const path = join(dir, opts.file ?? 'kubeconfig');
    writeFileSync(path, this.kubeconfig(opts));
    return path;
  }

  kubeconfig(opts: {context?: string; user?: string; token?: string; namespace?: string} = {}): string {
    const ctx = opts.context ?? 'fake';
    const user = opts.user ?? 'fake-admin';
    const token = opts.token ?? Object.keys(this.tokens ?? {})[0] ?? 'fake-token';
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: ${ctx}-cluster`,
      '  cluster:',
      `    server: ${this.url}`,
      // client-node refuses plain http unless TLS verification is "skipped" (there is no TLS).
      '    insecure-skip-tls-verify: true',
      'users:',
      `- name: ${user}`,
      '  user:',
      `    token: ${token}`,
      'contexts:',
      `- name: ${ctx}`,
      '  context:',
      `    cluster: ${ctx}-cluster`,
      `    user: ${user}`,
      ...(opts.namespace ? [`    namespace: ${opts.namespace}`] : []),
      `current-context: ${ctx}`,
      '',
    ].join('\n');
  }

  // ---------- internals ----------

  private apiVersion(t: ResourceType): string {
    return t.group ? `${t.group}/${t.version}` : t.version;
  }

  private bucket(plural: string): Map<string, KubeObject> {
    let b = this.store.get(plural);
    if (!b) this.store.set(plural, (b = new Map()));
    return b;
  }

  private key(t: ResourceType, name: string, ns?: string): string {
    return t.namespaced ? `${ns ?? 'default'}/${name}` : name;
  }

  private store_(t: ResourceType, obj: KubeObject, old: KubeObject | undefined, ns: string | undefined): KubeObject {
    const meta = {...(obj.metadata ?? {})} as Record<string, unknown>;
    const oldMeta = (old?.metadata ?? {}) as Record<string, unknown>;
    meta.resourceVersion = String(++this.rv);
    meta.uid = oldMeta.uid ?? `uid-${t.plural}-${meta.name}-${this.rv}`;
    meta.creationTimestamp = oldMeta.creationTimestamp ?? new Date(0).toISOString();
    if (ns) meta.namespace = ns;
    else delete meta.namespace;
    const specChanged = !old || canon(old.spec) !== canon(obj.spec);
    meta.generation = ((oldMeta.generation as number | undefined) ?? 0) + (specChanged ? 1 : 0) || 1;
    const stored = {...obj, metadata: meta};
    this.bucket(t.plural).set(this.key(t, meta.name as string, ns), stored);
    this.emit(t, old ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  private emit(rt: ResourceType, type: Event['type'], object: KubeObject): void {
    const ev: Event = {rv: Number(object.metadata?.resourceVersion ?? this.rv), type, object: clone(object), rt};
    this.events.push(ev);
    if (this.events.length > 10000) this.events.splice(0, this.events.length - 10000);
    for (const w of this.watchers) this.sendEvent(w, ev);
  }

  private sendEvent(w: WatchClient, ev: Event): void {
    if (ev.rt !== w.type) return;
    if (w.namespace && ev.object.metadata?.namespace !== w.namespace) return;
    if (w.fieldName && ev.object.metadata?.name !== w.fieldName) return;
    if (!labelsMatch(ev.object, w.labels)) return;
    w.res.write(JSON.stringify({type: ev.type, object: ev.object}) + '\n');
  }

  private send(res: ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text)});
    res.end(text);
  }

  private fail(res: ServerResponse, rec: RequestRecord, code: number, message: string, reason?: string, details?: Record<string, unknown>): void {
    rec.status = code;
    this.send(res, code, status(code, reason ?? REASONS[code] ?? 'Unknown', message, details));
  }

  private async readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  /** API discovery documents of the served resources, like the real server (undefined: not a discovery path). */
  private discovery(pathname: string): unknown {
    const parts = pathname.split('/').filter(Boolean);
    const served = (group: string, version: string) => this.resources.filter((r) => r.group === group && r.version === version);
    const list = (gv: string, rs: ResourceType[]) => ({kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: rs.map((r) => ({name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']}))});
    if (parts.length === 2 && parts[0] === 'api' && parts[1] === 'v1') return list('v1', served('', 'v1'));
    if (parts.length === 1 && parts[0] === 'apis') {
      const groups = [...new Set(this.resources.filter((r) => r.group).map((r) => r.group))];
      return {kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map((g) => {
        const versions = [...new Set(this.resources.filter((r) => r.group === g).map((r) => r.version))].map((v) => ({groupVersion: `${g}/${v}`, version: v}));
        return {name: g, versions, preferredVersion: versions[0]};
      })};
    }
    if (parts.length === 3 && parts[0] === 'apis') {
      const rs = served(parts[1]!, parts[2]!);
      return rs.length > 0 ? list(`${parts[1]}/${parts[2]}`, rs) : undefined;
    }
    return undefined;
  }

  private parsePath(pathname: string): {t?: ResourceType; ns?: string; name?: string; sub?: string; other?: boolean} {
    const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let group = '';
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts.length >= 2) {
      version = parts[1]!;
      rest = parts.slice(2);
    } else if (parts[0] === 'apis' && parts.length >= 3) {
      group = parts[1]!;
      version = parts[2]!;
      rest = parts.slice(3);
    } else return {other: true};
    let ns: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      ns = rest[1];
      rest = rest.slice(2);
    }
    const plural = rest[0];
    if (!plural) return {other: true};
    const t = this.resources.find((r) => r.group === group && r.version === version && r.plural === plural);
    return {t, ns, name: rest[1], sub: rest[2]};
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const p = this.parsePath(url.pathname);
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    let verb: Verb | 'other' = 'other';
    if (p.t) {
      if (method === 'GET') verb = p.name ? 'get' : watch ? 'watch' : 'list';
      else if (method === 'POST') verb = 'create';
      else if (method === 'PUT') verb = 'update';
      else if (method === 'PATCH') verb = 'patch';
      else if (method === 'DELETE') verb = 'delete';
    }
    const rec: RequestRecord = {method, path: url.pathname + url.search, verb, resource: p.t?.plural ?? p.name, name: p.name, namespace: p.ns, contentType: req.headers['content-type'], status: 200};
    this.requests.push(rec);

    if (this.tokens) {
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      rec.user = this.tokens[token];
      if (!rec.user) return this.fail(res, rec, 401, 'Unauthorized');
    }

    if (this.onRequest) await this.onRequest(rec);

    // Faults.
    for (const f of this.faults) {
      if (f.times !== undefined && f.times <= 0) continue;
      const verbs = f.verb === undefined ? undefined : Array.isArray(f.verb) ? f.verb : [f.verb];
      if (verbs && !verbs.includes(verb as Verb)) continue;
      if (f.resource && f.resource !== rec.resource) continue;
      if (f.name && f.name !== p.name) continue;
      if (f.namespace && f.namespace !== p.ns) continue;
      f.seen = (f.seen ?? 0) + 1;
      if (f.nth !== undefined && f.seen !== f.nth) continue;
      if (f.every !== undefined && f.seen % f.every !== 0) continue;
      if (f.times !== undefined) f.times--;
      if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
      if (f.hang) {
        rec.status = 0;
        return;
      }
      if (f.destroy) {
        rec.status = 0;
        req.socket.destroy();
        return;
      }
      if (f.body !== undefined) {
        rec.status = f.status ?? 200;
        res.writeHead(rec.status, {'content-type': f.contentType ?? 'text/html', ...f.headers});
        res.end(f.body);
        return;
      }
      if (f.status) {
        const who = rec.user ? `User "${rec.user}"` : 'User "fake-admin"';
        const msg = f.message ?? (f.status === 403 ? `${p.t?.plural ?? rec.resource} is forbidden: ${who} cannot ${verb} resource "${rec.resource}"` : `injected ${f.status}`);
        if (f.headers) for (const [k, v] of Object.entries(f.headers)) res.setHeader(k, v);
        return this.fail(res, rec, f.status, msg, f.reason);
      }
      break;
    }

    if (url.pathname === '/version') {
      rec.status = 200;
      return this.send(res, 200, {major: '1', minor: '31', gitVersion: 'v1.31.0-fake'});
    }
    const discovery = method === 'GET' ? this.discovery(url.pathname) : undefined;
    if (discovery) {
      rec.status = 200;
      return this.send(res, 200, discovery);
    }
    if (p.other || !p.t) return this.fail(res, rec, 404, `the server could not find the requested resource (${url.pathname})`);
    const dryRun = url.searchParams.get('dryRun');
    if (dryRun !== null && dryRun !== 'All') return this.fail(res, rec, 400, `Invalid dry run value: ${dryRun}`);
    if (dryRun) rec.dryRun = true;
    const t = p.t;
    if (t.namespaced && !p.ns && p.name) return this.fail(res, rec, 404, `${t.plural} is namespaced: use /namespaces/NS/${t.plural}/${p.name}`);
    if (!t.namespaced && p.ns) return this.fail(res, rec, 404, `${t.plural} is cluster-scoped`);
    const b = this.bucket(t.plural);
    const gr = t.group ? `${t.plural}.${t.group}` : t.plural;
    const notFound = () => this.fail(res, rec, 404, `${gr} "${p.name}" not found`, 'NotFound', {name: p.name, group: t.group, kind: t.plural});

    if (verb === 'list' || verb === 'watch') {
      const labels = parseSelector(url.searchParams.get('labelSelector'));
      const fields = parseSelector(url.searchParams.get('fieldSelector'));
      const fieldName = fields?.['metadata.name'];
      const items = [...b.values()].filter((o) => (!p.ns || o.metadata?.namespace === p.ns) && (!fieldName || o.metadata?.name === fieldName) && labelsMatch(o, labels));
      if (verb === 'list') {
        rec.status = 200;
        return this.send(res, 200, {apiVersion: this.apiVersion(t), kind: `${t.kind}List`, metadata: {resourceVersion: String(this.rv)}, items: items.map(clone)});
      }
      res.writeHead(200, {'content-type': 'application/json', 'transfer-encoding': 'chunked'});
      const w: WatchClient = {res, type: t, namespace: p.ns, fieldName, labels};
      const since = url.searchParams.get('resourceVersion');
      if (since && since !== '0') {
        for (const ev of this.events) if (ev.rv > Number(since)) this.sendEvent(w, ev);
      } else for (const o of items) w.res.write(JSON.stringify({type: 'ADDED', object: o}) + '\n');
      this.watchers.add(w);
      const timeout = Number(url.searchParams.get('timeoutSeconds') ?? 0);
      const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        this.watchers.delete(w);
      };
      req.on('close', done);
      res.on('close', done);
      return;
    }

    const key = p.name ? this.key(t, p.name, p.ns) : '';
    const cur = p.name ? b.get(key) : undefined;

    if (verb === 'get') {
      if (!cur) return notFound();
      rec.status = 200;
      return this.send(res, 200, cur);
    }
    if (verb === 'delete') {
      if (!cur) return notFound();
      if (!rec.dryRun) this.remove(t.plural, p.name!, p.ns);
      rec.status = 200;
      return this.send(res, 200, cur);
    }

    const text = await this.readBody(req);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return this.fail(res, rec, 400, 'the request body is not JSON');
    }

    let next: KubeObject;
    if (verb === 'create') {
      if (p.name) return this.fail(res, rec, 405, 'POST to a named resource');
      next = (body ?? {}) as KubeObject;
      const name = next.metadata?.name;
      if (!name) return this.fail(res, rec, 422, `${t.kind} is invalid: metadata.name: Required value`);
      if (b.has(this.key(t, name, p.ns))) return this.fail(res, rec, 409, `${gr} "${name}" already exists`, 'AlreadyExists');
      if (t.namespaced) next = {...next, metadata: {...next.metadata, namespace: p.ns}};
      const meta = {...(next.metadata ?? {})};
      delete meta.resourceVersion;
      next = {...next, metadata: meta};
    } else if (verb === 'update') {
      if (!cur) return notFound();
      next = (body ?? {}) as KubeObject;
      if (next.metadata?.name !== p.name) return this.fail(res, rec, 400, `the name of the object (${next.metadata?.name}) does not match the name on the URL (${p.name})`);
      const sentRv = next.metadata?.resourceVersion;
      if (sentRv && sentRv !== cur.metadata?.resourceVersion) {
        return this.fail(res, rec, 409, `Operation cannot be fulfilled on ${gr} "${p.name}": the object has been modified; please apply your changes to the latest version and try again`, 'Conflict');
      }
      if (p.sub === 'status') next = {...clone(cur), status: next.status};
      else if (!p.sub) next = {...next, status: next.status ?? cur.status};
    } else if (verb === 'patch') {
      if (!cur) return notFound();
      const ct = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
      try {
        if (ct === 'application/json-patch+json') next = jsonPatch(cur, body) as KubeObject;
        else if (ct === 'application/merge-patch+json' || ct === 'application/strategic-merge-patch+json') next = mergePatch(cur, body) as KubeObject;
        else return this.fail(res, rec, 415, `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json (got ${ct || 'none'})`);
      } catch (e) {
        if (e instanceof PatchError) return this.fail(res, rec, e.code, e.message);
        throw e;
      }
      const sentRv = next.metadata?.resourceVersion;
      if (sentRv && sentRv !== cur.metadata?.resourceVersion) {
        return this.fail(res, rec, 409, `Operation cannot be fulfilled on ${gr} "${p.name}": the object has been modified; please apply your changes to the latest version and try again`, 'Conflict');
      }
      if (next.metadata?.name !== p.name) return this.fail(res, rec, 422, 'metadata.name cannot be changed by a patch');
    } else return this.fail(res, rec, 405, `method ${method} not allowed`);

    next = {...next, apiVersion: this.apiVersion(t), kind: t.kind};
    const problems = (this.validators.get(t.plural) ?? []).flatMap((v) => v(clone(next), clone(cur)));
    if (problems.length > 0) {
      const name = next.metadata?.name;
      return this.fail(res, rec, 422, `${t.kind}.${t.group || 'core'} "${name}" is invalid: ${problems.map((x) => `${x.field}: ${x.message}`).join(', ')}`, 'Invalid', {
        name,
        kind: t.kind,
        causes: problems.map((x) => ({field: x.field, message: x.message, reason: 'FieldValueInvalid'})),
      });
    }
    if (rec.dryRun) {
      // Validated and answered as if stored; nothing is stored, no resourceVersion is used up.
      rec.status = verb === 'create' ? 201 : 200;
      return this.send(res, rec.status, {...next, metadata: {...next.metadata, ...(t.namespaced ? {namespace: p.ns} : {}), resourceVersion: cur?.metadata?.resourceVersion ?? ''}});
    }
    const stored = this.store_(t, next, cur, t.namespaced ? p.ns : undefined);
    rec.status = verb === 'create' ? 201 : 200;
    this.send(res, rec.status, stored);
  }
}
