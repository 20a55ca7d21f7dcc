/**
 * The node files MCO's container-runtime-config controller generates from the
 * cluster's image configuration (syncImageConfig -> registriesConfigIgnition),
 * re-implemented as a pure function. Behaviour and error texts follow upstream
 * (pkg/controller/container-runtime-config/{helpers.go,container_runtime_config_controller.go});
 * the vectors in test/fixtures/vectors are the byte-level authority.
 */
import {parseNamed, refName, ReferenceError, type ImageReference} from '../model/reference.js';
import type {RegistriesConf} from '../model/registries-conf.js';
import {isValidRegistriesConfScope, mirrorPattern, scopeIsNestedInsideScope, sourcePattern} from '../model/scope.js';
import {findRegistry, loadRegistries, pullSources} from '../model/sysregistries.js';
import type {ClusterState, ImageSpec, MirrorSet, PolicyObj, RegistrySources} from '../model/types.js';
import {goQuote, goQuoteList} from '../lib/errors.js';
import {parseToml} from '../lib/toml.js';
import {editRegistriesConfig, McoError} from './edit-registries.js';
import {ScopeValidationError, updatePolicyJson} from './policy.js';
import {
  existingConditions,
  orderDependentScopes,
  orderedPolicies,
  policyRequirement,
  requirementsOf,
  validScopePolicies,
  type ImagePolicyStatus,
  type ScopePolicies,
} from './sigstore.js';
import {sigstoreRegistriesYaml} from './sigstore-yaml.js';
import {namespacedPolicyFiles, namespacedPolicyJsons} from './crio-policies.js';
import {encodeRegistriesConf} from './toml.js';
import {POLICY_JSON_PATH, REGISTRIES_CONF_PATH, SEARCH_DROPIN_PATH, SIGSTORE_REGISTRIES_PATH, type NodeFileText} from '../model/node-files.js';
import {TEMPLATE_POLICY_JSON, TEMPLATE_REGISTRIES_CONF} from './templates.js';

export {McoError};
export {McoPanic, type ImagePolicyStatus} from './sigstore.js';


/** A log line MCO writes while it drops part of the input and carries on. */
export interface McoWarning {
  message: string;
  field?: string;
  value?: string;
  /**
   * payload-blocked-dropped: MCO logs and drops a blocked entry (its log line);
   * order-dependent: not an MCO log line; the cluster's bytes may differ from
   * ours between syncs because MCO lists objects in random order.
   */
  code?: 'payload-blocked-dropped' | 'order-dependent' | 'hint';
}

export interface MirrorRenderHooks {
  /**
   * The SigstoreImageVerification feature gate (Default-on from 4.21). Off:
   * MCO ignores ClusterImagePolicy and ImagePolicy objects completely.
   */
  sigstore?: boolean;
}

export interface RenderOutcome {
  /** False when MCO would not create or touch the MachineConfig at all. */
  machineConfig: boolean;
  /** Files carried by 99-<pool>-generated-registries, in MachineConfig order. */
  files: NodeFileText[];
  /** MCO refuses the whole sync: nodes keep their previous files. */
  error?: McoError;
  warnings: McoWarning[];
  /**
   * status.conditions of every ImagePolicy after the sync, sorted by namespace
   * and name: MCO's ConflictScopes condition where it writes one, the input's
   * conditions otherwise. Data for status/explain; no node file.
   */
  imagePolicyStatus: ImagePolicyStatus[];
}

/** MCO parses the release image once; an unparseable one stops the sync before anything else. */
export function payloadRepository(releaseImage: string): ImageReference {
  try {
    return parseNamed(releaseImage);
  } catch (e) {
    if (e instanceof ReferenceError) throw new McoError('error parsing reference of release image', 'ClusterVersion status.desired.image', releaseImage);
    throw e;
  }
}

function templateConf(): RegistriesConf {
  const t = parseToml(TEMPLATE_REGISTRIES_CONF) as Record<string, unknown>;
  return {
    unqualifiedSearchRegistries: (t['unqualified-search-registries'] as string[] | undefined) ?? undefined,
    shortNameMode: (t['short-name-mode'] as string | undefined) ?? '',
    additionalLayerStoreAuthHelper: (t['additional-layer-store-auth-helper'] as string | undefined) ?? '',
    registries: [],
  };
}

function digestSets(sets: MirrorSet[]): MirrorSet[] {
  return sets.filter((s) => s.kind !== 'ImageTagMirrorSet');
}

