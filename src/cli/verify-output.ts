/** Human output of the verify report: one line per pool and node, details only where something is off. */
import type {Painter} from './output.js';
import type {FileReport, McLayerReport, NodeReport, PoolReport, VerifyReport} from '../render/verify.js';

function stateWord(state: string, p: Painter): string {
  switch (state) {
    case 'match': return p.ok(state);
    case 'rolling-out': case 'not-applicable': return p.warn(state.replace('-', ' '));
    case 'unreadable': return p.warn(state);
    default: return p.err(state.replace('-', ' '));
  }
}

function colourDiff(line: string, p: Painter): string {
  if (line.startsWith('+++') || line.startsWith('---')) return p.bold(line);
  if (line.startsWith('+')) return p.add(line);
  if (line.startsWith('-')) return p.del(line);
  if (line.startsWith('@@')) return p.dim(line);
  return line;
}

function fileLines(f: FileReport, p: Painter, pad: string): string[] {
  const lines: string[] = [];
  if (f.state === 'match' && f.bytesEqual !== false) return lines;
  // Files others own (node-ca's certs.d entries) are in the JSON report only.
  if (f.state === 'extra' && !f.drift) return lines;
  if (f.state === 'match') {
    lines.push(`${pad}${f.path}: ${p.ok('match')} ${p.dim(`(${f.note ?? 'same meaning, different bytes'}; not drift)`)}`);
    return lines;
  }
  const extra = f.note ? p.dim(` (${f.note})`) : '';
  lines.push(`${pad}${f.path}: ${f.drift || f.state === 'unreadable' ? stateWord(f.state, p) : p.dim(f.state)}${extra}`);
  if (f.changes && f.changes.length > 0) {
    lines.push(`${pad}  changes in meaning:`);
    for (const c of f.changes) lines.push(`${pad}    ${c}`);
  }
  if (f.diff && f.drift) for (const l of f.diff.replace(/\n$/, '').split('\n')) lines.push(`${pad}  ${colourDiff(l, p)}`);
  return lines;
}

function layerLines(label: string, l: McLayerReport, p: Painter): string[] {
  const head = `  ${label} ${l.name}: ${stateWord(l.state, p)}${l.note ? p.dim(` (${l.note})`) : ''}`;
  const lines = [head];
  for (const f of l.files) if (f.state !== 'match' || f.bytesEqual === false) lines.push(...fileLines(f, p, '    '));
  return lines;
}

function nodeLines(n: NodeReport, p: Painter): string[] {
  const same = n.files.filter((f) => f.state === 'match' && f.bytesEqual === false).length;
  const tail = [n.note, n.error, same > 0 && n.state === 'match' ? `${same} file(s) equal in meaning but not in bytes` : undefined].filter(Boolean).join('; ');
  const lines = [`  ${n.name}  ${stateWord(n.state, p)}${tail ? `  ${n.state === 'unreadable' ? tail : p.dim(tail)}` : ''}`];
  if (n.hint) lines.push(p.dim(`    hint: ${n.hint}`));
  for (const f of n.files) lines.push(...fileLines(f, p, '    '));
  return lines;
}

function poolHead(pool: PoolReport, p: Painter): string {
  if (pool.name === '') return p.bold('nodes in no MachineConfigPool');
  const counts = pool.machineCount !== undefined ? `  ${pool.updatedMachineCount ?? '?'}/${pool.machineCount} updated` : '';
  const conf = pool.renderedConfig ? `  ${pool.renderedConfig}` : '';
  const target = pool.targetConfig && pool.targetConfig !== pool.renderedConfig ? ` -> ${pool.targetConfig}` : '';
  const deg = pool.degraded ? '  ' + p.err(`DEGRADED: ${pool.degradedMessage ?? ''}`) : pool.updating ? '  ' + p.warn('updating') : '';
  return `${p.bold(`pool ${pool.name}`)}${conf}${target}${counts}${deg}`;
}

export function formatVerifyReport(r: VerifyReport, p: Painter): string {
  const lines: string[] = [];
  for (const pool of r.pools) {
    lines.push(poolHead(pool, p));
    if (pool.name !== '') {
      lines.push(...layerLines('machineconfig', pool.generated, p));
      lines.push(...layerLines('machineconfig', pool.rendered, p));
    }
    for (const n of pool.nodes) lines.push(...nodeLines(n, p));
    lines.push('');
  }
  const s = r.summary;
  const secs = r.elapsedMs !== undefined ? ` in ${(r.elapsedMs / 1000).toFixed(1)}s` : '';
  lines.push(
    `${s.nodes} node(s) via ${r.via === 'mcd' ? 'machine-config-daemon pods' : 'oc debug'}${secs}: ${s.match} match, ${s.differs} differ, ${s.rollingOut} rolling out, ${s.unreadable} unreadable` +
      (s.poolDegraded > 0 ? `, ${s.poolDegraded} pool(s) degraded` : ''),
  );
  const verdict = s.exitCode === 0 ? p.ok(s.verdict) : s.exitCode === 1 ? p.err(s.verdict) : p.warn(s.verdict);
  lines.push(verdict);
  return lines.join('\n');
}
