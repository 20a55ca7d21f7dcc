/**
 * What a node's containers/image reads from its files: registries.conf plus the
 * registries.conf.d drop-ins (merged as pkg/sysregistriesv2 tryUpdatingCache and
 * updateWithConfigurationFrom do), policy.json, and which certs.d directories
 * exist. Pure: takes file paths and contents (e.g. the rendered node view).
 */
import {parseToml} from '../lib/toml.js';
import {CERT_DIRS, POLICY_JSON_PATH, REGISTRIES_CONF_D, REGISTRIES_CONF_PATH, type NodeFileText} from './node-files.js';
import type {Endpoint, PullFromMirror, RegistriesConf, Registry} from './registries-conf.js';
import {loadRegistries, RegistriesConfError, type LoadedRegistry} from './sysregistries.js';


export type ShortNameMode = 'enforcing' | 'permissive' | 'disabled';


/** A registries.conf entry and the file that defined it. */
export interface NodeRegistry extends LoadedRegistry {
  file: string;
}

export interface Alias {
  value: string;
  file: string;
}

export interface PolicyRequirementIn {
  type: string;
  [k: string]: unknown;
}

export interface PolicyJson {
  default: PolicyRequirementIn[];
  transports: Record<string, Record<string, PolicyRequirementIn[]>>;
}

export interface NodeConfig {
  /** Files read, in the order containers/image reads them. */
  registriesFiles: string[];
  registries: NodeRegistry[];
  searchRegistries: string[];
  searchOrigin: string;
  shortNameMode: ShortNameMode;
  /** File that set the mode, or undefined for the built-in default (permissive). */
  shortNameModeOrigin?: string;
  aliases: Map<string, Alias>;
  policy?: PolicyJson;
  /** Why policy.json cannot be used (containers/image then refuses every pull). */
  policyError?: string;
  /** `host:port` directory names present under each CERT_DIRS entry, with their files. */
  certDirs: Map<string, Map<string, string[]>>;
}

export class NodeConfigError extends Error {
  override name = 'NodeConfigError';
}

const anchoredDomain = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;

interface ParsedFile {
  path: string;
  registries: NodeRegistry[];
  search?: string[];
  shortNameMode?: ShortNameMode;
  aliases: Map<string, string>;
}

function str(v: unknown, what: string, file: string): string {
  if (v === undefined) return '';
  if (typeof v !== 'string') throw new NodeConfigError(`${file}: ${what} must be a string`);
  return v;
}

function bool(v: unknown, what: string, file: string): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new NodeConfigError(`${file}: ${what} must be a boolean`);
  return v;
}

function pullFromMirror(v: unknown, location: string, file: string): PullFromMirror {
  const s = str(v, 'pull-from-mirror', file);
  if (s !== '' && s !== 'all' && s !== 'digest-only' && s !== 'tag-only') {
    throw new NodeConfigError(`${file}: unsupported pull-from-mirror value ${JSON.stringify(s)} for mirror ${JSON.stringify(location)}`);
  }
  return s;
}