/** payloadRepoHasUnblockedMirror: is there a digest pull source for the payload outside every blocked scope? */
function payloadHasUnblockedMirror(payload: ImageReference, sets: MirrorSet[], spec: ImageSpec): boolean {
  const rs = spec.registrySources ?? {};
  const conf: RegistriesConf = {shortNameMode: '', additionalLayerStoreAuthHelper: '', registries: []};
  editRegistriesConfig(conf, rs.insecureRegistries ?? [], rs.blockedRegistries ?? [], digestSets(sets));
  const reg = findRegistry(loadRegistries(conf), refName(payload));
  if (!reg) return false;
  const blocked = rs.blockedRegistries ?? [];
  return pullSources(reg, payload).some((s) => !blocked.some((b) => scopeIsNestedInsideScope(refName(s.reference), b)));
}

interface ValidLists {
  registriesBlocked?: string[];
  policyBlocked?: string[];
  allowed?: string[];
}

/** getValidBlockedAndAllowedRegistries, with its logged-and-ignored error as a warning. */
function validBlockedAndAllowed(payload: ImageReference, spec: ImageSpec, sets: MirrorSet[], warnings: McoWarning[]): ValidLists {
  const rs = spec.registrySources ?? {};
  const payloadRepo = refName(payload);
  const out: ValidLists = {};
  const dropped: string[] = [];
  const push = (k: keyof ValidLists, v: string) => (out[k] ??= []).push(v);
  try {
    for (const reg of rs.blockedRegistries ?? []) {
      if (scopeIsNestedInsideScope(payloadRepo, reg)) {
        if (!payloadHasUnblockedMirror(payload, sets, spec)) {
          dropped.push(reg);
          continue;
        }
        push('registriesBlocked', reg);
        if (payloadRepo !== reg) push('policyBlocked', reg);
        push('allowed', payloadRepo);
        continue;
      }
      push('registriesBlocked', reg);
      push('policyBlocked', reg);
    }
  } catch (e) {
    // MCO logs the failure and continues with no blocked or allowed registries at all.
    warnings.push({code: 'payload-blocked-dropped', message: `${(e as Error).message}, skipping....`, field: 'spec.registrySources.blockedRegistries'});
    return {};
  }
  for (const a of rs.allowedRegistries ?? []) push('allowed', a);
  if (dropped.length > 0) {
    warnings.push({
      code: 'payload-blocked-dropped',
      message: `error adding ${goQuoteList(dropped)} to blocked registries, cannot block the repository being used by the payload`,
      field: 'spec.registrySources.blockedRegistries',
      value: dropped.join(', '),
    });
  }
  return out;
}

function objectField(set: MirrorSet, i: number, key: string): string {
  const list = set.kind === 'ImageContentSourcePolicy' ? 'repositoryDigestMirrors' : set.kind === 'ImageDigestMirrorSet' ? 'imageDigestMirrors' : 'imageTagMirrors';
  return `${set.kind}/${set.name} spec.${list}[${i}]${key ? '.' + key : ''}`;
}

/** validateRegistriesConfScopes: MCO's own checks, first failure wins, in MCO's order. */
export function validateRegistriesConfScopes(insecure: string[], blocked: string[], sets: MirrorSet[]): void {
  for (const [i, s] of insecure.entries()) {
    if (!isValidRegistriesConfScope(s)) throw new McoError(`invalid entry for insecure registries ${goQuote(s)}`, `spec.registrySources.insecureRegistries[${i}]`, s);
  }
  for (const [i, s] of blocked.entries()) {
    if (!isValidRegistriesConfScope(s)) throw new McoError(`invalid entry for blocked registries ${goQuote(s)}`, `spec.registrySources.blockedRegistries[${i}]`, s);
  }
  const policies = new Map<string, string>();
  const ordered = [
    ...sets.filter((s) => s.kind === 'ImageDigestMirrorSet'),
    ...sets.filter((s) => s.kind === 'ImageContentSourcePolicy'),
    ...sets.filter((s) => s.kind === 'ImageTagMirrorSet'),
  ];
  for (const set of ordered) {
    for (const [i, rule] of set.rules.entries()) {
      const src = rule.source;
      if (!sourcePattern.test(src)) throw new McoError(`invalid format for source ${goQuote(src)}`, objectField(set, i, 'source'), src, set.source);
      const policy = rule.mirrorSourcePolicy || 'AllowContactingSource';
      const seen = policies.get(src);
      if (seen === undefined) policies.set(src, policy);
      else if (seen !== policy) {
        throw new McoError(
          `conflicting mirrorSourcePolicy is set for the same source ${goQuote(src)} in imagedigestmirrorsets, imagetagmirrorsets, or imagecontentsourcepolicies`,
          objectField(set, i, 'mirrorSourcePolicy'),
          rule.mirrorSourcePolicy || '(unset: AllowContactingSource)',
          set.source,
        );
      }
      for (const [j, m] of (rule.mirrors ?? []).entries()) {
        if (!mirrorPattern.test(m)) throw new McoError(`invalid format for mirror ${goQuote(m)}`, objectField(set, i, `mirrors[${j}]`), m, set.source);
        if (policy === 'NeverContactSource' && m === src) {
          throw new McoError(`cannot set mirrorSourcePolicy: NeverContactSource if the source ${goQuote(src)} is one of the mirrors`, objectField(set, i, `mirrors[${j}]`), m, set.source);
        }
      }
    }
  }
}

