/**
 * What the API server refuses (openshift/api CRD schemas and CEL rules at the
 * vendored version), checked before anything is written. MCO's own checks live
 * in render/mco.ts and run as part of rendering.
 */
import type {Problem} from '../lib/errors.js';
import {portProblem} from './api-rules.js';
import {explainBadScope, mirrorPattern, sourcePattern} from './scope.js';
import type {ClusterState, MirrorSet} from './types.js';

const MAX_ITEMS = 1024;

function checkScopes(list: string[] | undefined, field: string, source: string | undefined, out: Problem[]): void {
  if (list === undefined) return;
  if (list.length > MAX_ITEMS) out.push({field, message: `has ${list.length} entries; the API server allows at most ${MAX_ITEMS}`, source});
  list.forEach((s, i) => {
    if (s.length === 0 || s.length > 256 || !sourcePattern.test(s)) out.push({field: `${field}[${i}]`, value: s, message: explainBadScope(s), source});
    else if (portProblem(s)) out.push({field: `${field}[${i}]`, value: s, message: portProblem(s)!, source});
  });
}

function duplicates(list: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const x of list) (seen.has(x) ? dup : seen).add(x);
  return [...dup];
}

export function validateImage(state: ClusterState): Problem[] {
  const out: Problem[] = [];
  const img = state.image;
  if (!img) return out;
  const src = img.source;
  const rs = img.spec.registrySources;
  if (rs) {
    if (rs.allowedRegistries !== undefined && rs.blockedRegistries !== undefined) {
      out.push({field: 'spec.registrySources', message: 'only one of blockedRegistries or allowedRegistries may be set (the API server rejects both)', source: src});
    }
    checkScopes(rs.allowedRegistries, 'spec.registrySources.allowedRegistries', src, out);
    checkScopes(rs.blockedRegistries, 'spec.registrySources.blockedRegistries', src, out);
    checkScopes(rs.insecureRegistries, 'spec.registrySources.insecureRegistries', src, out);
    const search = rs.containerRuntimeSearchRegistries;
    if (search !== undefined) {
      if (search.length === 0) out.push({field: 'spec.registrySources.containerRuntimeSearchRegistries', message: 'must have at least 1 item; remove the field to use the default search list', source: src});
      for (const d of duplicates(search)) out.push({field: 'spec.registrySources.containerRuntimeSearchRegistries', value: d, message: 'is listed twice; the list is a set', source: src});
      // The CRD puts `format: hostname` on the array, where the API server does not apply it: entries are not checked.
    }
  }
  (img.spec.allowedRegistriesForImport ?? []).forEach((loc, i) => {
    if (!loc || typeof loc.domainName !== 'string' || loc.domainName === '') out.push({field: `spec.allowedRegistriesForImport[${i}].domainName`, message: 'is required', source: src});
  });
  return out;
}

function listField(set: MirrorSet): string {
  return set.kind === 'ImageContentSourcePolicy' ? 'repositoryDigestMirrors' : set.kind === 'ImageDigestMirrorSet' ? 'imageDigestMirrors' : 'imageTagMirrors';
}

