/**
 * The node's view of the registry configuration: what MCO writes into the
 * generated MachineConfig, what the machine-config daemon writes from the
 * additional trusted CA ConfigMap, and the base-template files that stay as they
 * are. Pure: state in, files out.
 */
import type {Problem} from '../lib/errors.js';
import {CA_NAMESPACE, caPath, POLICY_JSON_PATH, REGISTRIES_CONF_PATH, type NodeFile, type NodeFileText} from '../model/node-files.js';
import type {ClusterState} from '../model/types.js';
import {renderMco, type MirrorRenderHooks, type RenderOutcome} from './mco.js';
import {TEMPLATE_POLICY_JSON, TEMPLATE_REGISTRIES_CONF} from './templates.js';


export interface NodeView {
  outcome: RenderOutcome;
  files: NodeFile[];
  problems: Problem[];
}

const CA_KEY = /^[-._a-zA-Z0-9]+$/;

export function trustedCaFiles(state: ClusterState, problems: Problem[] = []): NodeFileText[] {
  const name = state.image?.spec.additionalTrustedCA?.name;
  if (!name) return [];
  const cm = state.configMaps.find((c) => c.name === name && c.namespace === CA_NAMESPACE);
  if (!cm) return [];
  const files: NodeFileText[] = [];
  for (const key of Object.keys(cm.data).sort()) {
    const data = cm.data[key]!;
    if (!CA_KEY.test(key)) problems.push({field: `ConfigMap/${name} data`, value: key, message: 'is not a valid ConfigMap key; use host or host..port', source: cm.source});
    else if (!data.includes('-----BEGIN CERTIFICATE-----')) problems.push({field: `ConfigMap/${name} data.${key}`, message: 'is not a PEM certificate', source: cm.source});
    else files.push({path: caPath(key), content: data});
  }
  return files;
}

export function renderNodeView(state: ClusterState, hooks: MirrorRenderHooks = {}): NodeView {
  const outcome = renderMco(state, hooks);
  const problems: Problem[] = [];
  const generated = outcome.error ? [] : outcome.files;
  const files: NodeFile[] = [];
  const byPath = new Map(generated.map((f) => [f.path, f]));
  for (const [path, template] of [
    [REGISTRIES_CONF_PATH, TEMPLATE_REGISTRIES_CONF],
    [POLICY_JSON_PATH, TEMPLATE_POLICY_JSON],
  ] as const) {
    const g = byPath.get(path);
    files.push(g ? {...g, changed: true, origin: 'machineconfig'} : {path, content: template, changed: false, origin: 'template'});
  }
  for (const g of generated) if (g.path !== REGISTRIES_CONF_PATH && g.path !== POLICY_JSON_PATH) files.push({...g, changed: true, origin: 'machineconfig'});
  for (const ca of trustedCaFiles(state, problems)) files.push({...ca, changed: true, origin: 'daemon'});
  return {outcome, files, problems};
}
