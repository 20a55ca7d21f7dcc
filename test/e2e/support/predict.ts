/**
 * From explain's answer to the outcome a real pull has in the lab. explain says
 * which endpoints are tried in which order, which are blocked, how TLS is set up
 * for each and what policy.json decides; the lab adds only facts about its own
 * network: which port speaks HTTP or HTTPS (signed by the test CA), which is
 * down, and which images each registry holds.
 */
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {CandidateExplain, EndpointExplain, ExplainResult} from '../../../src/model/explain.js';
import {TEST_CA, type LabEnv} from './lab.js';

interface Server {
  kind: 'http' | 'https' | 'down';
  /** repository path -> tags and digests it serves */
  repos: Map<string, Set<string>>;
}

export function labServers(lab: LabEnv): Map<string, Server> {
  const app = (): [string, Set<string>] => ['lab/app', new Set(['v1', lab.appDigest])];
  const m = new Map<string, Server>();
  m.set('5001', {kind: 'http', repos: new Map([app()])});
  m.set('5002', {kind: 'http', repos: new Map([app()])});
  m.set('5003', {kind: 'http', repos: new Map([app(), ['lab/only3', new Set(['v1', lab.only3Digest])]])});
  m.set('5004', {kind: 'https', repos: new Map([app()])});
  m.set('5009', {kind: 'down', repos: new Map()});
  return m;
}

/** host:port of a reference string (everything before the first "/"). */
export function hostOf(ref: string): string {
  return ref.slice(0, ref.indexOf('/'));
}

type Attempt = {ok: true} | {ok: false; why: 'blocked' | 'tls-error' | 'fail'};

function caTrusted(root: string, e: EndpointExplain): boolean {
  const ca = readFileSync(TEST_CA, 'utf8').trim();
  return e.tls.caFiles.some((f) => {
    const p = join(root, e.tls.certDir, f);
    return existsSync(p) && readFileSync(p, 'utf8').includes(ca);
  });
}

function attempt(servers: Map<string, Server>, root: string, e: EndpointExplain): Attempt {
  if (e.blocked) return {ok: false, why: 'blocked'};
  const hp = hostOf(e.reference);
  const m = /^(127\.0\.0\.1|localhost|\[::1\]):(\d+)$/.exec(hp);
  const server = m ? (servers.get(m[2]!) ?? {kind: 'down' as const, repos: new Map()}) : undefined;
  if (!server || server.kind === 'down') return {ok: false, why: 'fail'};
  if (server.kind === 'http' && !e.insecure) return {ok: false, why: 'tls-error'};
  if (server.kind === 'https' && !e.insecure && !caTrusted(root, e)) return {ok: false, why: 'tls-error'};
  const rest = e.reference.slice(hp.length + 1);
  const at = rest.search(/[:@]/);
  const repo = rest.slice(0, at);
  const ver = rest.slice(at + 1);
  return server.repos.get(repo)?.has(ver) ? {ok: true} : {ok: false, why: 'fail'};
}

export interface PullPrediction {
  /** `ok-from HOST:PORT`, `blocked`, `rejected`, `unsigned`, `tls-error` or `fail`. */
  outcome: string;
  /** host:port of each endpoint the client tries, in order. */
  tried: string[];
}

export function predictPull(lab: LabEnv, root: string, c: CandidateExplain): PullPrediction {
  const servers = labServers(lab);
  const tried: string[] = [];
  const why = new Set<string>();
  for (const e of c.endpoints) {
    if (!e.tried) continue;
    tried.push(hostOf(e.reference));
    const a = attempt(servers, root, e);
    if (a.ok) {
      if (!c.policy) return {outcome: 'fail', tried};
      if (c.policy.verdict === 'reject') return {outcome: 'rejected', tried};
      // The lab's images carry no signatures.
      if (c.policy.verdict === 'signature-required') return {outcome: 'unsigned', tried};
      return {outcome: `ok-from ${hostOf(e.reference).replace(/^localhost:/, '127.0.0.1:')}`, tried};
    }
    why.add(a.why);
  }
  // The final error names every failed attempt; classification looks for blocked first, then TLS.
  return {outcome: why.has('blocked') ? 'blocked' : why.has('tls-error') ? 'tls-error' : 'fail', tried};
}

export interface ResolvePrediction {
  /** The name the image is stored under, or `fail`. */
  outcome: string;
  /** Candidates podman tries, in order. */
  tried: string[];
}

export function predictResolve(lab: LabEnv, root: string, r: ExplainResult): ResolvePrediction {
  if (r.shortName?.error) return {outcome: 'fail', tried: []};
  const tried: string[] = [];
  for (const c of r.candidates) {
    tried.push(c.reference);
    if (predictPull(lab, root, c).outcome.startsWith('ok-from')) return {outcome: c.reference, tried};
  }
  return {outcome: 'fail', tried};
}
