/**
 * Object-level rules of the API server that the field schema (manifest-schema.ts)
 * does not express: object names (DNS-1123), required fields, ports. Pure.
 */
import type {Problem} from '../lib/errors.js';

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kinds whose metadata.name the API server checks as a DNS-1123 subdomain (the Image must be `cluster`, checked elsewhere). */
const SUBDOMAIN_NAMED = new Set(['ImageDigestMirrorSet', 'ImageTagMirrorSet', 'ImageContentSourcePolicy', 'ConfigMap', 'ClusterImagePolicy', 'ImagePolicy']);
/** Kinds whose `spec` is required by their CRD. */
const SPEC_REQUIRED = new Set(['Image', 'ImageDigestMirrorSet', 'ImageTagMirrorSet', 'ImageContentSourcePolicy', 'ClusterImagePolicy', 'ImagePolicy']);

/** Why `name` is not a DNS-1123 subdomain, or undefined. */
export function subdomainProblem(name: string): string | undefined {
  if (name.length > 253) return `must be at most 253 characters (has ${name.length})`;
  if (!dns1123Subdomain.test(name)) return 'must be a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit (the API server refuses it)';
  return undefined;
}

const get = (o: unknown, k: string): unknown => (o !== null && typeof o === 'object' && !Array.isArray(o) && Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined);

/** The API server's object-level checks for one object read from a manifest or the cluster. */
export function objectProblems(kind: string, name: string, body: Record<string, unknown>, source: string): Problem[] {
  const out: Problem[] = [];
  const at = `${kind}/${name}`;
  if (SUBDOMAIN_NAMED.has(kind)) {
    const why = subdomainProblem(name);
    if (why) out.push({field: `${at} metadata.name`, value: name, message: why, source});
    const ns = get(get(body, 'metadata'), 'namespace');
    if (typeof ns === 'string' && (ns.length > 63 || !dns1123Label.test(ns))) out.push({field: `${at} metadata.namespace`, value: ns, message: 'must be a DNS-1123 label: at most 63 lower-case letters, digits and "-"', source});
  }
  if (SPEC_REQUIRED.has(kind) && (body.spec === undefined || body.spec === null)) out.push({field: `${at} spec`, message: 'is required', source});
  if (kind === 'Image') {
    const ca = get(get(body, 'spec'), 'additionalTrustedCA');
    if (ca !== undefined && ca !== null && typeof ca === 'object' && (typeof get(ca, 'name') !== 'string')) out.push({field: 'spec.additionalTrustedCA.name', message: 'is required', source});
  }
  return out;
}

/** Why the port of `host[:port][/path]` is refused (0 or above 65535), or undefined. */
export function portProblem(scope: string): string | undefined {
  const slash = scope.indexOf('/');
  const host = slash < 0 ? scope : scope.slice(0, slash);
  if (!host.includes(':')) return undefined;
  const m = /^[^[\]]*:(\d+)$/.exec(host) ?? /^\[[^\]]*\]:(\d+)$/.exec(host);
  if (!m) return undefined;
  const port = Number(m[1]);
  return port < 1 || port > 65535 ? `port ${m[1]!.length > 12 ? m[1]!.slice(0, 12) + '...' : m[1]} is outside 1-65535` : undefined;
}