export function validateMirrorSets(state: ClusterState): Problem[] {
  const out: Problem[] = [];
  for (const set of state.mirrorSets) {
    const base = `${set.kind}/${set.name} spec.${listField(set)}`;
    set.rules.forEach((r, i) => {
      // Field paths are built for problems only (a large manifest has tens of thousands of rules).
      const f = () => `${base}[${i}]`;
      if (r.source === '') out.push({field: `${f()}.source`, message: 'is required', source: set.source});
      // A port of 0 or above 65535 names no registry, whatever the kind's schema lets through.
      const sourcePort = portProblem(r.source);
      if (sourcePort) out.push({field: `${f()}.source`, value: r.source, message: sourcePort, source: set.source});
      r.mirrors.forEach((m, j) => {
        const why = portProblem(m);
        if (why) out.push({field: `${f()}.mirrors[${j}]`, value: m, message: why, source: set.source});
      });
      // ICSP has no pattern in its CRD: MCO's own check (reported while rendering) is its only gate.
      if (set.kind === 'ImageContentSourcePolicy') return;
      if (r.source !== '' && !sourcePattern.test(r.source)) out.push({field: `${f()}.source`, value: r.source, message: explainBadScope(r.source), source: set.source});
      r.mirrors.forEach((m, j) => {
        if (!mirrorPattern.test(m)) out.push({field: `${f()}.mirrors[${j}]`, value: m, message: explainBadScope(m, false), source: set.source});
      });
      for (const d of duplicates(r.mirrors)) out.push({field: `${f()}.mirrors`, value: d, message: 'is listed twice; mirrors is a set', source: set.source});
      if (r.mirrorSourcePolicy !== '' && r.mirrorSourcePolicy !== 'NeverContactSource' && r.mirrorSourcePolicy !== 'AllowContactingSource') {
        out.push({field: `${f()}.mirrorSourcePolicy`, value: r.mirrorSourcePolicy, message: 'must be NeverContactSource or AllowContactingSource', source: set.source});
      }
    });
  }
  return out;
}

/** Every API-server-level problem in the state. */
export function validateState(state: ClusterState): Problem[] {
  return [...validateImage(state), ...validateMirrorSets(state), ...validateSignaturePolicies(state)];
}

// openshift/api config/v1 ImageScope CEL rules.
const label = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const wildcardScope = new RegExp(`^\\*(?:\\.${label})+$`);
const imageScope = new RegExp(
  `^((((?:${label})(?:\\.(?:${label}))+(?::[0-9]+)?)|(localhost(?::[0-9]+)?))(?:(?:/[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?)+)?)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}))?$`,
);
// IdentityRepositoryPrefix
const repoPrefix = new RegExp(`^(((?:${label})(?:\\.(?:${label}))+(?::[0-9]+)?)|(localhost(?::[0-9]+)?))(?:(?:/[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?)+)?$`);
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/** Why an ImageScope is refused by the CRD, or undefined. */
export function imageScopeProblem(s: string): string | undefined {
  if (s.length > 512) return `must be at most 512 characters (has ${s.length})`;
  const host = s.split('/')[0]!;
  if (host.split('.').length === 1 && host.split(':')[0] !== 'localhost') return 'must start with a fully qualified domain name or localhost';
  if (s.includes('*')) {
    return wildcardScope.test(s) ? undefined : 'a wildcard is only allowed as a leading "*." of a domain (subdomain matching), e.g. *.example.com';
  }
  if (!imageScope.test(s)) return 'is not a valid image scope (host[:port][/repository][:tag|@digest], lowercase repository path)';
  return undefined;
}

/** Every IdentityRepositoryPrefix rule the value breaks (the API server reports each). */
function repoPrefixProblems(s: string): string[] {
  const out: string[] = [];
  if (s.length > 512) out.push(`must be at most 512 characters (has ${s.length})`);
  if (/.*:([\w][\w.-]{0,127})$/.test(s) && !/^(localhost:[0-9]+)$/.test(s)) out.push('must not include a tag or digest');
  if (!repoPrefix.test(s)) out.push('is not a domain-qualified repository (host with a dot, or localhost, then an optional lowercase path)');
  return out;
}

interface PemRule {
  what: 'PUBLIC KEY' | 'CERTIFICATE';
  min?: number;
  counted?: boolean;
}

