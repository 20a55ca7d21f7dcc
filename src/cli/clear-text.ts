/**
 * What `set --none` does to /etc/containers/policy.json, in one line for the
 * preview: read from the node files the plan rendered before and after, so the
 * sentence is about the files nodes will read, never a rule restated here.
 */
import {POLICY_JSON_PATH} from '../model/node-files.js';
import type {Plan} from '../render/plan.js';

interface PolicyShape {
  default?: Array<{type?: string}>;
  transports?: {docker?: Record<string, Array<{type?: string}>>};
}

function read(plan: Plan, which: 'renderedBefore' | 'renderedAfter'): PolicyShape | undefined {
  const f = plan[which].find((x) => x.path === POLICY_JSON_PATH);
  if (!f) return undefined;
  try {
    return JSON.parse(f.content) as PolicyShape;
  } catch {
    return undefined;
  }
}

const rejected = (p: PolicyShape | undefined): string[] => Object.entries(p?.transports?.docker ?? {}).filter(([, reqs]) => reqs.some((r) => r.type === 'reject')).map(([scope]) => scope);

/** One line: how clearing FIELD changes policy.json (default requirement, rejected scopes), or that it does not. */
export function clearingEffect(field: string, plan: Plan): string {
  const before = read(plan, 'renderedBefore');
  const after = read(plan, 'renderedAfter');
  const was = before?.default?.[0]?.type;
  const now = after?.default?.[0]?.type;
  const parts: string[] = [];
  if (was !== now) parts.push(`changes its default from "${was ?? 'absent'}" to "${now ?? 'absent'}"${now === 'insecureAcceptAnything' ? ' (images from every registry are accepted)' : ''}`);
  const gone = rejected(before).filter((s) => !rejected(after).includes(s));
  if (gone.length > 0) parts.push(`no longer rejects ${gone.join(', ')}`);
  if (parts.length === 0) return `Clearing ${field}: ${POLICY_JSON_PATH} does not change.`;
  return `Clearing ${field}: ${POLICY_JSON_PATH} ${parts.join(' and ')}.`;
}
