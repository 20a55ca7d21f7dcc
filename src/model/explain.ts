/**
 * `explain IMAGE_REF`: how a node's containers/image resolves and pulls one
 * image, computed from the node files (the rendered view, so the answer is about
 * what nodes actually read). Pure. The rules, and where upstream keeps them:
 * - short names: pkg/shortnames Resolve (aliases, then unqualified-search
 *   registries; short-name-mode), with the drop-in replacing the main list
 *   (sysregistriesv2 updateWithConfigurationFrom);
 * - the entry: sysregistriesv2 FindRegistry (longest prefix, `*.domain`);
 * - pull sources: Registry.PullSourcesFromReference, then for each endpoint
 *   docker/docker_client.go newDockerClient: FindRegistry on the endpoint's own
 *   name decides `blocked`, the endpoint's `insecure` decides TLS verification
 *   and the HTTP fallback, dockerCertDir picks the certs.d directory;
 * - policy.json: signature/policy_eval.go requirementsForImageRef on the name
 *   that was asked for (never the mirror's);
 * - import allowlist: see import-allowlist.ts.
 */
import {admitImport, type ImportVerdict} from './import-allowlist.js';
import {loadNodeConfig, type NodeConfig} from './node-config.js';
import {CERT_DIRS, POLICY_JSON_PATH, type NodeFileText} from './node-files.js';
import {decidePolicy, type PolicyDecision} from './policy-match.js';
import {parseNormalizedNamed, parseReference, refName, refString, ReferenceError, type ImageReference} from './reference.js';
import type {PullFromMirror} from './registries-conf.js';
import {findRegistry, rewriteReference, type LoadedRegistry} from './sysregistries.js';
import type {RegistryLocation} from './types.js';

export const DEFAULT_INTERNAL_REGISTRY = 'image-registry.openshift-image-registry.svc:5000';

export interface ExplainOptions {
  /** spec.allowedRegistriesForImport */
  allowedRegistriesForImport?: RegistryLocation[];
  /** status.internalRegistryHostname (always allowed for imports). */
  internalRegistry?: string;
  /** The policy file to judge with: policy.json, or a CRI-O per-namespace policy. */
  policyPath?: string;
}

export interface TlsPlan {
  /** `host:port` the certs.d lookup uses. */
  hostPort: string;
  /** false when the endpoint is `insecure = true`. */
  verify: boolean;
  /** insecure endpoints are tried over HTTPS first, then plain HTTP. */
  httpFallback: boolean;
  /** The certs.d directory containers/image uses for this endpoint. */
  certDir: string;
  certDirExists: boolean;
  /** *.crt files in it (extra CAs, added to the system roots). */
  caFiles: string[];
}

export interface EndpointExplain {
  role: 'mirror' | 'source';
  /** The endpoint's location in registries.conf ("" for the reference itself). */
  location: string;
  /** The reference as it is asked of this endpoint. */
  reference: string;
  pullFromMirror?: PullFromMirror;
  /** false when this endpoint is not tried for this reference. */
  tried: boolean;
  skipReason?: string;
  blocked: boolean;
  /** Prefix of the entry that blocks this endpoint. */
  blockedBy?: string;
  insecure: boolean;
  tls: TlsPlan;
}

export type PullOutcome = 'pull' | 'blocked' | 'rejected' | 'signature-required' | 'policy-error';

export interface RegistryEntryExplain {
  prefix: string;
  location: string;
  file: string;
  insecure: boolean;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
}

export interface CandidateExplain {
  reference: string;
  kind: 'tag' | 'digest';
  /** The matching registries.conf entry; undefined when none matches (defaults apply). */
  entry?: RegistryEntryExplain;
  endpoints: EndpointExplain[];
  policy?: PolicyDecision;
  policyError?: string;
  outcome: PullOutcome;
  /** The first endpoint that is tried and not blocked: where the pull goes when it is reachable and has the image. */
  pullFrom?: string;
  summary: string;
}