function checkPem(v: unknown, field: string, rule: PemRule, required: boolean, problem: (field: string, message: string, value?: unknown) => void): void {
  if (v === undefined || v === null) {
    if (required) problem(field, 'is required');
    return;
  }
  if (typeof v !== 'string') return;
  const s = v.replace(/[\r\n]/g, '');
  if (!BASE64.test(s)) {
    problem(field, 'is not valid base64 (the API server stores this field as bytes)');
    return;
  }
  if (v.length > 8192) problem(field, `must be at most 8192 characters (has ${v.length})`);
  if (rule.min !== undefined && v.length < rule.min) problem(field, `must be at least ${rule.min} characters (has ${v.length})`);
  const text = Buffer.from(s, 'base64').toString('latin1');
  const begin = `-----BEGIN ${rule.what}-----`;
  const end = `-----END ${rule.what}-----`;
  if (!text.startsWith(begin)) problem(field, `must be base64 of PEM data starting with ${begin}`);
  if (!text.endsWith(end) && !text.endsWith(end + '\n')) problem(field, `must be base64 of PEM data ending with ${end}`);
  if (rule.counted && text.split(begin).length !== text.split(end).length) problem(field, `must hold as many ${begin} as ${end} markers`);
}

function isUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol !== '' && u.host !== '';
  } catch {
    return false;
  }
}

