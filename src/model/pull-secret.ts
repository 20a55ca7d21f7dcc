/**
 * Registry credentials from a pull secret: a dockerconfigjson (`{"auths": {...}}`, as in
 * openshift-config/pull-secret), a containers auth.json (same shape), or a legacy
 * .dockercfg (the map without "auths"). Matched as containers/image
 * pkg/docker/config findCredentialsInFile does: the most specific `host/path`
 * key first, down to the bare host, then keys written as URLs (legacy Docker form,
 * `https://host/v1/`) normalised to their host. Pure; credentials never leave this
 * object except as the request header the client builds.
 */

export interface Credentials {
  username: string;
  password: string;
}

export interface PullSecret {
  /** Normalised key -> credentials. */
  entries: Map<string, Credentials>;
  /** Keys that had no usable username/password (identity tokens are not supported). */
  unusable: string[];
}

export class PullSecretError extends Error {
  override name = 'PullSecretError';
}

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
}

function decodeEntry(e: AuthEntry): Credentials | undefined {
  if (typeof e.auth === 'string' && e.auth !== '') {
    const text = Buffer.from(e.auth, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon <= 0) return undefined;
    return {username: text.slice(0, colon), password: text.slice(colon + 1)};
  }
  if (typeof e.username === 'string' && e.username !== '' && typeof e.password === 'string') return {username: e.username, password: e.password};
  return undefined;
}

/** `https://index.docker.io/v1/` -> `docker.io`; `host/path` keys stay as they are (c/image normalizeAuthFileKey). */
export function normalizeAuthKey(key: string): string {
  let k = key;
  const legacy = /^https?:\/\//.test(k);
  if (legacy) {
    k = k.replace(/^https?:\/\//, '');
    k = k.split('/')[0]!;
  }
  if (k === 'index.docker.io' || k === 'registry-1.docker.io') return 'docker.io';
  if (k.startsWith('index.docker.io/')) return 'docker.io/' + k.slice('index.docker.io/'.length);
  return k;
}

/** Parse a pull secret; `what` names it in errors (a file path, or Secret/namespace/name). Never echoes values. */
export function parsePullSecret(text: string, what: string): PullSecret {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // The parser's message may quote the text (and so a credential): say only where.
    throw new PullSecretError(`${what}: not JSON (want a dockerconfigjson or containers auth.json)`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new PullSecretError(`${what}: want a JSON object with "auths"`);
  const obj = doc as Record<string, unknown>;
  const auths = 'auths' in obj ? obj.auths : obj;
  if (!auths || typeof auths !== 'object' || Array.isArray(auths)) throw new PullSecretError(`${what}: "auths" must be an object of registry -> {auth}`);
  const entries = new Map<string, Credentials>();
  const unusable: string[] = [];
  // Exact keys first, so that a `host/path` key is never shadowed by a legacy URL key.
  const keys = Object.keys(auths as Record<string, unknown>);
  for (const legacyPass of [false, true]) {
    for (const key of keys) {
      if (/^https?:\/\//.test(key) !== legacyPass) continue;
      const e = (auths as Record<string, unknown>)[key];
      const creds = e && typeof e === 'object' ? decodeEntry(e as AuthEntry) : undefined;
      const norm = normalizeAuthKey(key);
      if (!creds) unusable.push(key);
      else if (!entries.has(norm)) entries.set(norm, creds);
    }
  }
  return {entries, unusable};
}

/**
 * Credentials for a repository (`host[:port]/path`), most specific key first:
 * `host/a/b`, `host/a`, `host`. undefined: anonymous.
 */
export function credentialsFor(secret: PullSecret | undefined, repository: string): {key: string; credentials: Credentials} | undefined {
  if (!secret) return undefined;
  let name = repository;
  for (;;) {
    const c = secret.entries.get(name);
    if (c) return {key: name, credentials: c};
    const slash = name.lastIndexOf('/');
    if (slash === -1) return undefined;
    name = name.slice(0, slash);
  }
}
