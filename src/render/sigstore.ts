/**
 * Signature policies (config.openshift.io/v1 ClusterImagePolicy and ImagePolicy)
 * as MCO's container-runtime-config controller turns them into node files:
 * sigstoreSigned requirements in policy.json, per-namespace CRI-O policies and
 * registries.d/sigstore-registries.yaml. Pure; behaviour and error texts follow
 * upstream (helpers.go policyItemFromSpec, updateNamespacedPolicyJSONs,
 * generateSigstoreRegistriesdConfig, addScopeMirrorsSigstoreRegistriesdConfig;
 * controller getValidScopePolicies) and containers/image's signature package.
 * The vectors in test/fixtures/vectors-sigstore are the byte-level authority.
 */
import {parseNormalizedNamed} from '../model/reference.js';
import {compareBytes} from '../model/registries-conf.js';
import {scopeIsNestedInsideScope} from '../model/scope.js';
import type {PolicyObj} from '../model/types.js';
import {goQuote, goQuoteList} from '../lib/errors.js';
import {McoError} from './edit-registries.js';
import {type Requirement} from './policy.js';

/** The controller process would crash on this input (a Go panic MCO does not recover). */
export class McoPanic extends McoError {
  override name = 'McoPanic';
  readonly panic = true;
  constructor(
    message: string,
    /** What in the object triggers it, in words. */
    readonly detail: string,
    field?: string,
    source?: string,
  ) {
    super(message, field, undefined, source);
  }
}

const NIL_DEREF = 'runtime error: invalid memory address or nil pointer dereference';

/** Which object a requirement came from. */
export interface PolicyRef {
  kind: 'ClusterImagePolicy' | 'ImagePolicy';
  name: string;
  namespace?: string;
  source?: string;
}

export interface ScopeRequirement {
  requirement: Requirement;
  policy: PolicyRef;
}

export interface PolicyCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
}

/** What MCO leaves in an ImagePolicy's status.conditions after a sync (lastTransitionTime left out). */
export interface ImagePolicyStatus {
  namespace: string;
  name: string;
  conditions: PolicyCondition[];
}

export interface ScopePolicies {
  /** ClusterImagePolicy scope -> requirements, in the order MCO appends them. */
  cluster: Map<string, ScopeRequirement[]>;
  /** ImagePolicy scope -> namespace -> requirements (conflicting scopes removed). */
  namespaced: Map<string, Map<string, ScopeRequirement[]>>;
  /** ImagePolicy scopes dropped because a ClusterImagePolicy scope covers them. */
  conflicts: Array<{policy: PolicyRef; scopes: string[]}>;
}

type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A `[]byte` field as Go's encoding/json decodes it (standard base64, padding
 * required, CR/LF ignored): undefined when absent (nil), possibly empty otherwise.
 */
export function decodeBytes(v: unknown, field: string): Buffer | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new McoError(`${field} must be base64 text`, field);
  const s = v.replace(/[\r\n]/g, '');
  if (!BASE64.test(s)) throw new McoError(`${field} is not valid base64`, field, v);
  return Buffer.from(s, 'base64');
}

/** Objects in the deterministic order this tool lists them (MCO's lister order is random). */
export function orderedPolicies(policies: PolicyObj[]): {cluster: PolicyObj[]; namespaced: PolicyObj[]} {
  const cluster = policies.filter((p) => p.kind === 'ClusterImagePolicy').sort((a, b) => compareBytes(a.name, b.name));
  const namespaced = policies
    .filter((p) => p.kind === 'ImagePolicy')
    .sort((a, b) => compareBytes(a.namespace ?? '', b.namespace ?? '') || compareBytes(a.name, b.name));
  return {cluster, namespaced};
}

function refOf(p: PolicyObj): PolicyRef {
  return {kind: p.kind, name: p.name, namespace: p.namespace, source: p.source};
}

export function policyLabel(p: PolicyRef): string {
  return p.kind === 'ImagePolicy' ? `ImagePolicy ${p.namespace}/${p.name}` : `ClusterImagePolicy ${p.name}`;
}