/** ClusterImagePolicy / ImagePolicy: the CRD schema and CEL rules (config/v1, SigstoreImageVerificationPKI on). */
export function validateSignaturePolicies(state: ClusterState): Problem[] {
  const out: Problem[] = [];
  for (const p of state.policies) {
    const base = p.kind === 'ImagePolicy' ? `ImagePolicy/${p.namespace ?? 'default'}/${p.name} spec` : `ClusterImagePolicy/${p.name} spec`;
    const problem = (field: string, message: string, value?: unknown) => out.push({field: `${base}.${field}`, value, message, source: p.source});
    const scopes = p.spec.scopes;
    if (scopes === undefined || scopes === null) problem('scopes', 'is required');
    else if (Array.isArray(scopes)) {
      if (scopes.length > 256) problem('scopes', `has ${scopes.length} entries; the API server allows at most 256`);
      for (const d of duplicates(scopes.map(String))) problem('scopes', 'is listed twice; scopes is a set', d);
      scopes.forEach((s, i) => {
        const why = imageScopeProblem(String(s)) ?? portProblem(String(s));
        if (why) problem(`scopes[${i}]`, why, s);
      });
    }
    const policy = asObj(p.spec.policy);
    if (!policy) {
      problem('policy', 'is required');
      continue;
    }
    const root = asObj(policy.rootOfTrust);
    if (!root) problem('policy.rootOfTrust', 'is required');
    else {
      const t = root.policyType;
      const types = ['PublicKey', 'FulcioCAWithRekor', 'PKI'];
      if (t === undefined || t === null || t === '') problem('policy.rootOfTrust.policyType', `is required (one of ${types.join(', ')})`);
      else if (!types.includes(String(t))) problem('policy.rootOfTrust.policyType', `must be one of ${types.join(', ')}`, t);
      for (const [member, type] of [
        ['publicKey', 'PublicKey'],
        ['fulcioCAWithRekor', 'FulcioCAWithRekor'],
        ['pki', 'PKI'],
      ] as const) {
        const has = root[member] !== undefined && root[member] !== null;
        if (t === type && !has) problem(`policy.rootOfTrust.${member}`, `is required when policyType is ${type}`);
        if (t !== type && has) problem(`policy.rootOfTrust.${member}`, `is only allowed when policyType is ${type}`);
      }
      const pk = asObj(root.publicKey);
      if (pk) {
        checkPem(pk.keyData, 'policy.rootOfTrust.publicKey.keyData', {what: 'PUBLIC KEY', min: 68}, true, problem);
        checkPem(pk.rekorKeyData, 'policy.rootOfTrust.publicKey.rekorKeyData', {what: 'PUBLIC KEY'}, false, problem);
      }
      const f = asObj(root.fulcioCAWithRekor);
      if (f) {
        const fb = 'policy.rootOfTrust.fulcioCAWithRekor';
        checkPem(f.fulcioCAData, `${fb}.fulcioCAData`, {what: 'CERTIFICATE'}, true, problem);
        checkPem(f.rekorKeyData, `${fb}.rekorKeyData`, {what: 'PUBLIC KEY'}, true, problem);
        const subj = asObj(f.fulcioSubject);
        if (!subj) problem(`${fb}.fulcioSubject`, 'is required');
        else {
          const iss = subj.oidcIssuer;
          if (typeof iss !== 'string' || iss === '') problem(`${fb}.fulcioSubject.oidcIssuer`, 'is required');
          else if (iss.length > 2048 || !isUrl(iss)) problem(`${fb}.fulcioSubject.oidcIssuer`, 'must be a valid URL of at most 2048 characters', iss);
          const em = subj.signedEmail;
          if (typeof em !== 'string' || em === '') problem(`${fb}.fulcioSubject.signedEmail`, 'is required');
          else if (em.length > 320 || !/^\S+@\S+$/.test(em)) problem(`${fb}.fulcioSubject.signedEmail`, 'must be an email address of at most 320 characters', em);
        }
      }
      const k = asObj(root.pki);
      if (k) {
        const kb = 'policy.rootOfTrust.pki';
        checkPem(k.caRootsData, `${kb}.caRootsData`, {what: 'CERTIFICATE', min: 72, counted: true}, true, problem);
        checkPem(k.caIntermediatesData, `${kb}.caIntermediatesData`, {what: 'CERTIFICATE', min: 72, counted: true}, false, problem);
        const subj = asObj(k.pkiCertificateSubject);
        if (!subj) problem(`${kb}.pkiCertificateSubject`, 'is required');
        else {
          const em = subj.email;
          const host = subj.hostname;
          if ((em === undefined || em === null) && (host === undefined || host === null)) problem(`${kb}.pkiCertificateSubject`, 'needs email or hostname (at least one)');
          if (typeof em === 'string' && (em.length > 320 || !/^\S+@\S+$/.test(em))) problem(`${kb}.pkiCertificateSubject.email`, 'must be an email address of at most 320 characters', em);
          if (typeof host === 'string') {
            const h = host.startsWith('*.') ? host.slice(2) : host;
            if (host.length > 253 || h.length > 253 || !dns1123Subdomain.test(h)) problem(`${kb}.pkiCertificateSubject.hostname`, 'must be a lowercase DNS subdomain name, optionally prefixed by "*."', host);
          }
        }
      }
    }
    const si = asObj(policy.signedIdentity);
    if (si) {
      const sb = 'policy.signedIdentity';
      const m = si.matchPolicy;
      const kinds = ['MatchRepoDigestOrExact', 'MatchRepository', 'ExactRepository', 'RemapIdentity'];
      if (m === undefined || m === null || m === '') problem(`${sb}.matchPolicy`, `is required (one of ${kinds.join(', ')})`);
      else if (!kinds.includes(String(m))) problem(`${sb}.matchPolicy`, `must be one of ${kinds.join(', ')}`, m);
      for (const [member, type] of [
        ['exactRepository', 'ExactRepository'],
        ['remapIdentity', 'RemapIdentity'],
      ] as const) {
        const has = si[member] !== undefined && si[member] !== null;
        if (m === type && !has) problem(`${sb}.${member}`, `is required when matchPolicy is ${type}`);
        if (m !== type && has) problem(`${sb}.${member}`, `is only allowed when matchPolicy is ${type}`);
      }
      const check = (v: unknown, field: string) => {
        if (typeof v !== 'string' || v === '') {
          problem(field, 'is required');
          return;
        }
        for (const why of repoPrefixProblems(v)) problem(field, why, v);
      };
      const er = asObj(si.exactRepository);
      if (er) check(er.repository, `${sb}.exactRepository.repository`);
      const ri = asObj(si.remapIdentity);
      if (ri) {
        check(ri.prefix, `${sb}.remapIdentity.prefix`);
        check(ri.signedPrefix, `${sb}.remapIdentity.signedPrefix`);
      }
    }
  }
  return out;
}
