/** Human output of `explain`: a short trace, one step per line. */
import type {CandidateExplain, EndpointExplain, ExplainResult} from '../model/explain.js';
import {describeTrust, type SignatureTrust} from '../render/signatures.js';
import type {Painter} from './output.js';

type Candidate = CandidateExplain & {signatures?: SignatureTrust[]};
type Result = ExplainResult & {candidates: Candidate[]; policyFile?: string};

function tlsText(e: EndpointExplain): string {
  const t = e.tls;
  const ca = t.certDirExists
    ? `CAs: system + ${t.caFiles.length > 0 ? t.caFiles.map((f) => `${t.certDir}/${f}`).join(', ') : `${t.certDir} (no *.crt)`}`
    : `CAs: system only (${t.certDir} absent)`;
  return t.verify ? `https, ${ca}` : 'insecure: https without verification, then http';
}

function endpointLine(e: EndpointExplain, n: number, p: Painter): string {
  const head = `${n}. ${e.role === 'mirror' ? 'mirror' : 'source'} ${e.reference}`;
  if (!e.tried) return p.dim(`${head}  skipped: ${e.skipReason}`);
  if (e.blocked) return `${head}  ${p.err(`BLOCKED`)} (entry ${JSON.stringify(e.blockedBy)} has blocked = true)`;
  return `${head}  ${tlsText(e)}`;
}

function candidateLines(c: Candidate, p: Painter, policyLabel: string): string[] {
  const out: string[] = [];
  out.push(p.bold(`${c.reference}`) + p.dim(`  (${c.kind} pull)`));
  if (c.entry) {
    const flags = [c.entry.blocked ? 'blocked' : '', c.entry.insecure ? 'insecure' : '', c.entry.mirrorByDigestOnly ? 'mirror-by-digest-only' : ''].filter(Boolean);
    out.push(`  registries.conf entry: ${JSON.stringify(c.entry.prefix)} in ${c.entry.file}${flags.length ? ` (${flags.join(', ')})` : ''}`);
  } else out.push('  registries.conf entry: none matches (defaults: not blocked, TLS verified, no mirrors)');
  out.push('  sources, in order:');
  c.endpoints.forEach((e, i) => out.push('    ' + endpointLine(e, i + 1, p)));
  if (c.policy) {
    const reqs = c.policy.requirements.map((r) => r.type).join(', ');
    const viaMirror = c.pullFrom !== undefined && c.pullFrom !== c.reference;
    out.push(`  ${policyLabel}: ${c.policy.section} -> ${reqs}: ${c.policy.verdict}${viaMirror ? ` (judged on ${c.reference}, not on the mirror)` : ''}`);
    for (const t of c.signatures ?? []) out.push(`    signed by ${describeTrust(t)}`);
  } else out.push(`  ${policyLabel}: ${c.policyError}`);
  const paint = c.outcome === 'pull' ? p.ok : c.outcome === 'signature-required' ? p.warn : p.err;
  out.push(`  result: ${paint(c.summary)}`);
  if (c.outcome === 'pull' || c.outcome === 'signature-required') {
    const later = c.endpoints.filter((e) => e.tried && !e.blocked).slice(1);
    if (later.length > 0) out.push(p.dim(`  (if it is unreachable or lacks the image: ${later.map((e) => e.reference).join(', then ')})`));
  }
  return out;
}

/** Digests shortened for reading, as the lab's logs do; --json keeps them whole. */
function short(s: string): string {
  return s.replace(/(sha256:[0-9a-f]{12})[0-9a-f]{52}/g, '$1…');
}

export function explainText(r: Result, p: Painter): string[] {
  return explainLines(r, p).map(short);
}

function explainLines(r: Result, p: Painter): string[] {
  const policyLabel = r.policyFile && r.policyFile !== '/etc/containers/policy.json' ? r.policyFile : 'policy.json';
  const out: string[] = [];
  if (r.shortName) {
    const s = r.shortName;
    out.push(`${r.input} is a short name; short-name-mode ${s.mode} (${s.modeOrigin})`);
    if (s.alias) out.push(`  alias ${JSON.stringify(s.alias.value)} from ${s.alias.file}`);
    else out.push(`  unqualified-search-registries from ${s.searchOrigin}: ${s.searchRegistries.join(', ')}`);
    out.push(`  candidates, tried in order until one pulls: ${s.candidates.join(', ')}`);
    if (s.error) out.push(`  ${p.err('podman without a TTY fails')}: ${s.error}`);
    else if (s.firstPullable) out.push(`  first candidate that is neither blocked nor rejected: ${s.firstPullable} (later ones are tried if it lacks the image)`);
    else out.push(`  ${p.err('no candidate can be pulled')}: each is blocked or rejected by policy.json`);
    out.push('');
  }
  r.candidates.forEach((c, i) => {
    if (i > 0) out.push('');
    out.push(...candidateLines(c, p, policyLabel));
  });
  out.push('');
  const imp = r.import.secure;
  out.push(`image stream import: ${imp.allowed ? p.ok('allowed') : p.err('refused')} (${imp.reason})`);
  if (r.import.insecure.allowed !== imp.allowed) {
    out.push(`  with importPolicy.insecure: ${r.import.insecure.allowed ? 'allowed' : 'refused'} (${r.import.insecure.reason})`);
  }
  for (const n of r.notes) out.push(p.dim(`note: ${n}`));
  return out;
}
