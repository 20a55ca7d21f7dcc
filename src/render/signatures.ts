/**
 * Questions about signature policies that `explain`, `status` and `verify` ask:
 * which requirement applies to an image on a node (and which ClusterImagePolicy
 * or ImagePolicy it came from), and the list of policies with what MCO does
 * with each. Pure: answers come from the files renderMco predicts.
 *
 * Policy lookup follows containers-policy.json(5) for the docker transport
 * (containers/image signature.PolicyContext and
 * docker/policyconfiguration.DockerReferenceNamespaces): the most specific
 * scope wins (full reference, then repository, its parent namespaces, the
 * host[:port], then `*.` wildcard domains), then the transport's "" entry, then
 * `default`.
 */
import {createHash} from 'node:crypto';
import {parseNormalizedNamed, refString} from '../model/reference.js';
import {policyNamespaces} from '../model/policy-match.js';
import {scopeIsNestedInsideScope as isNested} from '../model/scope.js';
import type {ClusterState, PolicyObj} from '../model/types.js';
import {McoError, renderMco, type MirrorRenderHooks, type RenderOutcome} from './mco.js';
import {decodePolicy, type Requirement} from './policy.js';
import {
  orderedPolicies,
  policyLabel,
  policyRequirement,
  scopesOf,
  validScopePolicies,
  type ImagePolicyStatus,
  type PolicyCondition,
  type PolicyRef,
  type ScopePolicies,
  type ScopeRequirement,
} from './sigstore.js';
import {crioPolicyPath, CRIO_POLICIES_DIR, POLICY_JSON_PATH, SIGSTORE_REGISTRIES_PATH} from '../model/node-files.js';
import {TEMPLATE_POLICY_JSON} from './templates.js';

export type RootOfTrust =
  | {policyType: 'PublicKey'; keySha256: string; rekorKeySha256?: string}
  | {policyType: 'FulcioCAWithRekor'; caSha256: string; oidcIssuer: string; subjectEmail: string; rekorKeySha256?: string}
  | {policyType: 'PKI'; caRootsSha256: string; caIntermediatesSha256?: string; subjectEmail?: string; subjectHostname?: string}
  | {policyType: string};

export interface SignedIdentity {
  /** matchRepoDigestOrExact, matchRepository, exactRepository or remapIdentity (policy.json spelling). */
  type: string;
  dockerRepository?: string;
  prefix?: string;
  signedPrefix?: string;
}

/** One sigstoreSigned requirement that applies, and the object(s) it came from. */
export interface SignatureTrust {
  policies: PolicyRef[];
  rootOfTrust: RootOfTrust;
  signedIdentity: SignedIdentity;
}

export interface SignatureRequirementResult {
  /** The reference as the node's policy sees it (normalised, `:latest` added when neither tag nor digest). */
  reference: string;
  /** Policy file consulted: the namespace's CRI-O policy when it exists and a namespace was given, else policy.json. */
  file: string;
  /** Whether that file comes from 99-<pool>-generated-registries or is the node's base template. */
  fileOrigin: 'machineconfig' | 'template';
  /** The scope key that matched; '' for the transport-wide entry; undefined when `default` applies. */
  scope?: string;
  /**
   * reject: the image is refused; accept: no signature needed;
   * signed: every listed signature requirement must be met;
   * unknown: MCO refuses the whole sync (see mcoError) and nodes keep whatever they had.
   */
  verdict: 'reject' | 'accept' | 'signed' | 'unknown';
  /** The requirement list from the file, as written. */
  requirements: Requirement[];
  /** The sigstoreSigned requirements that apply, with their ClusterImagePolicy/ImagePolicy. */
  signatures: SignatureTrust[];
  /** The ImagePolicy scopes MCO dropped for this namespace because a ClusterImagePolicy covers them. */
  ignoredImagePolicyScopes: Array<{policy: PolicyRef; scopes: string[]}>;
  mcoError?: string;
}

const sha = (b64: unknown): string | undefined => (typeof b64 === 'string' && b64 !== '' ? createHash('sha256').update(Buffer.from(b64, 'base64')).digest('hex') : undefined);

