/**
 * CRI-O's per-namespace signature policies, /etc/crio/policies/<namespace>.json,
 * as MCO writes them from ImagePolicy objects (helpers.go
 * updateNamespacedPolicyJSONs, imagePolicyConfigFileList). Pure.
 */
import {crioPolicyPath} from '../model/node-files.js';
import {compareBytes} from '../model/registries-conf.js';
import {McoError} from './edit-registries.js';
import {obj} from './sigstore.js';
import {decodePolicy, encodePolicy, validateImagePolicyScopes, type Requirement, type Scopes} from './policy.js';

/**
 * How containers/image re-reads a sigstoreSigned requirement from JSON
 * (prSigstoreSigned.UnmarshalJSON): empty byte fields were dropped by
 * omitempty, so a requirement built from empty data no longer parses.
 */
function checkDecodable(r: Requirement): void {
  if (r.type !== 'sigstoreSigned') return;
  const f = obj(r.fulcio);
  if (f) {
    if (f.caData === undefined) throw new Error('At least one of caPath and caData must be specified');
  }
  const k = obj(r.pki);
  if (k && k.caRootsData === undefined) throw new Error('At least one of caRootsPath and caRootsData must be specified');
  const sources = (r.keyData !== undefined ? 1 : 0) + (f ? 1 : 0) + (k ? 1 : 0);
  if (sources !== 1) throw new Error('exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, and pki must be specified');
  if (f && r.rekorPublicKeyData === undefined) {
    throw new Error('At least one of rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas must be specified if fulcio is used');
  }
}

/**
 * updateNamespacedPolicyJSONs: per namespace, the cluster policy.json plus that
 * namespace's scopes appended (atomic skips scopes with 3 or more slashes).
 */
export function namespacedPolicyJsons(
  clusterJson: string,
  policyBlocked: string[] | undefined,
  allowed: string[] | undefined,
  namespaced: Map<string, Map<string, Requirement[]>>,
): Map<string, string> {
  if (clusterJson.length === 0) throw new McoError('cluster override policy is empty');
  validateImagePolicyScopes(undefined, namespaced.keys(), allowed, policyBlocked);
  const byNs = new Map<string, Map<string, Requirement[]>>();
  for (const [scope, perNs] of namespaced) {
    for (const [ns, reqs] of perNs) {
      const m = byNs.get(ns) ?? new Map<string, Requirement[]>();
      m.set(scope, [...(m.get(scope) ?? []), ...reqs]);
      byNs.set(ns, m);
    }
  }
  const out = new Map<string, string>();
  for (const [ns, reqs] of byNs) {
    const policy = decodePolicy(clusterJson);
    try {
      for (const scopes of policy.transports.values()) for (const list of scopes.values()) list.forEach(checkDecodable);
      policy.default.forEach(checkDecodable);
    } catch (e) {
      throw new McoError(`error decoding policy json for namespaced policies: ${(e as Error).message}`);
    }
    const docker: Scopes = policy.transports.get('docker') ?? new Map();
    policy.transports.set('docker', docker);
    for (const [scope, list] of reqs) docker.set(scope, [...(docker.get(scope) ?? []), ...list]);
    const atomic: Scopes = policy.transports.get('atomic') ?? new Map();
    policy.transports.set('atomic', atomic);
    for (const [scope, list] of reqs) {
      if ((scope.match(/\//g) ?? []).length >= 3) continue;
      atomic.set(scope, [...(atomic.get(scope) ?? []), ...list]);
    }
    out.set(ns, encodePolicy(policy));
  }
  return out;
}


/** imagePolicyConfigFileList: one file per namespace, sorted by namespace. */
export function namespacedPolicyFiles(jsons: Map<string, string>): Array<{path: string; content: string}> {
  return [...jsons.keys()].sort(compareBytes).map((ns) => ({path: crioPolicyPath(ns), content: jsons.get(ns)!}));
}
