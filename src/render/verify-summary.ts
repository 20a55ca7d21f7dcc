/**
 * The verify verdict, and "pending": after an edit of the cluster's objects, MCO
 * first regenerates 99-<pool>-generated-registries, then renders a new
 * rendered-<pool>-* config, then rolls it out. Until it has rendered, the
 * MachineConfigs and every node still hold the previous files. That is not drift
 * (nobody changed a node or a MachineConfig by hand): the layers that lag and the
 * nodes that hold exactly what the pool's rendered config holds are `pending`,
 * with their own exit code (6). A node that differs from its rendered config is
 * still drift. Pure.
 */
import {sha256} from '../lib/semantic.js';
import {mcFileContent, type McLayerReport, type NodeReport, type NodeState, type PoolInput, type PoolReport, type VerifySummary} from './verify.js';

const CERTS_DIR = '/etc/docker/certs.d/';

/** The node still has, file for file, what the pool's current rendered MachineConfig holds. */
function holdsRenderedConfig(n: NodeReport, pool: PoolInput): boolean {
  if (n.state !== 'differs' || !pool.renderedMc) return false;
  return n.files
    .filter((f) => f.drift)
    .every((f) => {
      if (f.path.startsWith(CERTS_DIR)) return false;
      const mc = mcFileContent(pool.renderedMc, f.path).content;
      const inMc = mc === undefined ? undefined : sha256(mc);
      return inMc === f.sha256.node;
    });
}

function lagging(l: McLayerReport, canBeMissing: boolean): boolean {
  return l.state === 'differs' || (canBeMissing && l.state === 'missing');
}

function markLayer(l: McLayerReport, what: string): void {
  l.state = 'pending';
  l.note = `${what}: MCO has not rendered the current configuration into it yet`;
  for (const f of l.files) f.drift = false;
}

/** Mark the pools whose MachineConfigs lag behind the objects, and their nodes that hold the previous render. */
export function markPending(pools: PoolReport[], inputs: PoolInput[]): void {
  for (const p of pools) {
    const input = inputs.find((x) => x.name === p.name);
    if (!input || input.degraded || !input.renderedMc) continue;
    const genLags = lagging(p.generated, true);
    const renLags = lagging(p.rendered, false);
    if (!genLags && !renLags) continue;
    const behind = p.nodes.filter((n) => holdsRenderedConfig(n, input));
    if (behind.length === 0) continue;
    if (genLags) markLayer(p.generated, `MachineConfig ${p.generated.name}`);
    if (renLags) markLayer(p.rendered, `MachineConfig ${p.rendered.name}`);
    for (const n of behind) {
      n.state = 'pending';
      n.drift = false;
      for (const f of n.files) f.drift = false;
      n.note = `has the files of ${input.renderedMc.name}; MCO has not rendered the current configuration yet`;
    }
    p.drift = p.degraded || [p.generated, p.rendered].some((l) => l.state === 'differs' || l.state === 'missing');
  }
}

export function summarize(pools: PoolReport[]): VerifySummary {
  const nodes = pools.flatMap((p) => p.nodes);
  const count = (s: NodeState) => nodes.filter((n) => n.state === s).length;
  const layerDrift = (p: PoolReport) => [p.generated, p.rendered].some((l) => l.state === 'differs' || l.state === 'missing');
  const machineConfigDrift = pools.filter(layerDrift).length;
  const pendingPools = pools.filter((p) => p.generated.state === 'pending' || p.rendered.state === 'pending').map((p) => p.name);
  const summary: VerifySummary = {
    pools: pools.filter((p) => p.name !== '').length,
    nodes: nodes.length,
    match: count('match'),
    differs: count('differs'),
    unreadable: count('unreadable'),
    rollingOut: count('rolling-out'),
    poolDegraded: pools.filter((p) => p.degraded).length,
    machineConfigDrift,
    pending: count('pending'),
    exitCode: 0,
    verdict: '',
  };
  const drift = pools.some((p) => p.drift) || nodes.some((n) => n.drift);
  if (drift) {
    summary.exitCode = 1;
    const parts = [];
    if (summary.differs > 0) parts.push(`${summary.differs} node(s) differ`);
    if (count('pool-degraded') > 0) parts.push(`${count('pool-degraded')} node(s) stuck in a degraded pool`);
    if (summary.poolDegraded > 0) parts.push(`${summary.poolDegraded} pool(s) degraded`);
    if (machineConfigDrift > 0) parts.push(`${machineConfigDrift} pool(s) whose MachineConfigs differ from the rendered files`);
    summary.verdict = `drift: ${parts.join(', ')}`;
  } else if (summary.unreadable > 0) {
    summary.exitCode = 5;
    summary.verdict = `partial: ${summary.unreadable} of ${summary.nodes} node(s) could not be read; no drift on the others`;
  } else if (pendingPools.length > 0 || summary.pending > 0) {
    summary.exitCode = 6;
    summary.verdict = `pending: MCO has not rendered the current configuration for pool(s) ${pendingPools.join(', ')} yet; ${summary.pending} node(s) still have the previous files, no drift (run verify again later)`;
  } else {
    summary.verdict = summary.rollingOut > 0 ? `no drift; ${summary.rollingOut} node(s) still rolling out` : 'all files match';
  }
  return summary;
}
