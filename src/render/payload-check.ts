/**
 * After an edit, can nodes still pull the cluster's own payload? The release
 * image and one component image (ART_REPO, which the release image references
 * by digest) are explained against the node files before and after, with the
 * same code as `explain`. A block that turns a pullable payload image into a
 * blocked or rejected one while the payload is mirrored is refused: MCO exempts
 * only the release repository in policy.json, so blocking a scope that covers
 * the component repository rejects every component image although the mirrors
 * carry them. (An allowlist that leaves the payload out stays a warning, as the
 * OpenShift documentation advises, and --strict refuses it.) Pure.
 */
import type {Problem} from '../lib/errors.js';
import {explainImage, type CandidateExplain} from '../model/explain.js';
import {ART_REPO} from '../model/release.js';
import {scopeIsNestedInsideScope} from '../model/scope.js';
import type {Evaluation} from './evaluate.js';

/** A payload component image as the release image references it (by digest). */
export const COMPONENT_IMAGE = `${ART_REPO}@sha256:${'0'.repeat(64)}`;

function explainOne(ev: Evaluation, image: string): CandidateExplain | undefined {
  try {
    return explainImage(ev.files, image).candidates[0];
  } catch {
    return undefined;
  }
}

const pullable = (c: CandidateExplain | undefined) => c !== undefined && (c.outcome === 'pull' || c.outcome === 'signature-required');

/** One problem per payload image (release, component) that the edit's blocked scopes make unpullable. */
export function payloadPullProblems(before: Evaluation, after: Evaluation, suggestionFlags = ''): Problem[] {
  const rs = after.state.image?.spec.registrySources;
  const blocked = rs?.blockedRegistries ?? [];
  if (blocked.length === 0 || (rs?.allowedRegistries?.length ?? 0) > 0) return [];
  const release = explainOne(after, after.release.image);
  // "Mirrors were meant to carry them": the release payload has a digest mirror.
  if (!release?.endpoints.some((e) => e.role === 'mirror')) return [];
  const problems: Problem[] = [];
  for (const [what, image, repo] of [
    ['the release image', after.release.image, after.payloadRepo],
    ['the payload component images', COMPONENT_IMAGE, ART_REPO],
  ] as const) {
    const was = explainOne(before, image);
    const now = explainOne(after, image);
    if (!pullable(was) || pullable(now)) continue;
    // The blocked scope that covers the image, else the one covering the release repository (blocking exactly
    // that repository turns policy.json into an allowlist: default reject).
    const covering = blocked.find((b) => scopeIsNestedInsideScope(repo, b));
    const scope = covering ?? blocked.find((b) => scopeIsNestedInsideScope(after.payloadRepo, b));
    if (scope === undefined) continue;
    const mirrors = now?.endpoints.filter((e) => e.role === 'mirror').map((e) => e.location) ?? [];
    const why =
      now?.outcome === 'rejected' && !covering
        ? `policy.json rejects ${repo}: with ${scope} as the only blocked scope MCO turns policy.json into an allowlist (default reject) that accepts only ${after.payloadRepo}`
        : now?.outcome === 'rejected'
        ? `policy.json rejects ${repo}: MCO exempts only the release repository ${after.payloadRepo} from a blocked scope`
        : `registries.conf blocks ${repo}${mirrors.length ? '' : ' and it has no digest mirror'}`;
    const parent = repo.slice(0, repo.lastIndexOf('/'));
    problems.push({
      field: 'spec.registrySources.blockedRegistries',
      value: scope,
      source: after.state.image?.source,
      message: `makes ${what} unpullable (${image}: ${now?.outcome ?? 'refused'}): ${why}${mirrors.length ? `, although ${mirrors.join(', ')} mirror${mirrors.length > 1 ? '' : 's'} it` : ''}. Block narrower scopes that leave ${parent} out (for example the repositories or namespaces you mean under ${scope}), or list what nodes may pull with \`oc registries allow set ...${suggestionFlags}\` instead`,
    });
  }
  return problems;
}