// distribution/reference DomainRegexp and NameRegexp, used by validateIdentityRemappingPrefix.
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainAndPort = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[(?:[a-fA-F0-9:]+)\\])(?::[0-9]+)?`;
const pathComponent = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const remapDomain = new RegExp(`^${domainAndPort}$`);
const remapDomainPrefix = new RegExp(`^${domainAndPort}/`);
const remapName = new RegExp(`^(?:${domainAndPort}/)?${pathComponent}(?:/${pathComponent})*$`);

function validateRemapPrefix(s: string): void {
  if (remapDomain.test(s) || (remapName.test(s) && remapDomainPrefix.test(s))) return;
  throw new Error(`prefix ${goQuote(s)} is not valid`);
}

/**
 * policyItemFromSpec: one ClusterImagePolicy/ImagePolicy `spec.policy` as the
 * sigstoreSigned requirement containers/image marshals (struct field order,
 * empty fields omitted). Throws McoError with MCO's text, or McoPanic where MCO
 * dereferences a missing union member.
 */
export function policyRequirement(policy: unknown, where: {field?: string; source?: string} = {}): Requirement {
  const p = obj(policy) ?? {};
  const base = where.field ?? 'spec.policy';
  const root = obj(p.rootOfTrust) ?? {};
  const policyType = str(root.policyType);
  const fail = (msg: string, field = `${base}.rootOfTrust`) => new McoError(msg, field, undefined, where.source);
  const panic = (member: string, detail: string) => new McoPanic(NIL_DEREF, detail, `${base}.${member}`, where.source);

  let keyData: Buffer | undefined;
  let rekor: Buffer | undefined;
  let fulcio: Requirement | undefined;
  let pki: Requirement | undefined;
  switch (policyType) {
    case 'PublicKey': {
      const pk = obj(root.publicKey);
      if (!pk) throw panic('rootOfTrust.publicKey', 'policyType PublicKey without rootOfTrust.publicKey');
      keyData = decodeBytes(pk.keyData, `${base}.rootOfTrust.publicKey.keyData`);
      const r = decodeBytes(pk.rekorKeyData, `${base}.rootOfTrust.publicKey.rekorKeyData`);
      if (r && r.length > 0) rekor = r;
      break;
    }
    case 'FulcioCAWithRekor': {
      const f = obj(root.fulcioCAWithRekor);
      if (!f) throw panic('rootOfTrust.fulcioCAWithRekor', 'policyType FulcioCAWithRekor without rootOfTrust.fulcioCAWithRekor');
      const field = `${base}.rootOfTrust.fulcioCAWithRekor`;
      const ca = decodeBytes(f.fulcioCAData, `${field}.fulcioCAData`);
      const subject = obj(f.fulcioSubject) ?? {};
      const issuer = str(subject.oidcIssuer);
      const email = str(subject.signedEmail);
      if (ca === undefined) throw fail('At least one of caPath and caData must be specified', `${field}.fulcioCAData`);
      if (issuer === '') throw fail('oidcIssuer not specified', `${field}.fulcioSubject.oidcIssuer`);
      if (email === '') throw fail('subjectEmail not specified', `${field}.fulcioSubject.signedEmail`);
      fulcio = {caData: ca.length > 0 ? ca.toString('base64') : undefined, oidcIssuer: issuer, subjectEmail: email};
      // PRSigstoreSignedWithRekorPublicKeyData is applied unconditionally here: nil only when the field is absent.
      // A missing Rekor key is reported by NewPRSigstoreSigned, after the signedIdentity step.
      rekor = decodeBytes(f.rekorKeyData, `${field}.rekorKeyData`);
      break;
    }
    case 'PKI': {
      const k = obj(root.pki);
      if (!k) throw panic('rootOfTrust.pki', 'policyType PKI without rootOfTrust.pki');
      const field = `${base}.rootOfTrust.pki`;
      const roots = decodeBytes(k.caRootsData, `${field}.caRootsData`);
      const inter = decodeBytes(k.caIntermediatesData, `${field}.caIntermediatesData`);
      const subject = obj(k.pkiCertificateSubject) ?? {};
      const email = str(subject.email);
      const host = str(subject.hostname);
      if (roots === undefined) throw fail('At least one of caRootsPath and caRootsData must be specified', `${field}.caRootsData`);
      if (email === '' && host === '') throw fail('At least one of subjectEmail, subjectHostname must be specified', `${field}.pkiCertificateSubject`);
      pki = {
        caRootsData: roots.length > 0 ? roots.toString('base64') : undefined,
        caIntermediatesData: inter && inter.length > 0 ? inter.toString('base64') : undefined,
        subjectEmail: email || undefined,
        subjectHostname: host || undefined,
      };
      break;
    }
    default:
      break;
  }

  let signedIdentity: Requirement = {type: 'matchRepoDigestOrExact'};
  const si = obj(p.signedIdentity);
  if (si) {
    const match = str(si.matchPolicy);
    const field = `${base}.signedIdentity`;
    switch (match) {
      case 'RemapIdentity': {
        const r = obj(si.remapIdentity);
        if (!r) throw panic('signedIdentity.remapIdentity', 'matchPolicy RemapIdentity without signedIdentity.remapIdentity');
        const prefix = str(r.prefix);
        const signedPrefix = str(r.signedPrefix);
        try {
          validateRemapPrefix(prefix);
          validateRemapPrefix(signedPrefix);
        } catch (e) {
          throw new McoError(`error getting signedIdentity for RemapIdentity: ${(e as Error).message}`, `${field}.remapIdentity`, undefined, where.source);
        }
        signedIdentity = {type: 'remapIdentity', prefix, signedPrefix};
        break;
      }
      case 'ExactRepository': {
        const r = obj(si.exactRepository);
        if (!r) throw panic('signedIdentity.exactRepository', 'matchPolicy ExactRepository without signedIdentity.exactRepository');
        const repo = str(r.repository);
        try {
          parseNormalizedNamed(repo);
        } catch (e) {
          const msg = `Invalid format of dockerRepository ${goQuote(repo)}: ${(e as Error).message}`;
          throw new McoError(`error getting signedIdentity for ExactRepository: ${msg}`, `${field}.exactRepository.repository`, repo, where.source);
        }
        signedIdentity = {type: 'exactRepository', dockerRepository: repo};
        break;
      }
      case 'MatchRepository':
        signedIdentity = {type: 'matchRepository'};
        break;
      case 'MatchRepoDigestOrExact':
        signedIdentity = {type: 'matchRepoDigestOrExact'};
        break;
      default:
        throw new McoError(`unknown signedIdentity match policy: ${match}`, `${field}.matchPolicy`, match, where.source);
    }
  }

  // signature.NewPRSigstoreSigned
  const keySources = (keyData !== undefined ? 1 : 0) + (fulcio ? 1 : 0) + (pki ? 1 : 0);
  if (keySources !== 1) throw fail('exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, and pki must be specified', `${base}.rootOfTrust.policyType`);
  if (fulcio && rekor === undefined) {
    throw fail('At least one of rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas must be specified if fulcio is used', `${base}.rootOfTrust.fulcioCAWithRekor.rekorKeyData`);
  }
  return {
    type: 'sigstoreSigned',
    keyData: keyData && keyData.length > 0 ? keyData.toString('base64') : undefined,
    fulcio,
    rekorPublicKeyData: rekor && rekor.length > 0 ? rekor.toString('base64') : undefined,
    pki,
    signedIdentity,
  };
}

/**
 * getValidScopePolicies: every ClusterImagePolicy, then every ImagePolicy, goes
 * through policyItemFromSpec (first error wins, returned bare). ImagePolicy
 * scopes equal to or nested inside a ClusterImagePolicy scope are dropped and
 * reported through `onStatus`, which runs as MCO writes the status: one policy
 * at a time, before a later policy's error stops the loop.
 */
export function validScopePolicies(policies: PolicyObj[], onStatus: (s: ImagePolicyStatus) => void = () => {}): ScopePolicies {
  const {cluster: cips, namespaced: ips} = orderedPolicies(policies);
  const out: ScopePolicies = {cluster: new Map(), namespaced: new Map(), conflicts: []};
  for (const cip of cips) {
    const requirement = policyRequirement(cip.spec.policy, {field: `ClusterImagePolicy/${cip.name} spec.policy`, source: cip.source});
    for (const scope of scopesOf(cip)) {
      const list = out.cluster.get(scope) ?? [];
      list.push({requirement, policy: refOf(cip)});
      out.cluster.set(scope, list);
    }
  }
  for (const ip of ips) {
    const ns = ip.namespace ?? 'default';
    const requirement = policyRequirement(ip.spec.policy, {field: `ImagePolicy/${ns}/${ip.name} spec.policy`, source: ip.source});
    const conflicts: string[] = [];
    for (const scope of scopesOf(ip)) {
      if ([...out.cluster.keys()].some((c) => scopeIsNestedInsideScope(scope, c))) {
        conflicts.push(scope);
        continue;
      }
      const byNs = out.namespaced.get(scope) ?? new Map<string, ScopeRequirement[]>();
      const list = byNs.get(ns) ?? [];
      list.push({requirement, policy: refOf(ip)});
      byNs.set(ns, list);
      out.namespaced.set(scope, byNs);
    }
    if (conflicts.length > 0) {
      out.conflicts.push({policy: refOf(ip), scopes: conflicts});
      onStatus({namespace: ns, name: ip.name, conditions: [conflictCondition(conflicts, ip.generation)]});
    }
  }
  return out;
}

export function conflictCondition(scopes: string[], generation: number | undefined): PolicyCondition {
  return {
    type: 'Pending',
    status: 'False',
    reason: 'ConflictScopes',
    message: `has conflicting scope(s) ${goQuoteList(scopes)} that equal to or nest inside existing clusterimagepolicy, only policy from clusterimagepolicy scope(s) will be applied`,
    observedGeneration: generation ?? 0,
  };
}

export function scopesOf(p: PolicyObj): string[] {
  const s = p.spec.scopes;
  return Array.isArray(s) ? s.map((x) => String(x)) : [];
}

/** The status.conditions already on an ImagePolicy (what MCO leaves alone when it writes nothing). */
export function existingConditions(p: PolicyObj): PolicyCondition[] {
  const conds = obj(p.status)?.conditions;
  if (!Array.isArray(conds)) return [];
  return conds.map((c) => {
    const o = obj(c) ?? {};
    const cond: PolicyCondition = {type: str(o.type), status: str(o.status), reason: str(o.reason), message: str(o.message)};
    if (typeof o.observedGeneration === 'number') cond.observedGeneration = o.observedGeneration;
    return cond;
  });
}

/** Requirements per scope, without provenance (what goes into the JSON). */
export function requirementsOf(m: Map<string, ScopeRequirement[]>): Map<string, Requirement[]> {
  return new Map([...m].map(([scope, list]) => [scope, list.map((x) => x.requirement)]));
}

/** Scopes whose requirement order follows MCO's random lister order (the cluster's bytes can flip between syncs). */
export function orderDependentScopes(sp: ScopePolicies): Array<{scope: string; namespace?: string; policies: PolicyRef[]}> {
  const out: Array<{scope: string; namespace?: string; policies: PolicyRef[]}> = [];
  for (const [scope, list] of sp.cluster) {
    const distinct = new Set(list.map((x) => x.policy.name));
    if (distinct.size > 1) out.push({scope, policies: list.map((x) => x.policy)});
  }
  for (const [scope, byNs] of sp.namespaced) {
    for (const [ns, list] of byNs) {
      const distinct = new Set(list.map((x) => x.policy.name));
      if (distinct.size > 1) out.push({scope, namespace: ns, policies: list.map((x) => x.policy)});
    }
  }
  return out;
}
