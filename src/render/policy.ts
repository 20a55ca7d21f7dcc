/**
 * policy.json as MCO writes it (updatePolicyJSON in MCO's
 * container-runtime-config helpers.go): the template decoded, the allowed /
 * blocked scopes applied, cluster-wide signature requirements appended, and
 * re-encoded with Go's json.MarshalIndent.
 */
import type {GoJson} from './gojson.js';
import {goMarshal} from './gojson.js';
import {McoError} from './edit-registries.js';
import {isValidRegistriesConfScope, scopeIsNestedInsideScope} from '../model/scope.js';
import {goQuote} from '../lib/errors.js';

/** A policy requirement in Go struct field order (e.g. `{type: "reject"}`). */
export type Requirement = {[k: string]: GoJson | undefined};
export type Scopes = Map<string, Requirement[]>;

export interface Policy {
  default: Requirement[];
  transports: Map<string, Scopes>;
}

export const reject = (): Requirement => ({type: 'reject'});
export const insecureAcceptAnything = (): Requirement => ({type: 'insecureAcceptAnything'});

/** Decode a policy.json the way signature.Policy's UnmarshalJSON would keep it. */
export function decodePolicy(text: string): Policy {
  const raw = JSON.parse(text) as {default?: Requirement[]; transports?: Record<string, Record<string, Requirement[]>>};
  const transports = new Map<string, Scopes>();
  for (const [t, scopes] of Object.entries(raw.transports ?? {})) {
    transports.set(t, new Map(Object.entries(scopes).map(([s, reqs]) => [s, reqs.map((r) => ({...r}))])));
  }
  return {default: (raw.default ?? []).map((r) => ({...r})), transports};
}

export function encodePolicy(p: Policy): string {
  const transports = new Map<string, GoJson>();
  for (const [t, scopes] of p.transports) {
    transports.set(t, new Map([...scopes].map(([s, reqs]) => [s, reqs as GoJson])));
  }
  return goMarshal({default: p.default as GoJson, transports}, '  ');
}

export interface PolicyInput {
  template: string;
  policyBlocked: string[] | undefined;
  allowed: string[] | undefined;
  payloadRepo: () => string;
  /** ClusterImagePolicy requirements per scope (signature policies). */
  clusterScopePolicies: Map<string, Requirement[]>;
}

/**
 * validateImagePolicyWithAllowedBlockedRegistries: every policy scope must be
 * nested inside some allowed entry (when there are any) and inside no blocked
 * entry. Scopes are visited in the given order: for several failing scopes MCO
 * names whichever its map iteration meets first.
 */
export function validateImagePolicyScopes(
  clusterScopes: Iterable<string> | undefined,
  namespaceScopes: Iterable<string> | undefined,
  allowed: string[] | undefined,
  policyBlocked: string[] | undefined,
): void {
  const allow = allowed ?? [];
  const block = policyBlocked ?? [];
  if (allow.length === 0 && block.length === 0) return;
  for (const [kind, scopes] of [
    ['clusterimagePolicy', [...(clusterScopes ?? [])]],
    ['imagePolicy', [...(namespaceScopes ?? [])]],
  ] as const) {
    const notAllowed = allow.length > 0 ? scopes.filter((scope) => !allow.some((a) => scopeIsNestedInsideScope(scope, a))) : [];
    if (notAllowed.length > 0) {
      const scope = notAllowed[0]!;
      throw new ScopeValidationError(`${kind} configured for the scope ${scope} is not nested inside allowedRegistries`, 'spec.registrySources.allowedRegistries', scope, notAllowed);
    }
    const blocked = scopes.filter((scope) => block.some((x) => scopeIsNestedInsideScope(scope, x)));
    if (blocked.length > 0) {
      const scope = blocked[0]!;
      const b = block.find((x) => scopeIsNestedInsideScope(scope, x))!;
      throw new ScopeValidationError(`${kind} configured for the scope ${scope} is nested inside blockedRegistries`, 'spec.registrySources.blockedRegistries', b, blocked);
    }
  }
}

/** A policy scope outside the allowed / inside the blocked registries; `failing` lists every such scope (MCO names a random one). */
export class ScopeValidationError extends McoError {
  override name = 'ScopeValidationError';
  constructor(
    message: string,
    field: string,
    value: string,
    readonly failing: string[],
  ) {
    super(message, field, value);
  }
}

/** updatePolicyJSON: returns the new file, or throws McoError with MCO's message. */
export function updatePolicyJson(input: PolicyInput): string {
  const {policyBlocked, allowed, clusterScopePolicies} = input;
  if (allowed && allowed.length > 0 && policyBlocked && policyBlocked.length > 0) {
    const payloadRepo = input.payloadRepo();
    if (!(allowed.length === 1 && allowed[0] === payloadRepo)) {
      throw new McoError('invalid images config: only one of AllowedRegistries or BlockedRegistries may be specified', 'spec.registrySources');
    }
  }
  validateImagePolicyScopes(clusterScopePolicies.keys(), undefined, allowed, policyBlocked);
  // Without lists or ClusterImagePolicy scopes the template comes back byte for byte (ImagePolicy-only clusters).
  if (allowed === undefined && policyBlocked === undefined && clusterScopePolicies.size === 0) return input.template;

  for (const [i, scope] of (policyBlocked ?? []).entries()) {
    if (!isValidRegistriesConfScope(scope)) {
      throw new McoError(`invalid entry for blocked registries ${goQuote(scope)}`, `spec.registrySources.blockedRegistries[${i}]`, scope);
    }
  }
  for (const [i, scope] of (allowed ?? []).entries()) {
    if (!isValidRegistriesConfScope(scope)) {
      throw new McoError(`invalid entry for allowed registries ${goQuote(scope)}`, `spec.registrySources.allowedRegistries[${i}]`, scope);
    }
  }

  const policy = decodePolicy(input.template);
  const scopes: Scopes = new Map();
  if (allowed && allowed.length > 0) {
    policy.default = [reject()];
    for (const reg of allowed) {
      if (clusterScopePolicies.has(reg)) continue;
      scopes.set(reg, [insecureAcceptAnything()]);
    }
  }
  if (policyBlocked && policyBlocked.length > 0) {
    policy.default = [insecureAcceptAnything()];
    for (const reg of policyBlocked) scopes.set(reg, [reject()]);
  }
  for (const [scope, reqs] of clusterScopePolicies) scopes.set(scope, [...(scopes.get(scope) ?? []), ...reqs]);

  if (scopes.size > 0) {
    policy.transports.set('docker', scopes);
    const atomic: Scopes = new Map();
    for (const [reg, reqs] of scopes) if ((reg.match(/\//g) ?? []).length < 3) atomic.set(reg, reqs);
    policy.transports.set('atomic', atomic);
  }
  return encodePolicy(policy);
}