/** loadConfigFile + postProcessRegistries for one file (v2 format only). */
export function parseRegistriesFile(path: string, text: string): ParsedFile {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    throw new NodeConfigError(`${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  if ('registries' in doc && !Array.isArray(doc.registries)) {
    throw new NodeConfigError(`${path}: sysregistries v1 format ([registries.search] ...) is not supported here`);
  }
  const raw = (doc.registry ?? []) as Array<Record<string, unknown>>;
  if (!Array.isArray(raw)) throw new NodeConfigError(`${path}: [[registry]] must be an array of tables`);
  const regs: Registry[] = raw.map((r) => {
    const location = str(r.location, 'location', path);
    if (str(r['pull-from-mirror'], 'pull-from-mirror', path) !== '') {
      throw new NodeConfigError(`${path}: pull-from-mirror must not be set for a non-mirror registry ${JSON.stringify(str(r.prefix, 'prefix', path) || location)}`);
    }
    const mirrors = ((r.mirror ?? []) as Array<Record<string, unknown>>).map((m): Endpoint => {
      const ml = str(m.location, 'mirror location', path);
      return {location: ml, insecure: bool(m.insecure, 'insecure', path), pullFromMirror: pullFromMirror(m['pull-from-mirror'], ml, path)};
    });
    return {
      prefix: str(r.prefix, 'prefix', path),
      location,
      insecure: bool(r.insecure, 'insecure', path),
      blocked: bool(r.blocked, 'blocked', path),
      mirrorByDigestOnly: bool(r['mirror-by-digest-only'], 'mirror-by-digest-only', path),
      mirrors,
    };
  });
  const conf: RegistriesConf = {shortNameMode: '', additionalLayerStoreAuthHelper: '', registries: regs};
  let loaded: LoadedRegistry[];
  try {
    loaded = loadRegistries(conf);
  } catch (e) {
    if (e instanceof RegistriesConfError) throw new NodeConfigError(`${path}: ${e.message}`);
    throw e;
  }
  let search: string[] | undefined;
  if (doc['unqualified-search-registries'] !== undefined) {
    const list = doc['unqualified-search-registries'];
    if (!Array.isArray(list)) throw new NodeConfigError(`${path}: unqualified-search-registries must be an array`);
    search = list.map((s) => {
      const v = String(s).replace(/\/+$/, '');
      if (!anchoredDomain.test(v)) throw new NodeConfigError(`${path}: Invalid unqualified-search-registries entry ${JSON.stringify(v)}`);
      return v;
    });
  }
  let shortNameMode: ShortNameMode | undefined;
  const mode = str(doc['short-name-mode'], 'short-name-mode', path);
  if (mode !== '') {
    if (mode !== 'enforcing' && mode !== 'permissive' && mode !== 'disabled') throw new NodeConfigError(`${path}: invalid short-name mode: ${JSON.stringify(mode)}`);
    shortNameMode = mode;
  }
  const aliases = new Map<string, string>();
  const rawAliases = doc.aliases;
  if (rawAliases !== undefined) {
    if (typeof rawAliases !== 'object' || rawAliases === null) throw new NodeConfigError(`${path}: [aliases] must be a table`);
    for (const [k, v] of Object.entries(rawAliases)) aliases.set(k, String(v));
  }
  // postProcessRegistries: the first entry for a prefix wins, later ones are ignored.
  const seen = new Set<string>();
  const unique: NodeRegistry[] = [];
  for (const r of loaded) {
    if (seen.has(r.matchPrefix)) continue;
    seen.add(r.matchPrefix);
    unique.push({...r, file: path});
  }
  return {path, registries: unique, search, shortNameMode, aliases};
}

/** policy.json as signature/policy_config.go accepts it (the parts explain needs). */
export function parsePolicyJson(text: string, path: string = POLICY_JSON_PATH): PolicyJson {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new NodeConfigError(`${path}: ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new NodeConfigError(`${path}: not a JSON object`);
  const d = doc as Record<string, unknown>;
  const reqs = (v: unknown, where: string): PolicyRequirementIn[] => {
    if (!Array.isArray(v) || v.length === 0) throw new NodeConfigError(`${path}: ${where}: List of verification policy requirements must not be empty`);
    return v.map((r) => {
      if (typeof r !== 'object' || r === null || typeof (r as {type?: unknown}).type !== 'string') throw new NodeConfigError(`${path}: ${where}: requirement without a "type"`);
      const t = (r as PolicyRequirementIn).type;
      if (!['insecureAcceptAnything', 'reject', 'signedBy', 'sigstoreSigned', 'signedBaseLayer'].includes(t)) {
        throw new NodeConfigError(`${path}: ${where}: Unknown policy requirement type ${JSON.stringify(t)}`);
      }
      return r as PolicyRequirementIn;
    });
  };
  if (!('default' in d)) throw new NodeConfigError(`${path}: Policy.default is missing`);
  const transports: PolicyJson['transports'] = {};
  const t = (d.transports ?? {}) as Record<string, unknown>;
  for (const [name, scopes] of Object.entries(t)) {
    transports[name] = {};
    for (const [scope, r] of Object.entries((scopes ?? {}) as Record<string, unknown>)) transports[name]![scope] = reqs(r, `transports.${name}[${JSON.stringify(scope)}]`);
  }
  return {default: reqs(d.default, 'default'), transports};
}

/** A node's effective configuration from its files. Throws NodeConfigError as containers/image would fail. */
export function loadNodeConfig(files: NodeFileText[], policyPath: string = POLICY_JSON_PATH): NodeConfig {
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  const main = byPath.get(REGISTRIES_CONF_PATH);
  // No main file: containers/image continues with an empty configuration.
  const base: ParsedFile = main === undefined ? {path: REGISTRIES_CONF_PATH, registries: [], aliases: new Map()} : parseRegistriesFile(REGISTRIES_CONF_PATH, main);
  const dropIns = files
    .filter((f) => f.path.startsWith(REGISTRIES_CONF_D + '/') && !f.path.slice(REGISTRIES_CONF_D.length + 1).includes('/') && f.path.endsWith('.conf'))
    .map((f) => f.path)
    .sort();
  const registryMap = new Map(base.registries.map((r) => [r.matchPrefix, r]));
  let search = base.search ?? [];
  let searchOrigin = REGISTRIES_CONF_PATH;
  let mode = base.shortNameMode;
  let modeOrigin = base.shortNameMode ? REGISTRIES_CONF_PATH : undefined;
  const aliases = new Map<string, Alias>();
  for (const [k, v] of base.aliases) aliases.set(k, {value: v, file: REGISTRIES_CONF_PATH});
  const read = [REGISTRIES_CONF_PATH];
  for (const path of dropIns) {
    const d = parseRegistriesFile(path, byPath.get(path)!);
    read.push(path);
    for (const r of d.registries) registryMap.set(r.matchPrefix, r);
    // A drop-in that sets the key (even to []) replaces the list; one that omits it keeps it.
    if (d.search !== undefined) {
      search = d.search;
      searchOrigin = path;
    }
    if (d.shortNameMode) {
      mode = d.shortNameMode;
      modeOrigin = path;
    }
    for (const [k, v] of d.aliases) aliases.set(k, {value: v, file: path});
  }
  const registries = [...registryMap.keys()].sort().map((k) => registryMap.get(k)!);
  let policy: PolicyJson | undefined;
  let policyError: string | undefined;
  const pj = byPath.get(policyPath);
  if (pj === undefined) policyError = `${policyPath} is missing: containers/image refuses every pull`;
  else {
    try {
      policy = parsePolicyJson(pj, policyPath);
    } catch (e) {
      if (!(e instanceof NodeConfigError)) throw e;
      policyError = e.message;
    }
  }
  const certDirs = new Map<string, Map<string, string[]>>();
  for (const root of CERT_DIRS) {
    const m = new Map<string, string[]>();
    for (const f of files) {
      if (!f.path.startsWith(root + '/')) continue;
      const rest = f.path.slice(root.length + 1).split('/');
      if (rest.length !== 2) continue;
      const list = m.get(rest[0]!) ?? [];
      list.push(rest[1]!);
      m.set(rest[0]!, list);
    }
    certDirs.set(root, m);
  }
  return {
    registriesFiles: read,
    registries,
    searchRegistries: search,
    searchOrigin,
    shortNameMode: mode ?? 'permissive',
    shortNameModeOrigin: modeOrigin,
    aliases,
    policy,
    policyError,
    certDirs,
  };
}