function wrap(prefix: string, e: unknown): never {
  if (e instanceof McoError) throw new McoError(prefix + e.message, e.field, e.value, e.source);
  throw e;
}

/** The edited registries.conf, as bytes and as the structure MCO decodes them back into. */
export function editedRegistriesConf(insecure: string[] | undefined, blocked: string[] | undefined, sets: MirrorSet[]): {toml: string; conf: RegistriesConf} {
  const conf = templateConf();
  validateRegistriesConfScopes(insecure ?? [], blocked ?? [], sets);
  editRegistriesConfig(conf, insecure ?? [], blocked ?? [], sets);
  return {toml: encodeRegistriesConf(conf), conf};
}

export function renderSearchDropIn(search: string[]): string {
  return encodeRegistriesConf({unqualifiedSearchRegistries: search, shortNameMode: '', additionalLayerStoreAuthHelper: '', registries: []});
}

const MC_PREFIX = 'could not Create/Update MachineConfig: ';

function statusWithDefaults(state: ClusterState, written: Map<string, ImagePolicyStatus>): ImagePolicyStatus[] {
  return orderedPolicies(state.policies).namespaced.map((p) => {
    const ns = p.namespace ?? 'default';
    return written.get(`${ns}/${p.name}`) ?? {namespace: ns, name: p.name, conditions: existingConditions(p)};
  });
}

/**
 * The allowed list MCO checks policy scopes against can be one the user never
 * wrote: blocking the payload's registry (with a payload mirror) makes it
 * [payload repository]. Point the error at blockedRegistries and say why.
 */
function implicitAllowed(e: unknown, rs: RegistrySources, allowed: string[] | undefined, payloadRepo: string, warnings: McoWarning[]): unknown {
  if (!(e instanceof ScopeValidationError) || rs.allowedRegistries !== undefined || e.field !== 'spec.registrySources.allowedRegistries') return e;
  warnings.push({
    code: 'hint',
    field: 'spec.registrySources.blockedRegistries',
    message: `allowedRegistries is not set, but because blockedRegistries covers the release payload (which has a mirror), MCO checks signature policy scopes against the implicit allowed list ${goQuoteList(allowed ?? [])}; the scopes ${e.failing.join(', ')} are outside it`,
  });
  const blocker = (rs.blockedRegistries ?? []).find((b) => scopeIsNestedInsideScope(payloadRepo, b));
  return new McoError(e.message, 'spec.registrySources.blockedRegistries', blocker, e.source);
}

/** Several failing scopes: MCO names whichever its map iteration meets first. */
function warnScopeOrder(e: unknown, warnings: McoWarning[]): void {
  if (!(e instanceof ScopeValidationError) || e.failing.length < 2) return;
  warnings.push({
    code: 'order-dependent',
    field: e.field,
    message: `the scopes ${e.failing.join(', ')} all fail this check; MCO iterates a Go map and may name any of them in its error`,
  });
}

/**
 * Objects policyItemFromSpec refuses (or would crash on) among those MCO
 * converts first: every ClusterImagePolicy goes before any ImagePolicy, in
 * random order within each kind.
 */
function brokenPolicies(policies: PolicyObj[]): string[] {
  const broken = (list: PolicyObj[]) =>
    list.filter((p) => {
      try {
        policyRequirement(p.spec.policy);
        return false;
      } catch (e) {
        if (e instanceof McoError) return true;
        throw e;
      }
    });
  const {cluster, namespaced} = orderedPolicies(policies);
  const first = broken(cluster);
  return (first.length > 0 ? first : broken(namespaced)).map((p) => (p.kind === 'ImagePolicy' ? `ImagePolicy ${p.namespace ?? 'default'}/${p.name}` : `ClusterImagePolicy ${p.name}`));
}

function orderWarnings(sp: ScopePolicies): McoWarning[] {
  return orderDependentScopes(sp).map((d) => ({
    code: 'order-dependent' as const,
    field: 'spec.scopes',
    value: d.scope,
    message:
      `${d.namespace ? `ImagePolicies in namespace ${d.namespace}` : 'ClusterImagePolicies'} ${[...new Set(d.policies.map((p) => p.name))].join(', ')} share the scope ${d.scope}: ` +
      `MCO appends their requirements in the random order it lists the objects, so the cluster's ${d.namespace ? `/etc/crio/policies/${d.namespace}.json` : 'policy.json'} may flip between this order and another on every resync (same meaning: all requirements must pass)`,
  }));
}

