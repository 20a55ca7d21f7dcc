/**
 * Reading what verify and status need beyond the configuration objects:
 * MachineConfigPools (with status), Nodes, the MachineConfigs named by the pools,
 * and the machine-config-daemon pods. Live only, through the lazy kube client.
 */
import {ignitionFiles} from '../render/ignition.js';
import {managedKey} from '../render/machineconfig.js';
import type {NodeInput, PoolInput} from '../render/verify.js';
import {clusterError, statusOf, type Kube} from './kube.js';
import {MCD_NAMESPACE} from './node-files.js';

const MC_GROUP = {group: 'machineconfiguration.openshift.io', version: 'v1'};
export const CURRENT_CONFIG = 'machineconfiguration.openshift.io/currentConfig';
export const DESIRED_CONFIG = 'machineconfiguration.openshift.io/desiredConfig';

type Obj = Record<string, unknown>;
const get = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Obj)[k] : undefined), o);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export interface RawPool {
  name: string;
  body: Obj;
}

export async function listPools(kube: Kube): Promise<RawPool[]> {
  const api = kube.api(kube.mod.CustomObjectsApi);
  try {
    const list = (await api.listClusterCustomObject({...MC_GROUP, plural: 'machineconfigpools'})) as {items?: Obj[]};
    return (list.items ?? []).map((o) => ({name: String(get(o, 'metadata', 'name')), body: o}));
  } catch (e) {
    throw clusterError(kube, 'list machineconfigpools.machineconfiguration.openshift.io', e);
  }
}

/** A MachineConfig's files, or undefined when it does not exist. */
export async function getMachineConfigFiles(kube: Kube, name: string): Promise<PoolInput['generatedMc']> {
  const api = kube.api(kube.mod.CustomObjectsApi);
  try {
    const mc = (await api.getClusterCustomObject({...MC_GROUP, plural: 'machineconfigs', name})) as Obj;
    return {name, files: ignitionFiles(get(mc, 'spec', 'config') ?? {})};
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw clusterError(kube, `get machineconfigs.machineconfiguration.openshift.io/${name}`, e);
  }
}

export function poolSummary(p: RawPool): Omit<PoolInput, 'generatedMc' | 'renderedMc' | 'targetMc' | 'generatedMcName'> {
  const conditions = (get(p.body, 'status', 'conditions') ?? []) as Obj[];
  const cond = (type: string) => (Array.isArray(conditions) ? conditions.find((c) => c.type === type) : undefined);
  const degradedCond = cond('Degraded');
  const nodeDegraded = cond('NodeDegraded');
  const renderDegraded = cond('RenderDegraded');
  const degraded = degradedCond?.status === 'True' || nodeDegraded?.status === 'True' || renderDegraded?.status === 'True';
  const message = [degradedCond, nodeDegraded, renderDegraded]
    .filter((c) => c?.status === 'True')
    .map((c) => str(c!.message) ?? str(c!.reason) ?? String(c!.type))
    .filter((m, i, a) => a.indexOf(m) === i)
    .join('; ');
  const renderedConfig = str(get(p.body, 'status', 'configuration', 'name'));
  const targetConfig = str(get(p.body, 'spec', 'configuration', 'name'));
  const machineCount = num(get(p.body, 'status', 'machineCount'));
  const updatedMachineCount = num(get(p.body, 'status', 'updatedMachineCount'));
  const updating = cond('Updating')?.status === 'True' || (targetConfig !== undefined && targetConfig !== renderedConfig) || (machineCount !== undefined && updatedMachineCount !== undefined && updatedMachineCount < machineCount);
  return {
    name: p.name,
    nodeSelector: ((get(p.body, 'spec', 'nodeSelector', 'matchLabels') ?? {}) as Record<string, string>),
    ...(renderedConfig ? {renderedConfig} : {}),
    ...(targetConfig ? {targetConfig} : {}),
    ...(machineCount !== undefined ? {machineCount} : {}),
    ...(updatedMachineCount !== undefined ? {updatedMachineCount} : {}),
    ...(num(get(p.body, 'status', 'degradedMachineCount')) !== undefined ? {degradedMachineCount: num(get(p.body, 'status', 'degradedMachineCount'))} : {}),
    degraded,
    ...(degraded ? {degradedMessage: message || 'Degraded'} : {}),
    updating,
  };
}

/**
 * Pools with their MachineConfigs read. The registries MachineConfig of a custom
 * pool is the worker one (custom pools inherit worker MachineConfigs).
 */
export async function readPools(kube: Kube, raw: RawPool[], builtIn: string[]): Promise<PoolInput[]> {
  const cache = new Map<string, Promise<PoolInput['generatedMc']>>();
  const mc = (name: string) => {
    let p = cache.get(name);
    if (!p) cache.set(name, (p = getMachineConfigFiles(kube, name)));
    return p;
  };
  return Promise.all(
    raw.map(async (p) => {
      const s = poolSummary(p);
      const generatedMcName = managedKey(builtIn.includes(p.name) ? p.name : 'worker');
      const [generatedMc, renderedMc, targetMc] = await Promise.all([
        mc(generatedMcName),
        s.renderedConfig ? mc(s.renderedConfig) : Promise.resolve(undefined),
        s.targetConfig && s.targetConfig !== s.renderedConfig ? mc(s.targetConfig) : Promise.resolve(undefined),
      ]);
      return {...s, generatedMcName, ...(generatedMc ? {generatedMc} : {}), ...(renderedMc ? {renderedMc} : {}), ...(targetMc ? {targetMc} : {})};
    }),
  );
}

export async function listNodes(kube: Kube): Promise<NodeInput[]> {
  const core = kube.api(kube.mod.CoreV1Api);
  try {
    const list = await core.listNode({});
    return list.items.map((n) => {
      const ann = n.metadata?.annotations ?? {};
      return {
        name: n.metadata?.name ?? '',
        labels: n.metadata?.labels ?? {},
        ...(ann[CURRENT_CONFIG] ? {currentConfig: ann[CURRENT_CONFIG]} : {}),
        ...(ann[DESIRED_CONFIG] ? {desiredConfig: ann[DESIRED_CONFIG]} : {}),
      };
    });
  } catch (e) {
    throw clusterError(kube, 'list nodes', e);
  }
}

/** node name -> machine-config-daemon pod name. */
export async function mcdPods(kube: Kube): Promise<Map<string, string>> {
  const core = kube.api(kube.mod.CoreV1Api);
  try {
    const list = await core.listNamespacedPod({namespace: MCD_NAMESPACE, labelSelector: 'k8s-app=machine-config-daemon'});
    const map = new Map<string, string>();
    for (const p of list.items) {
      const node = p.spec?.nodeName;
      if (node && p.metadata?.name && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded') map.set(node, p.metadata.name);
    }
    return map;
  } catch (e) {
    throw clusterError(kube, `list pods in ${MCD_NAMESPACE}`, e);
  }
}