export interface ShortNameExplain {
  mode: 'enforcing' | 'permissive' | 'disabled';
  modeOrigin: string;
  searchRegistries: string[];
  searchOrigin: string;
  alias?: {value: string; file: string};
  candidates: string[];
  /** Without a TTY podman refuses (enforcing with more than one candidate). */
  error?: string;
  /**
   * The first candidate that is neither blocked nor rejected by policy.json: podman goes
   * on to the next candidate after any failure (blocked, rejected, not found, unreachable).
   */
  firstPullable?: string;
}

export interface ExplainResult {
  input: string;
  /** The fully-qualified reference(s), in the order they are tried. */
  candidates: CandidateExplain[];
  shortName?: ShortNameExplain;
  import: {secure: ImportVerdict; insecure: ImportVerdict};
  filesRead: string[];
  notes: string[];
}

export class ExplainError extends Error {
  override name = 'ExplainError';
}

/** pkg/shortnames parseUnnormalizedShortName: qualified only with a `.`/`:` host or `localhost`. */
export function isShortName(input: string): boolean {
  const slash = input.indexOf('/');
  if (slash === -1) return true;
  const first = input.slice(0, slash);
  return !(first.includes('.') || first.includes(':') || first === 'localhost');
}

function withDefaultTag(r: ImageReference): ImageReference {
  return r.tag === undefined && r.digest === undefined ? {...r, tag: 'latest'} : r;
}

function tlsPlan(cfg: NodeConfig, hostPort: string, insecure: boolean): TlsPlan {
  for (const root of CERT_DIRS) {
    const files = cfg.certDirs.get(root)?.get(hostPort);
    if (files) {
      return {hostPort, verify: !insecure, httpFallback: insecure, certDir: `${root}/${hostPort}`, certDirExists: true, caFiles: files.filter((f) => f.endsWith('.crt')).sort()};
    }
  }
  // dockerCertDir returns the last candidate when none exists; nothing is added to the system roots.
  return {hostPort, verify: !insecure, httpFallback: insecure, certDir: `${CERT_DIRS[CERT_DIRS.length - 1]}/${hostPort}`, certDirExists: false, caFiles: []};
}

function skipReason(reg: LoadedRegistry, pfm: PullFromMirror, digested: boolean): string | undefined {
  if (reg.mirrorByDigestOnly) return digested ? undefined : 'mirror-by-digest-only: mirrors are used for digest pulls only';
  if (pfm === 'digest-only' && !digested) return 'pull-from-mirror = "digest-only" and this is a tag pull';
  if (pfm === 'tag-only' && digested) return 'pull-from-mirror = "tag-only" and this is a digest pull';
  return undefined;
}