/** A readable summary of a sigstoreSigned requirement (key fingerprints are sha256 of the PEM bytes). */
export function describeRequirement(r: Requirement): {rootOfTrust: RootOfTrust; signedIdentity: SignedIdentity} {
  const si = (r.signedIdentity ?? {type: 'matchRepoDigestOrExact'}) as unknown as SignedIdentity;
  const f = r.fulcio as Record<string, string | undefined> | undefined;
  const p = r.pki as Record<string, string | undefined> | undefined;
  const rekor = sha(r.rekorPublicKeyData);
  let rootOfTrust: RootOfTrust;
  if (f) rootOfTrust = {policyType: 'FulcioCAWithRekor', caSha256: sha(f.caData) ?? '', oidcIssuer: f.oidcIssuer ?? '', subjectEmail: f.subjectEmail ?? '', ...(rekor ? {rekorKeySha256: rekor} : {})};
  else if (p) {
    rootOfTrust = {
      policyType: 'PKI',
      caRootsSha256: sha(p.caRootsData) ?? '',
      ...(p.caIntermediatesData ? {caIntermediatesSha256: sha(p.caIntermediatesData)} : {}),
      ...(p.subjectEmail ? {subjectEmail: p.subjectEmail} : {}),
      ...(p.subjectHostname ? {subjectHostname: p.subjectHostname} : {}),
    };
  } else rootOfTrust = {policyType: 'PublicKey', keySha256: sha(r.keyData) ?? '', ...(rekor ? {rekorKeySha256: rekor} : {})};
  return {rootOfTrust, signedIdentity: {...si}};
}

function verdictOf(reqs: Requirement[]): 'reject' | 'accept' | 'signed' {
  if (reqs.some((r) => r.type === 'reject')) return 'reject';
  if (reqs.length > 0 && reqs.every((r) => r.type === 'insecureAcceptAnything')) return 'accept';
  // An empty list is refused by containers/image; anything else needs a signature check.
  return reqs.length === 0 ? 'reject' : 'signed';
}

function trustAt(scope: string | undefined, sp: ScopePolicies, namespace: string | undefined, nsFile: boolean): SignatureTrust[] {
  if (scope === undefined) return [];
  const list: ScopeRequirement[] = [...(sp.cluster.get(scope) ?? [])];
  if (nsFile && namespace !== undefined) list.push(...(sp.namespaced.get(scope)?.get(namespace) ?? []));
  const out: SignatureTrust[] = [];
  for (const x of list) out.push({policies: [x.policy], ...describeRequirement(x.requirement)});
  return out;
}

/**
 * The signature requirement a node applies to `imageRef`: for CRI-O pulls in
 * `namespace` (its /etc/crio/policies/<namespace>.json when MCO writes one),
 * otherwise for podman/skopeo/CRI-O with /etc/containers/policy.json.
 * Throws ReferenceError for an unparseable reference.
 */
export function signatureRequirementFor(
  imageRef: string,
  state: ClusterState,
  opts: {namespace?: string; hooks?: MirrorRenderHooks; outcome?: RenderOutcome} = {},
): SignatureRequirementResult {
  const parsed = parseNormalizedNamed(imageRef);
  const ref = parsed.tag === undefined && parsed.digest === undefined ? {...parsed, tag: 'latest'} : parsed;
  const reference = refString(ref);
  const outcome = opts.outcome ?? renderMco(state, opts.hooks);
  const ns = opts.namespace;
  let sp: ScopePolicies = {cluster: new Map(), namespaced: new Map(), conflicts: []};
  try {
    if (opts.hooks?.sigstore !== false) sp = validScopePolicies(state.policies);
  } catch (e) {
    if (!(e instanceof McoError)) throw e;
  }
  const ignored = sp.conflicts.filter((c) => ns !== undefined && c.policy.namespace === ns);
  if (outcome.error) {
    return {reference, file: POLICY_JSON_PATH, fileOrigin: 'template', verdict: 'unknown', requirements: [], signatures: [], ignoredImagePolicyScopes: ignored, mcoError: outcome.error.message};
  }
  const nsFile = ns !== undefined ? outcome.files.find((f) => f.path === crioPolicyPath(ns)) : undefined;
  const clusterFile = outcome.files.find((f) => f.path === POLICY_JSON_PATH);
  const file = nsFile ?? clusterFile;
  const policy = decodePolicy(file?.content ?? TEMPLATE_POLICY_JSON);
  const docker = policy.transports.get('docker') ?? new Map<string, Requirement[]>();
  let scope: string | undefined;
  for (const candidate of [reference, ...policyNamespaces(ref)]) {
    if (docker.has(candidate)) {
      scope = candidate;
      break;
    }
  }
  if (scope === undefined && docker.has('')) scope = '';
  const requirements = scope !== undefined ? docker.get(scope)! : policy.default;
  return {
    reference,
    file: nsFile ? nsFile.path : POLICY_JSON_PATH,
    fileOrigin: file ? 'machineconfig' : 'template',
    scope,
    verdict: verdictOf(requirements),
    requirements,
    signatures: trustAt(scope, sp, ns, nsFile !== undefined),
    ignoredImagePolicyScopes: ignored,
  };
}

