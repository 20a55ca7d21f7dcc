/**
 * Which policy.json section containers/image applies to a `docker` transport
 * reference, and what it says. Follows signature/policy_eval.go
 * (PolicyContext.requirementsForImageRef) and docker/policyconfiguration/naming.go
 * (DockerReferenceIdentity, DockerReferenceNamespaces). Pure.
 */
import {refName, type ImageReference} from './reference.js';
import type {PolicyJson, PolicyRequirementIn} from './node-config.js';

/** `name:tag` or `name@digest`: the exact-match key. */
export function policyIdentity(ref: ImageReference): string {
  const name = refName(ref);
  if (ref.digest !== undefined) return `${name}@${ref.digest}`;
  return `${name}:${ref.tag ?? 'latest'}`;
}

/**
 * The scopes tried after the identity, most specific first: the repository,
 * each parent namespace, the registry host[:port], then `*.domain` wildcards of
 * the host with its port stripped (so `*.example.com` covers `a.example.com:5000`
 * while plain `example.com` does not cover `example.com:5000`).
 */
export function policyNamespaces(ref: ImageReference): string[] {
  const out: string[] = [];
  let name = refName(ref);
  for (;;) {
    out.push(name);
    const i = name.lastIndexOf('/');
    if (i === -1) break;
    name = name.slice(0, i);
  }
  const colon = name.indexOf(':');
  if (colon !== -1) name = name.slice(0, colon);
  for (;;) {
    const dot = name.indexOf('.');
    if (dot === -1) break;
    name = name.slice(dot + 1);
    out.push(`*.${name}`);
  }
  return out;
}

export type PolicyVerdict = 'accept' | 'reject' | 'signature-required';

export interface PolicyDecision {
  transport: string;
  /** The scope that decided: a key of transports.docker, or undefined for `default`. */
  scope?: string;
  /** Human description of the section used, e.g. `transports.docker["quay.io"]` or `default`. */
  section: string;
  /** The keys looked up, in order, up to and including the one that matched. */
  tried: string[];
  requirements: PolicyRequirementIn[];
  verdict: PolicyVerdict;
}

/**
 * The requirements are all evaluated, in order; the first that denies wins. So
 * any `reject` rejects, and signature requirements must all be satisfied.
 */
export function verdictOf(reqs: PolicyRequirementIn[]): PolicyVerdict {
  for (const r of reqs) {
    if (r.type === 'reject') return 'reject';
    if (r.type !== 'insecureAcceptAnything') return reqs.some((x) => x.type === 'reject') ? 'reject' : 'signature-required';
  }
  return 'accept';
}

export function decidePolicy(policy: PolicyJson, ref: ImageReference, transport = 'docker'): PolicyDecision {
  const scopes = Object.hasOwn(policy.transports, transport) ? policy.transports[transport] : undefined;
  const tried: string[] = [];
  if (scopes) {
    const keys = [policyIdentity(ref), ...policyNamespaces(ref), ''];
    for (const k of keys) {
      tried.push(k);
      const reqs = Object.hasOwn(scopes, k) ? scopes[k] : undefined;
      if (reqs) return {transport, scope: k, section: `transports.${transport}[${JSON.stringify(k)}]`, tried, requirements: reqs, verdict: verdictOf(reqs)};
    }
  }
  return {transport, section: 'default', tried, requirements: policy.default, verdict: verdictOf(policy.default)};
}
