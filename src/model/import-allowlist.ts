/**
 * The image-import allowlist (`spec.allowedRegistriesForImport`), as the
 * openshift-apiserver's registry whitelister applies it to image stream imports
 * (pkg/image/apis/image/validation/whitelist: NewRegistryWhitelister,
 * WhitelistRegistry, AdmitDockerImageReference). Pure.
 *
 * Facts that surprise admins, all from that code:
 * - an empty or absent list allows every registry;
 * - an entry without a port means port 443, or port 80 when the entry has
 *   `insecure: true`, so `{domainName: quay.io, insecure: true}` does NOT admit a
 *   normal (secure) import from quay.io;
 * - `*` and `?` are globs over the whole host (`*.example.com` does not match
 *   `example.com`; `*` matches dots too);
 * - the internal registry hostname is always admitted;
 * - Docker Hub names are matched as `docker.io` first, then `registry-1.docker.io`.
 */
import type {ImageReference} from './reference.js';
import type {RegistryLocation} from './types.js';

export type ImportTransport = 'secure' | 'insecure' | 'any';

export interface ImportVerdict {
  allowed: boolean;
  /** The allowlist entry that admitted it, as `host:port` glob, or a reason word. */
  matched?: string;
  /** `host:port` the whitelister compared. */
  checked: string;
  reason: string;
}

interface Glob {
  host: string;
  port: string;
}

export function globMatch(s: string, pattern: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.') + '$', 's');
  return re.test(s);
}

function splitHostPort(hp: string): [string, string] | undefined {
  if (hp.startsWith('[')) {
    const end = hp.indexOf(']');
    if (end === -1 || hp[end + 1] !== ':') return undefined;
    return [hp.slice(1, end), hp.slice(end + 2)];
  }
  const i = hp.lastIndexOf(':');
  if (i === -1 || hp.indexOf(':') !== i) return undefined;
  return [hp.slice(0, i), hp.slice(i + 1)];
}

function globsFor(domainName: string, transport: 'secure' | 'insecure'): Glob[] | string {
  const parts = domainName.split(':');
  if (parts.length === 1) return [{host: parts[0]!, port: transport === 'insecure' ? '80' : '443'}];
  if (parts.length === 2) return [{host: parts[0]!, port: parts[1]!}];
  return `failed to parse allowed registry ${JSON.stringify(domainName)}: too many colons`;
}

const V1 = 'index.docker.io';
const V2 = 'registry-1.docker.io';
const HUB = 'docker.io';

export function admitImport(ref: ImageReference, allowed: RegistryLocation[] | undefined, internalRegistry: string | undefined, transport: ImportTransport = 'secure'): ImportVerdict {
  const registry = ref.domain || HUB;
  if (!allowed || allowed.length === 0) return {allowed: true, matched: '*', checked: registry, reason: 'allowedRegistriesForImport is empty: every registry is allowed'};
  const globs: Glob[] = [];
  const add = (g: Glob) => {
    if (!globs.some((x) => x.host === g.host && x.port === g.port)) globs.push(g);
  };
  for (const e of allowed) {
    const g = globsFor(e.domainName, e.insecure ? 'insecure' : 'secure');
    if (typeof g === 'string') return {allowed: false, checked: registry, reason: `the openshift-apiserver cannot build its allowlist: ${g}`};
    g.forEach(add);
  }
  if (internalRegistry) {
    const g = globsFor(internalRegistry, 'secure');
    if (typeof g !== 'string') g.forEach(add);
  }
  const v2 = registry === HUB || registry === V1 ? V2 : registry;
  let host: string;
  let port: string;
  const hostPort = (insecure: boolean): [string, string] => splitHostPort(v2) ?? [v2, insecure ? '80' : '443'];
  if (transport === 'any') {
    const hp = splitHostPort(registry);
    [host, port] = hp && hp[1] !== '' ? hp : [registry, ''];
    if (host === '') host = hostPort(false)[0];
  } else [host, port] = hostPort(transport === 'insecure');
  const match = (h: string): Glob | undefined =>
    globs.find((g) => globMatch(h, g.host) && (port === '' ? ['80', '443', '*'].includes(g.port) : globMatch(port, g.port)));
  let hit: Glob | undefined;
  if (host === V1 || host === V2) hit = match(HUB);
  hit ??= match(host);
  const checked = port ? `${host}:${port}` : host;
  if (hit) {
    const ig = internalRegistry === undefined ? undefined : globsFor(internalRegistry, 'secure');
    const internal = Array.isArray(ig) && ig.some((g) => g.host === hit!.host && g.port === hit!.port) && !allowed.some((e) => e.domainName === internalRegistry);
    return {allowed: true, matched: `${hit.host}:${hit.port}`, checked, reason: internal ? 'the internal registry is always allowed' : `matches allowedRegistriesForImport entry ${hit.host}:${hit.port}`};
  }
  return {allowed: false, checked, reason: `registry ${JSON.stringify(registry)} not allowed by whitelist: ${globs.slice(0, 5).map((g) => JSON.stringify(`${g.host}:${g.port}`)).join(', ')}${globs.length > 5 ? `, and ${globs.length - 5} more ...` : ''}`};
}
