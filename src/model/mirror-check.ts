/**
 * `mirror check` rules, pure: which endpoints of explain's answer a node contacts
 * for an image (and why it skips the others), and the verdict once each contacted
 * endpoint has a status. The order and the skips come from explain's evaluation
 * (registries.conf mirrors in order, digest-only / tag-only, blocked, policy.json);
 * nothing here re-decides them.
 */
import type {CandidateExplain, EndpointExplain, ExplainResult} from './explain.js';

export type EndpointStatus = 'served' | 'missing' | 'unauthorized' | 'tls-error' | 'unreachable' | 'timeout' | 'skipped';
export type Verdict = 'mirror' | 'source' | 'fail' | 'rejected';
export const VERDICTS: Verdict[] = ['mirror', 'source', 'fail', 'rejected'];

export interface EndpointCheck {
  /** The registries.conf location (mirror or source) the node contacts. */
  location: string;
  role: 'mirror' | 'source';
  /** The reference as asked of this endpoint. */
  reference: string;
  status: EndpointStatus;
  httpStatus?: number;
  reason?: string;
}

export interface ImageCheck {
  image: string;
  verdict: Verdict;
  /** Location of the endpoint that serves the image as the node pulls it; null when none does. */
  servedBy: string | null;
  endpoints: EndpointCheck[];
  /** Why the image is rejected or fails before any endpoint (policy, blocked, short-name error). */
  reason?: string;
  /** A failure that rests only on unreachable / timed-out endpoints: not certain. */
  uncertain?: boolean;
  /** What the check cannot prove (e.g. a signature requirement). */
  notes?: string[];
}

/** One endpoint the node would contact, or one it skips (with the reason). */
export interface PlannedEndpoint {
  location: string;
  role: 'mirror' | 'source';
  reference: string;
  explained: EndpointExplain;
  skip?: string;
}

export interface PlannedCandidate {
  reference: string;
  endpoints: PlannedEndpoint[];
  /** Set when the node refuses the candidate whatever the registries hold. */
  rejected?: string;
  note?: string;
}

export interface ImagePlan {
  image: string;
  candidates: PlannedCandidate[];
  /** Set when no candidate can be pulled at all (e.g. short-name error). */
  failure?: string;
}

/** Locations of sources whose mirror set says NeverContactSource (registries.conf: blocked = true). */
export type NeverContactSources = ReadonlySet<string>;

function locationOf(c: CandidateExplain, e: EndpointExplain): string {
  if (e.location) return e.location;
  // No registries.conf entry: the repository itself.
  const at = c.reference.search(/[@]|:[^/]*$/);
  return at === -1 ? c.reference : c.reference.slice(0, at);
}

function planCandidate(c: CandidateExplain, never: NeverContactSources): PlannedCandidate {
  const endpoints = c.endpoints.map((e): PlannedEndpoint => {
    const base = {location: locationOf(c, e), role: e.role, reference: e.reference, explained: e};
    if (!e.tried) return {...base, skip: e.skipReason ?? 'not tried'};
    if (e.blocked) {
      const why = e.role === 'source' && never.has(e.blockedBy ?? '') ? 'never contact source (mirrorSourcePolicy: NeverContactSource)' : `blocked (registries.conf entry ${JSON.stringify(e.blockedBy)} has blocked = true)`;
      return {...base, skip: why};
    }
    return base;
  });
  switch (c.outcome) {
    case 'policy-error':
      return {reference: c.reference, endpoints, rejected: c.summary};
    case 'blocked':
      return {reference: c.reference, endpoints, rejected: `blocked with no mirror: ${c.summary.replace(/^blocked: /, '')}`};
    case 'rejected':
      return {reference: c.reference, endpoints, rejected: `rejected by policy (${c.policy?.section ?? 'default'}: ${c.policy?.requirements.map((r) => r.type).join(', ')})`};
    case 'signature-required':
      return {reference: c.reference, endpoints, note: `${c.reference}: policy requires a signature (${c.policy?.section}: ${c.policy?.requirements.map((r) => r.type).join(', ')}); the node pulls it only if the image is signed, which mirror check does not verify`};
    default:
      return {reference: c.reference, endpoints};
  }
}

export function planImage(image: string, r: ExplainResult, never: NeverContactSources): ImagePlan {
  const candidates = r.candidates.map((c) => planCandidate(c, never));
  if (r.shortName?.error) return {image, candidates, failure: r.shortName.error};
  return {image, candidates};
}