function explainCandidate(cfg: NodeConfig, ref: ImageReference, notes: string[], policyLabel: string): CandidateExplain {
  const name = refName(ref);
  const digested = ref.digest !== undefined;
  const reg = findRegistry(cfg.registries, name) as (LoadedRegistry & {file: string}) | undefined;
  if (reg && !reg.matchPrefix.startsWith('*.') && name.startsWith(reg.matchPrefix + ':')) {
    notes.push(
      `registries.conf entry ${JSON.stringify(reg.matchPrefix)} applies to ${ref.domain} only through a containers/image quirk (refMatchingPrefix accepts ":" after a prefix); policy.json does not cover ${ref.domain} with scope ${JSON.stringify(reg.matchPrefix)}.`,
    );
  }
  const endpoints: EndpointExplain[] = [];
  const endpoint = (role: 'mirror' | 'source', location: string, insecure: boolean, pfm: PullFromMirror | undefined, reason: string | undefined): EndpointExplain => {
    let physical: ImageReference;
    try {
      physical = reg ? rewriteReference(reg, location, ref) : ref;
    } catch (e) {
      const why = `rewriting reference for endpoint ${JSON.stringify(location)}: ${(e as Error).message}`;
      // PullSourcesFromReference rewrites only the endpoints it uses; one that fails fails every pull of this name.
      if (reason === undefined) throw new ExplainError(`containers/image fails every pull of ${refString(ref)}: ${why}`);
      return {role, location, reference: '', ...(pfm !== undefined ? {pullFromMirror: pfm} : {}), tried: false, skipReason: `${reason} (${why})`, blocked: false, insecure, tls: tlsPlan(cfg, '', insecure)};
    }
    const owner = findRegistry(cfg.registries, refName(physical));
    const blocked = owner?.blocked ?? false;
    return {
      role,
      location,
      reference: refString(physical),
      ...(pfm !== undefined ? {pullFromMirror: pfm} : {}),
      tried: reason === undefined,
      ...(reason ? {skipReason: reason} : {}),
      blocked,
      ...(blocked ? {blockedBy: owner!.matchPrefix} : {}),
      insecure,
      tls: tlsPlan(cfg, physical.domain, insecure),
    };
  };
  if (reg) {
    for (const m of reg.mirrors) endpoints.push(endpoint('mirror', m.location, m.insecure, m.pullFromMirror, skipReason(reg, m.pullFromMirror, digested)));
    endpoints.push(endpoint('source', reg.location, reg.insecure, undefined, undefined));
  } else {
    endpoints.push(endpoint('source', '', false, undefined, undefined));
  }
  const usable = endpoints.find((e) => e.tried && !e.blocked);
  let policy: PolicyDecision | undefined;
  let outcome: PullOutcome;
  if (cfg.policy) policy = decidePolicy(cfg.policy, ref);
  // The policy is loaded before any registry is contacted (skopeo, podman and CRI-O build the
  // PolicyContext first), so an unusable policy.json fails even a pull that would be blocked.
  if (!policy) outcome = 'policy-error';
  else if (!usable) outcome = 'blocked';
  else outcome = policy.verdict === 'accept' ? 'pull' : policy.verdict === 'reject' ? 'rejected' : 'signature-required';
  const reference = refString(ref);
  let summary: string;
  switch (outcome) {
    case 'blocked':
      summary = `blocked: every source tried for ${reference} is blocked in registries.conf`;
      break;
    case 'policy-error':
      summary = `fails: ${cfg.policyError}`;
      break;
    case 'rejected':
      summary = `rejected by ${policyLabel} (${policy!.section}) after the manifest is fetched from ${usable!.reference}`;
      break;
    case 'signature-required':
      summary = `signature required: pulls from ${usable!.reference} only if the image carries a valid signature (${policy!.section}: ${policy!.requirements.map((r) => r.type).join(', ')})`;
      break;
    default:
      summary = `pulls from ${usable!.reference}`;
  }
  return {
    reference,
    kind: digested ? 'digest' : 'tag',
    ...(reg
      ? {entry: {prefix: reg.matchPrefix, location: reg.location, file: reg.file, insecure: reg.insecure, blocked: reg.blocked, mirrorByDigestOnly: reg.mirrorByDigestOnly ?? false}}
      : {}),
    endpoints,
    ...(policy ? {policy} : {policyError: cfg.policyError}),
    outcome,
    ...(usable ? {pullFrom: usable.reference} : {}),
    summary,
  };
}