/**
 * Everything MCO would put in 99-<pool>-generated-registries for this state,
 * in syncImageConfig's order of checks: release image, blocked/allowed lists,
 * signature policies (getValidScopePolicies), then per pool registries.conf,
 * policy.json, per-namespace policies and sigstore-registries.yaml.
 * `releaseImage` must be set when the state has none (offline manifests).
 */
export function renderMco(state: ClusterState, hooks: MirrorRenderHooks = {}): RenderOutcome {
  const warnings: McoWarning[] = [];
  const statuses = new Map<string, ImagePolicyStatus>();
  const done = (o: Omit<RenderOutcome, 'imagePolicyStatus' | 'warnings'>): RenderOutcome => ({...o, warnings, imagePolicyStatus: statusWithDefaults(state, statuses)});
  if (!state.image) return done({machineConfig: false, files: []});
  const spec = state.image.spec ?? {};
  const rs = spec.registrySources ?? {};
  try {
    const payload = payloadRepository(state.releaseImage ?? '');
    const lists = validBlockedAndAllowed(payload, spec, state.mirrorSets, warnings);
    let sp: ScopePolicies = {cluster: new Map(), namespaced: new Map(), conflicts: []};
    if (hooks.sigstore !== false) {
      try {
        sp = validScopePolicies(state.policies, (s) => statuses.set(`${s.namespace}/${s.name}`, s));
      } catch (e) {
        const broken = brokenPolicies(state.policies);
        if (broken.length > 1) {
          warnings.push({
            code: 'order-dependent',
            message: `${broken.join(', ')} are all refused by MCO; it reports the first one it lists, in random order, so the cluster may show another object's error than this one`,
          });
        }
        throw e;
      }
    }
    warnings.push(...orderWarnings(sp));
    const files: NodeFileText[] = [];
    let registries: {toml: string; conf: RegistriesConf} | undefined;
    if (rs.insecureRegistries !== undefined || lists.registriesBlocked !== undefined || state.mirrorSets.length > 0) {
      try {
        registries = editedRegistriesConf(rs.insecureRegistries, lists.registriesBlocked, state.mirrorSets);
      } catch (e) {
        wrap(MC_PREFIX + 'could not update registries config with new changes: ', e);
      }
      files.push({path: REGISTRIES_CONF_PATH, content: registries.toml});
    }
    if (lists.policyBlocked !== undefined || lists.allowed !== undefined || sp.cluster.size > 0 || sp.namespaced.size > 0) {
      let policyJson: string;
      try {
        policyJson = updatePolicyJson({
          template: TEMPLATE_POLICY_JSON,
          policyBlocked: lists.policyBlocked,
          allowed: lists.allowed,
          payloadRepo: () => refName(payload),
          clusterScopePolicies: requirementsOf(sp.cluster),
        });
      } catch (e) {
        warnScopeOrder(e, warnings);
        wrap(MC_PREFIX + 'could not update policy json with new changes: ', implicitAllowed(e, rs, lists.allowed, refName(payload), warnings));
      }
      let nsJsons: Map<string, string>;
      try {
        nsJsons = namespacedPolicyJsons(policyJson, lists.policyBlocked, lists.allowed, new Map([...sp.namespaced].map(([scope, byNs]) => [scope, requirementsOf(byNs)])));
      } catch (e) {
        warnScopeOrder(e, warnings);
        wrap(MC_PREFIX + 'could not update namespace policy JSON from imagepolicy: ', implicitAllowed(e, rs, lists.allowed, refName(payload), warnings));
      }
      let yaml: string | undefined;
      try {
        yaml = sigstoreRegistriesYaml([...sp.cluster.keys(), ...sp.namespaced.keys()], registries?.conf);
      } catch (e) {
        wrap(MC_PREFIX, e);
      }
      files.push({path: POLICY_JSON_PATH, content: policyJson});
      if (yaml !== undefined) files.push({path: SIGSTORE_REGISTRIES_PATH, content: yaml});
      files.push(...namespacedPolicyFiles(nsJsons));
    }
    if (rs.containerRuntimeSearchRegistries !== undefined) {
      files.push({path: SEARCH_DROPIN_PATH, content: renderSearchDropIn(rs.containerRuntimeSearchRegistries)});
    }
    return done({machineConfig: true, files});
  } catch (e) {
    if (e instanceof McoError) return done({machineConfig: true, files: [], error: e});
    throw e;
  }
}
