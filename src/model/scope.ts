/**
 * Registry scopes (`host[:port][/path]` or `*.domain`) and the rules MCO and the
 * API server apply to them. Pure functions; upstream references in comments.
 */

const label = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const hostPort = `(${label}(?:(?:\\.${label})+)?(?::[0-9]+)?)`;
const path = '(?:(?:/[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?)+)?';

/**
 * The pattern of openshift/api (IDMS/ITMS `source`, the CEL rule on Image
 * registrySources items) and of MCO's `sourceRegex` (helpers.go), which is the
 * only gate for ImageContentSourcePolicy sources.
 */
export const sourcePattern = new RegExp(`^\\*(?:\\.${label})+$|^${hostPort}${path}$`);
/** openshift/api `ImageMirror` pattern and MCO's `mirrorRegex`: no wildcard. */
export const mirrorPattern = new RegExp(`^${hostPort}${path}$`);

/**
 * runtime-utils ScopeIsNestedInsideScope: is `sub` the same as, or inside, `sup`?
 * Path children only at a `/` boundary; `*.example.com` covers subdomains (with
 * any port or path) but not `example.com` itself.
 */
export function scopeIsNestedInsideScope(sub: string, sup: string): boolean {
  if (sub === sup) return true;
  if (sub.length > sup.length && sub.startsWith(sup) && sub[sup.length] === '/') return true;
  if (sup.startsWith('*.')) {
    const suffix = sup.slice(1);
    if (sub.includes(':')) {
      const hostPart = sub.split(':')[0]!;
      return hostPart.endsWith(suffix) && !hostPart.includes('/');
    }
    return sub.split('/')[0]!.endsWith(suffix);
  }
  return false;
}

/**
 * runtime-utils IsValidRegistriesConfScope: MCO's only check on Image
 * registrySources entries. Rejects "" and malformed wildcards, nothing else.
 */
export function isValidRegistriesConfScope(scope: string): boolean {
  if (scope === '') return false;
  if (!scope.includes('*')) return true;
  return scope.startsWith('*.') && !/[/@:*]/.test(scope.slice(2));
}

/** Why a scope fails the API server's pattern, in words an admin can act on. */
export function explainBadScope(scope: string, allowWildcard = true): string {
  if (scope === '') return 'must not be empty';
  if (scope.length > 256) return `must be at most 256 characters (has ${scope.length})`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(scope)) return 'must not include a URL scheme; use host[:port][/path]';
  if (/[\x00-\x1f\x7f]/.test(scope)) return 'must not contain control characters';
  if (/[^\x00-\x7f]/.test(scope)) return 'must be plain ASCII (no unicode)';
  if (/\s/.test(scope)) return 'must not contain spaces';
  if (scope.includes('@')) return 'must not include a digest (@sha256:...); give the repository only';
  if (scope.endsWith('/')) return 'must not end with a slash';
  if (scope.includes('*')) {
    if (!allowWildcard) return 'wildcards are not allowed here';
    return 'a wildcard must be a leading "*." followed by a domain, e.g. *.example.com';
  }
  const slash = scope.indexOf('/');
  const repoPath = slash === -1 ? '' : scope.slice(slash + 1);
  if (/:/.test(repoPath)) return 'must not include a tag (:tag); give the repository only';
  if (/[A-Z]/.test(repoPath)) return 'repository path must be lowercase';
  const hostPart = slash === -1 ? scope : scope.slice(0, slash);
  if (/:[^0-9]|:$/.test(hostPart)) return 'port must be a number';
  return 'must be a valid hostname[:port][/path]' + (allowWildcard ? ' or *.domain' : '') + ' without tag or digest';
}