function resolveShortName(cfg: NodeConfig, input: string, notes: string[]): {refs: ImageReference[]; info: ShortNameExplain} {
  let parsed: ImageReference;
  try {
    parsed = parseReference(input);
  } catch (e) {
    throw new ExplainError(`IMAGE_REF ${JSON.stringify(input)}: ${(e as Error).message}`);
  }
  const repo = parsed.domain ? `${parsed.domain}/${parsed.path}` : parsed.path;
  const info: ShortNameExplain = {
    mode: cfg.shortNameMode,
    modeOrigin: cfg.shortNameModeOrigin ?? 'containers/image default',
    searchRegistries: cfg.searchRegistries,
    searchOrigin: cfg.searchOrigin,
    candidates: [],
  };
  const suffix = (parsed.tag !== undefined ? `:${parsed.tag}` : '') + (parsed.digest !== undefined ? `@${parsed.digest}` : '');
  const alias = cfg.aliases.get(repo);
  let refs: ImageReference[];
  const named = (s: string, what: string): ImageReference => {
    try {
      return withDefaultTag(parseNormalizedNamed(s));
    } catch (e) {
      throw new ExplainError(`${what}: ${(e as Error).message}`);
    }
  };
  if (alias) {
    info.alias = alias;
    refs = [named(alias.value + suffix, `alias ${JSON.stringify(alias.value)} from ${alias.file}`)];
  } else {
    if (cfg.searchRegistries.length === 0) {
      throw new ExplainError(`short-name ${JSON.stringify(input)} did not resolve to an alias and no unqualified-search registries are defined in ${JSON.stringify(cfg.searchOrigin)}`);
    }
    refs = cfg.searchRegistries.map((r) => named(`${r}/${input}`, `creating reference with unqualified-search registry ${JSON.stringify(r)}`));
    if (cfg.shortNameMode === 'enforcing' && refs.length > 1) {
      info.error = 'short-name resolution enforced but cannot prompt without a TTY';
    }
  }
  info.candidates = refs.map(refString);
  notes.push(
    'RHCOS nodes also carry /etc/containers/registries.conf.d/000-shortnames.conf (not rendered by MCO): its aliases take precedence over the search list.',
  );
  return {refs, info};
}

export function explainImage(files: NodeFileText[], input: string, opts: ExplainOptions = {}): ExplainResult {
  return explainWithConfig(loadNodeConfig(files, opts.policyPath ?? POLICY_JSON_PATH), input, opts);
}

/** The same, on node files already loaded (with opts.policyPath): many images, one parse. */
export function explainWithConfig(cfg: NodeConfig, input: string, opts: ExplainOptions = {}): ExplainResult {
  const policyPath = opts.policyPath ?? POLICY_JSON_PATH;
  const notes: string[] = [];
  const text = input.replace(/^docker:\/\//, '');
  let refs: ImageReference[];
  let shortName: ShortNameExplain | undefined;
  if (isShortName(text)) {
    const r = resolveShortName(cfg, text, notes);
    refs = r.refs;
    shortName = r.info;
  } else {
    let parsed: ImageReference;
    try {
      parsed = parseNormalizedNamed(text);
    } catch (e) {
      if (e instanceof ReferenceError) throw new ExplainError(`IMAGE_REF ${JSON.stringify(input)}: ${e.message}`);
      throw e;
    }
    refs = [withDefaultTag(parsed)];
  }
  refs = refs.map((r) => {
    if (r.tag !== undefined && r.digest !== undefined) {
      notes.push(`${refString(r)} has both a tag and a digest: podman and CRI-O drop the tag (skopeo refuses such references); explained as a digest pull.`);
      return {domain: r.domain, path: r.path, digest: r.digest};
    }
    return r;
  });
  const candidates = refs.map((r) => explainCandidate(cfg, r, notes, policyPath === POLICY_JSON_PATH ? 'policy.json' : policyPath));
  if (shortName) {
    const ok = candidates.find((c) => c.outcome === 'pull' || c.outcome === 'signature-required');
    if (ok) shortName.firstPullable = ok.reference;
  }
  const internal = opts.internalRegistry ?? DEFAULT_INTERNAL_REGISTRY;
  // Image stream imports never use the node's search list: a short name means docker.io.
  const first = shortName ? parseNormalizedNamed(text) : refs[0]!;
  return {
    input,
    candidates,
    ...(shortName ? {shortName} : {}),
    import: {
      secure: admitImport(first, opts.allowedRegistriesForImport, internal, 'secure'),
      insecure: admitImport(first, opts.allowedRegistriesForImport, internal, 'any'),
    },
    filesRead: [...cfg.registriesFiles, policyPath],
    notes,
  };
}
