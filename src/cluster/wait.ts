/**
 * `--wait`: follow the MachineConfigPools an edit affects until they have rolled
 * out a new rendered configuration, printing progress on stderr. A degraded pool
 * or the timeout is a cluster error (exit 3).
 */
import {ClusterError} from '../lib/errors.js';
import {clock} from './clock.js';
import {clusterError, type Kube} from './kube.js';

const MCP = {group: 'machineconfiguration.openshift.io', version: 'v1', plural: 'machineconfigpools'};

export interface PoolStatus {
  name: string;
  /** spec.configuration.name: the rendered config the pool is moving to. */
  target?: string;
  /** status.configuration.name: the rendered config all machines have. */
  current?: string;
  machineCount: number;
  updatedMachineCount: number;
  readyMachineCount: number;
  degradedMachineCount: number;
  degraded?: string;
  paused: boolean;
}

export function poolStatus(o: Record<string, unknown>): PoolStatus {
  const meta = (o.metadata ?? {}) as {name?: string};
  const spec = (o.spec ?? {}) as {configuration?: {name?: string}; paused?: boolean};
  const st = (o.status ?? {}) as Record<string, unknown> & {configuration?: {name?: string}; conditions?: Array<{type?: string; status?: string; message?: string; reason?: string}>};
  const num = (k: string) => (typeof st[k] === 'number' ? (st[k] as number) : 0);
  const deg = (st.conditions ?? []).find((c) => (c.type === 'Degraded' || c.type === 'NodeDegraded' || c.type === 'RenderDegraded') && c.status === 'True');
  return {
    name: meta.name ?? '?',
    target: spec.configuration?.name,
    current: st.configuration?.name,
    machineCount: num('machineCount'),
    updatedMachineCount: num('updatedMachineCount'),
    readyMachineCount: num('readyMachineCount'),
    degradedMachineCount: num('degradedMachineCount'),
    degraded: deg ? `${deg.type}: ${deg.message || deg.reason || 'no message'}` : undefined,
    paused: spec.paused === true,
  };
}

export async function readPools(kube: Kube): Promise<PoolStatus[]> {
  const api = kube.config.makeApiClient(kube.mod.CustomObjectsApi);
  try {
    const l = (await api.listClusterCustomObject(MCP)) as {items?: Array<Record<string, unknown>>};
    return (l.items ?? []).map(poolStatus);
  } catch (e) {
    throw clusterError(kube, `list machineconfigpools.${MCP.group}`, e);
  }
}

export interface WaitOptions {
  pools: string[];
  /** Rendered config names before the write: a pool is done once it has moved past it. */
  before: Map<string, string | undefined>;
  timeoutMs: number;
  intervalMs?: number;
  progress: (line: string) => void;
}

export interface WaitResult {
  pools: PoolStatus[];
  elapsedMs: number;
}

function done(p: PoolStatus, before: string | undefined): boolean {
  const moved = p.target !== undefined && p.target !== before;
  return moved && p.current === p.target && p.updatedMachineCount === p.machineCount && p.readyMachineCount === p.machineCount && p.degradedMachineCount === 0;
}

export async function waitForPools(kube: Kube, opts: WaitOptions): Promise<WaitResult> {
  const c = clock();
  const now = () => c.now();
  const start = now();
  const interval = opts.intervalMs ?? 5000;
  const last = new Map<string, string>();
  for (;;) {
    const all = await readPools(kube);
    const pools = all.filter((p) => opts.pools.includes(p.name));
    for (const p of pools) {
      const line = `pool ${p.name}: ${p.updatedMachineCount}/${p.machineCount} updated, ${p.readyMachineCount} ready, ${p.degradedMachineCount} degraded${p.paused ? ' (paused: it will not update until unpaused)' : ''}`;
      if (last.get(p.name) !== line) opts.progress(line);
      last.set(p.name, line);
      if (p.degraded || p.degradedMachineCount > 0) throw new ClusterError(`pool ${p.name} is degraded: ${p.degraded ?? `${p.degradedMachineCount} machine(s) degraded`}`, `oc describe machineconfigpool ${p.name}`);
    }
    if (pools.length > 0 && pools.every((p) => done(p, opts.before.get(p.name)))) return {pools, elapsedMs: now() - start};
    if (now() - start >= opts.timeoutMs) {
      const pending = pools.filter((p) => !done(p, opts.before.get(p.name))).map((p) => p.name);
      throw new ClusterError(`timed out after ${Math.round((now() - start) / 1000)}s waiting for pool(s) ${pending.join(', ') || opts.pools.join(', ')} to update`, 'the change is applied; follow it with `oc get mcp -w`');
    }
    await c.sleep(interval);
  }
}