export interface SignaturePolicySummary extends PolicyRef {
  scopes: string[];
  /** Scopes that reach node files (ImagePolicy: those not covered by a ClusterImagePolicy). */
  appliedScopes: string[];
  /** ImagePolicy scopes MCO drops because a ClusterImagePolicy scope covers them. */
  ignoredScopes: string[];
  rootOfTrust?: RootOfTrust;
  signedIdentity?: SignedIdentity;
  /** Files this object contributes to on every node. */
  files: string[];
  /** ImagePolicy status.conditions as MCO leaves them after a sync (ClusterImagePolicy: MCO writes none). */
  conditions: PolicyCondition[];
  /** MCO's error for this object (it stops the whole image-config sync), when it has one. */
  error?: string;
  /** True when MCO's controller would crash on this object. */
  panic?: boolean;
}

/** Every ClusterImagePolicy then ImagePolicy (sorted), with what MCO makes of each. */
export function listSignaturePolicies(state: ClusterState, hooks: MirrorRenderHooks = {}): SignaturePolicySummary[] {
  const {cluster, namespaced} = orderedPolicies(state.policies);
  let statuses: ImagePolicyStatus[] = [];
  try {
    statuses = renderMco(state, hooks).imagePolicyStatus;
  } catch {
    statuses = [];
  }
  const clusterScopes = [...cluster.flatMap(scopesOf)];
  const summarize = (p: PolicyObj): SignaturePolicySummary => {
    const ref: PolicyRef = {kind: p.kind, name: p.name, namespace: p.namespace, source: p.source};
    const scopes = scopesOf(p);
    const ns = p.namespace ?? 'default';
    const ignored = p.kind === 'ImagePolicy' ? scopes.filter((s) => clusterScopes.some((c) => isNested(s, c))) : [];
    const applied = scopes.filter((s) => !ignored.includes(s));
    const summary: SignaturePolicySummary = {
      ...ref,
      scopes,
      appliedScopes: applied,
      ignoredScopes: ignored,
      files: applied.length === 0 ? [] : p.kind === 'ImagePolicy' ? [crioPolicyPath(ns), SIGSTORE_REGISTRIES_PATH] : [POLICY_JSON_PATH, ...(namespaced.length > 0 ? [`${CRIO_POLICIES_DIR}/*.json`] : []), SIGSTORE_REGISTRIES_PATH],
      conditions: p.kind === 'ImagePolicy' ? (statuses.find((s) => s.namespace === ns && s.name === p.name)?.conditions ?? []) : [],
    };
    try {
      const req = policyRequirement(p.spec.policy, {source: p.source});
      Object.assign(summary, describeRequirement(req));
    } catch (e) {
      if (!(e instanceof McoError)) throw e;
      summary.error = e.message;
      if ((e as {panic?: boolean}).panic) summary.panic = true;
      summary.files = [];
    }
    return summary;
  };
  return [...cluster.map(summarize), ...namespaced.map(summarize)];
}

/** A one-line description of where a requirement came from, for human output. */
export function describeTrust(t: SignatureTrust): string {
  const who = t.policies.map(policyLabel).join(', ');
  const r = t.rootOfTrust as Record<string, string | undefined>;
  const how =
    r.policyType === 'PublicKey'
      ? `public key sha256:${r.keySha256?.slice(0, 16)}…${r.rekorKeySha256 ? ' with Rekor' : ''}`
      : r.policyType === 'FulcioCAWithRekor'
        ? `Fulcio identity ${r.subjectEmail} issued by ${r.oidcIssuer}`
        : `PKI certificate for ${[r.subjectEmail, r.subjectHostname].filter(Boolean).join(' / ')}`;
  return `${who}: ${how}, identity ${t.signedIdentity.type}`;
}