export type ProbeOutcome = Omit<EndpointCheck, 'location' | 'role' | 'reference'>;

/** Endpoints a node contacts in order, stopping at the first that serves (all of them with `all`). */
export async function runPlan(plan: ImagePlan, probe: (e: PlannedEndpoint) => Promise<ProbeOutcome>, all: boolean): Promise<ImageCheck> {
  const endpoints: EndpointCheck[] = [];
  const head = (e: PlannedEndpoint) => ({location: e.location, role: e.role, reference: e.reference});
  if (plan.failure) {
    for (const c of plan.candidates) for (const e of c.endpoints) endpoints.push({...head(e), status: 'skipped', reason: plan.failure});
    return {image: plan.image, verdict: 'fail', servedBy: null, endpoints, reason: plan.failure};
  }
  let served: EndpointCheck | undefined;
  const rejections: string[] = [];
  const notes: string[] = [];
  let contacted = 0;
  for (const c of plan.candidates) {
    if (c.rejected) {
      rejections.push(c.rejected);
      for (const e of c.endpoints) endpoints.push({...head(e), status: 'skipped', reason: e.skip ?? c.rejected});
      continue;
    }
    if (c.note && !served) notes.push(c.note);
    for (const e of c.endpoints) {
      if (e.skip) {
        endpoints.push({...head(e), status: 'skipped', reason: e.skip});
        continue;
      }
      if (served && !all) {
        endpoints.push({...head(e), status: 'skipped', reason: `not contacted: ${served.location} serves the image`});
        continue;
      }
      contacted++;
      const got: EndpointCheck = {...head(e), ...(await probe(e))};
      endpoints.push(got);
      if (got.status === 'served' && !served) served = got;
    }
  }
  const extra = notes.length > 0 ? {notes} : {};
  if (served) return {image: plan.image, verdict: served.role === 'mirror' ? 'mirror' : 'source', servedBy: served.location, endpoints, ...extra};
  if (contacted === 0 && rejections.length > 0) return {image: plan.image, verdict: 'rejected', servedBy: null, endpoints, reason: rejections[0]};
  const unknown = endpoints.some((e) => e.status === 'unreachable' || e.status === 'timeout');
  return {image: plan.image, verdict: 'fail', servedBy: null, endpoints, reason: contacted === 0 ? 'no endpoint the node may contact' : 'no endpoint the node may contact serves the image', ...(unknown ? {uncertain: true} : {}), ...extra};
}

export type Summary = Record<Verdict, number>;

export function summarize(images: ImageCheck[]): Summary {
  const s: Summary = {mirror: 0, source: 0, fail: 0, rejected: 0};
  for (const i of images) s[i.verdict]++;
  return s;
}

/**
 * 0 when every image is served by a mirror or the source (a mirror with --require-mirror),
 * 1 when any fails or is rejected for sure, 5 when the only failures rest on endpoints
 * that could not be checked (unreachable, timeout).
 */
export function exitStatus(images: ImageCheck[], requireMirror: boolean): 0 | 1 | 5 {
  let partial = false;
  for (const i of images) {
    const bad = i.verdict === 'fail' || i.verdict === 'rejected' || (requireMirror && i.verdict === 'source');
    if (!bad) continue;
    const unsure = i.verdict === 'fail' ? i.uncertain === true : i.verdict === 'source' && i.endpoints.some((e) => e.role === 'mirror' && (e.status === 'unreachable' || e.status === 'timeout'));
    if (!unsure) return 1;
    partial = true;
  }
  return partial ? 5 : 0;
}

/** The first reason an endpoint did not serve, for the table. */
export function firstFailure(i: ImageCheck): string | undefined {
  if (i.reason && i.verdict !== 'mirror' && i.verdict !== 'source' && !i.endpoints.some((e) => e.status !== 'skipped')) return i.reason;
  // A real failure first; else the first skip that shaped the answer (digest-only, blocked, ...).
  // Only what the node meets before the endpoint that serves the image counts.
  const served = i.endpoints.findIndex((x) => x.status === 'served');
  const before = served === -1 ? i.endpoints : i.endpoints.slice(0, served);
  const e = before.find((x) => x.status !== 'skipped') ?? before.find((x) => !x.reason?.startsWith('not contacted'));
  if (!e) return undefined;
  return `${e.location}: ${e.status}${e.reason ? ` (${e.reason})` : ''}`;
}
