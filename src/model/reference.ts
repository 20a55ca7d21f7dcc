/**
 * Container image references, following the grammar of distribution/reference
 * (the package MCO and containers/image use). Pure: no I/O.
 */

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const host = `(?:${domainName}|${ipv6})`;
const domainAndPort = `${host}(?::[0-9]+)?`;
const pathComponent = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

const referenceRe = new RegExp(`^((?:${domainAndPort}/)?${remoteName})(?::(${tag}))?(?:@(${digest}))?$`);
const anchoredDomainRe = new RegExp(`^${domainAndPort}$`);

const digestLengths: Record<string, number> = {sha256: 64, sha384: 96, sha512: 128};
const nameTotalLengthMax = 255;
const legacyDefaultDomain = 'index.docker.io';
const defaultDomain = 'docker.io';
const officialRepoPrefix = 'library/';

export interface ImageReference {
  /** Registry host[:port]. */
  domain: string;
  /** Repository path below the domain. */
  path: string;
  tag?: string;
  digest?: string;
}

export class ReferenceError extends Error {
  override name = 'ReferenceError';
}

/** `domain/path`, the repository name without tag or digest. */
export function refName(r: ImageReference): string {
  return r.domain ? `${r.domain}/${r.path}` : r.path;
}

/** The reference as distribution/reference prints it: name[:tag][@digest]. */
export function refString(r: ImageReference): string {
  return refName(r) + (r.tag !== undefined ? `:${r.tag}` : '') + (r.digest !== undefined ? `@${r.digest}` : '');
}

/** reference.Parse: grammar check only, no normalisation. */
export function parseReference(s: string): ImageReference {
  if (s === '') throw new ReferenceError('repository name must have at least one component');
  const m = referenceRe.exec(s);
  if (!m) {
    if (referenceRe.test(s.toLowerCase())) throw new ReferenceError('repository name must be lowercase');
    throw new ReferenceError('invalid reference format');
  }
  const name = m[1]!;
  if (name.length > nameTotalLengthMax) throw new ReferenceError(`repository name must not be more than ${nameTotalLengthMax} characters`);
  const d = m[3];
  if (d !== undefined) {
    const [alg, hex] = d.split(':') as [string, string];
    const want = digestLengths[alg];
    if (want === undefined) throw new ReferenceError('unsupported digest algorithm');
    if (hex.length !== want || /[A-F]/.test(hex)) throw new ReferenceError('invalid checksum digest length');
  }
  const {domain, path} = splitDomain(name);
  return {domain, path, tag: m[2], digest: d};
}

function splitDomain(name: string): {domain: string; path: string} {
  const i = name.indexOf('/');
  if (i === -1) return {domain: '', path: name};
  const first = name.slice(0, i);
  if (anchoredDomainRe.test(first) && (first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first)) {
    return {domain: first, path: name.slice(i + 1)};
  }
  return {domain: '', path: name};
}

/** reference.ParseNormalizedNamed: docker.io and library/ defaults applied. */
export function parseNormalizedNamed(s: string): ImageReference {
  if (/^[a-f0-9]{64}$/.test(s)) throw new ReferenceError(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  let domain: string;
  let remainder: string;
  const i = s.indexOf('/');
  const first = i === -1 ? '' : s.slice(0, i);
  if (i === -1 || (!first.includes('.') && !first.includes(':') && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = defaultDomain;
    remainder = s;
  } else {
    domain = first;
    remainder = s.slice(i + 1);
  }
  if (domain === legacyDefaultDomain) domain = defaultDomain;
  if (domain === defaultDomain && !remainder.includes('/')) remainder = officialRepoPrefix + remainder;
  const nameEnd = remainder.indexOf(':');
  const remoteName = nameEnd === -1 ? remainder : remainder.slice(0, nameEnd);
  if (remoteName.toLowerCase() !== remoteName) throw new ReferenceError(`invalid reference format: repository name (${remoteName}) must be lowercase`);
  const parsed = parseReference(`${domain}/${remainder}`);
  if (parsed.domain !== domain) throw new ReferenceError('invalid reference format');
  return parsed;
}

/** reference.ParseNamed: only fully-qualified, canonical names are accepted. */
export function parseNamed(s: string): ImageReference {
  const r = parseNormalizedNamed(s);
  if (refString(r) !== s) throw new ReferenceError('repository name must be canonical');
  return r;
}
