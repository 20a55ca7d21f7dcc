/**
 * The verify report: the rendered files against the pool MachineConfigs
 * (99-<pool>-generated-registries and the pool's rendered-<pool>-* config) and
 * against every node's real files. Pure: everything read comes in, a report goes
 * out; the command decides how to print it.
 */
import {poolRollout, type PoolRollout} from '../model/types.js';
import {compareText, formatOf, sha256, type FileFormat} from '../lib/semantic.js';
import {unifiedDiff} from '../lib/unified-diff.js';
import {DEFAULT_INTERNAL_REGISTRY} from '../model/warnings.js';
import type {IgnitionFile} from './ignition.js';
import {DOCKER_CERTS_DIR, POLICY_JSON_PATH, REGISTRIES_CONF_D, REGISTRIES_CONF_PATH, type NodeFile} from '../model/node-files.js';

export type FileState = 'match' | 'differs' | 'missing' | 'extra' | 'unreadable';
export type NodeState = 'match' | 'differs' | 'unreadable' | 'rolling-out' | 'pool-degraded';


export interface LayerHashes {
  rendered?: string;
  generatedMachineConfig?: string;
  renderedMachineConfig?: string;
  node?: string;
}

export interface FileReport {
  path: string;
  state: FileState;
  format: FileFormat;
  /** Byte-identical to the rendered file (undefined when one side is absent). */
  bytesEqual?: boolean;
  /** Same meaning (parsed) as the rendered file. */
  semanticEqual?: boolean;
  sha256: LayerHashes;
  /** Changes in meaning, `field: old -> new`. */
  changes?: string[];
  /** Unified diff, rendered -> this layer. */
  diff?: string;
  note?: string;
  /** Counts as drift. */
  drift: boolean;
}

export interface McLayerReport {
  name: string;
  found: boolean;
  state: 'match' | 'differs' | 'missing' | 'rolling-out' | 'not-applicable';
  files: FileReport[];
  note?: string;
}

export interface NodeReport {
  name: string;
  pool: string;
  state: NodeState;
  drift: boolean;
  currentConfig?: string;
  desiredConfig?: string;
  error?: string;
  hint?: string;
  elapsedMs?: number;
  files: FileReport[];
  /** Files in certs.d listed by hash only (never read: client certificates and keys). */
  otherFiles?: Array<{path: string; sha256: string}>;
  note?: string;
}

export interface PoolReport extends PoolRollout {
  generated: McLayerReport;
  rendered: McLayerReport;
  nodes: NodeReport[];
  drift: boolean;
}

export interface VerifySummary {
  pools: number;
  nodes: number;
  match: number;
  differs: number;
  unreadable: number;
  rollingOut: number;
  poolDegraded: number;
  machineConfigDrift: number;
  /** 0 all match, 1 drift, 5 some nodes unreadable and no drift. */
  exitCode: 0 | 1 | 5;
  verdict: string;
}

export interface VerifyReport {
  via: string;
  elapsedMs?: number;
  files: Array<{path: string; origin: string; sha256: string}>;
  pools: PoolReport[];
  summary: VerifySummary;
}

/** Pool as read from the cluster, reduced to what verify needs. */
export interface PoolInput extends PoolRollout {
  nodeSelector: Record<string, string>;
  /** Files of 99-<pool>-generated-registries; undefined when the MachineConfig does not exist. */
  generatedMc?: {name: string; files: IgnitionFile[]};
  generatedMcName: string;
  /** Files of rendered-<pool>-* (status); undefined when not found. */
  renderedMc?: {name: string; files: IgnitionFile[]};
  /** Files of the spec.configuration MachineConfig, when it differs from status. */
  targetMc?: {name: string; files: IgnitionFile[]};
}

export interface NodeInput {
  name: string;
  labels: Record<string, string>;
  currentConfig?: string;
  desiredConfig?: string;
}

export type NodeReadInput =
  | {ok: true; files: Map<string, string>; unreadable: string[]; hashes: Map<string, string>; elapsedMs?: number}
  | {ok: false; error: string; hint?: string; elapsedMs?: number; kind?: string};

const DROPIN_DIR = `${REGISTRIES_CONF_D}/`;
const CERTS_DIR = `${DOCKER_CERTS_DIR}/`;

/** The certs.d directories the image registry's node-ca daemon writes: expected on every node, not drift. */
export function nodeCaManagedDirs(internalRegistryHostname?: string): string[] {
  const host = internalRegistryHostname || DEFAULT_INTERNAL_REGISTRY;
  const dirs = new Set([host]);
  const m = /^([^:]+)\.svc(:\d+)?$/.exec(host);
  if (m) dirs.add(`${m[1]}.svc.cluster.local${m[2] ?? ''}`);
  return [...dirs];
}

/** The pool a node belongs to: the matching pool other than worker, else worker (as MCO assigns them). */
export function poolOfNode(node: NodeInput, pools: PoolInput[]): PoolInput | undefined {
  const matches = pools.filter((p) => Object.keys(p.nodeSelector).length > 0 && Object.entries(p.nodeSelector).every(([k, v]) => node.labels[k] === v));
  const custom = matches.filter((p) => p.name !== 'worker').sort((a, b) => a.name.localeCompare(b.name));
  if (custom.length > 0) return custom[0];
  if (matches.length > 0) return matches[0];
  // Fall back to the pool named in the node's desired rendered config.
  const m = /^rendered-(.+)-[0-9a-f]+$/.exec(node.desiredConfig ?? '');
  return m ? pools.find((p) => p.name === m[1]) : undefined;
}

/** Compare one layer's version of a file against the rendered one. */
export function compareFile(expected: NodeFile | undefined, actual: string | undefined, path: string, labels: {from: string; to: string}): FileReport {
  const fr: FileReport = {path, state: 'match', format: formatOf(path), sha256: {}, drift: false};
  if (expected) fr.sha256.rendered = sha256(expected.content);
  if (expected === undefined && actual === undefined) return fr;
  if (expected === undefined) {
    fr.state = 'extra';
    fr.drift = true;
    if (fr.format !== 'pem') fr.diff = unifiedDiff('', actual!, {fromLabel: '/dev/null', toLabel: labels.to});
    return fr;
  }
  if (actual === undefined) {
    fr.state = 'missing';
    fr.drift = true;
    // A missing certificate's base64 says nothing to a reader; its hash is in sha256.rendered.
    if (fr.format !== 'pem') fr.diff = unifiedDiff(expected.content, '', {fromLabel: labels.from, toLabel: '/dev/null'});
    return fr;
  }
  const c = compareText(path, expected.content, actual);
  fr.format = c.format;
  fr.bytesEqual = c.bytesEqual;
  if (c.semanticEqual !== undefined) fr.semanticEqual = c.semanticEqual;
  if (c.bytesEqual) return fr;
  if (c.semanticEqual) {
    fr.note = `same ${c.format.toUpperCase()} content, different bytes`;
    return fr;
  }
  fr.state = 'differs';
  fr.drift = true;
  if (c.parseError) fr.note = c.parseError;
  if (c.changes.length > 0) fr.changes = c.changes;
  fr.diff = unifiedDiff(expected.content, actual, {fromLabel: labels.from, toLabel: labels.to});
  return fr;
}

function isRegistryPath(p: string): boolean {
  return p === REGISTRIES_CONF_PATH || p === POLICY_JSON_PATH || p.startsWith(DROPIN_DIR);
}

function mcFileContent(mc: {files: IgnitionFile[]} | undefined, path: string): {content?: string; error?: string} {
  const f = mc?.files.find((x) => x.path === path);
  if (!f) return {};
  return f.error !== undefined ? {error: f.error} : {content: f.content ?? ''};
}

/** 99-<pool>-generated-registries holds exactly the changed MachineConfig files. */
export function compareGenerated(pool: PoolInput, expected: NodeFile[], hasImageConfig: boolean): McLayerReport {
  const want = expected.filter((f) => f.origin === 'machineconfig');
  const name = pool.generatedMc?.name ?? pool.generatedMcName;
  if (!pool.generatedMc) {
    if (want.length === 0 && !hasImageConfig) return {name, found: false, state: 'not-applicable', files: [], note: 'no Image "cluster": MCO creates no registries MachineConfig'};
    return {name, found: false, state: 'missing', files: [], note: `MachineConfig ${name} does not exist`};
  }
  const label = `machineconfig/${name}`;
  const files: FileReport[] = [];
  for (const e of want) {
    const got = mcFileContent(pool.generatedMc, e.path);
    const fr = got.error !== undefined ? unreadableFile(e, got.error) : compareFile(e, got.content, e.path, {from: 'rendered', to: label});
    fr.sha256 = {rendered: sha256(e.content), ...(got.content !== undefined ? {generatedMachineConfig: sha256(got.content)} : {})};
    files.push(fr);
  }
  for (const f of pool.generatedMc.files) {
    if (want.some((e) => e.path === f.path)) continue;
    const fr = compareFile(undefined, f.content ?? '', f.path, {from: 'rendered', to: label});
    fr.sha256 = {generatedMachineConfig: sha256(f.content ?? '')};
    files.push(fr);
  }
  const drift = files.some((f) => f.drift);
  return {name, found: true, state: drift ? 'differs' : 'match', files};
}

function unreadableFile(e: NodeFile, why: string): FileReport {
  return {path: e.path, state: 'unreadable', format: formatOf(e.path), sha256: {rendered: sha256(e.content)}, note: why, drift: false};
}

/** The pool's rendered config must contain the rendered registries files (not the CA files: the daemon writes those). */
export function compareRenderedMc(pool: PoolInput, expected: NodeFile[]): McLayerReport {
  const want = expected.filter((f) => f.origin === 'machineconfig' || f.origin === 'template');
  const name = pool.renderedMc?.name ?? pool.renderedConfig ?? `rendered-${pool.name}-?`;
  if (!pool.renderedMc) return {name, found: false, state: 'missing', files: [], note: pool.renderedConfig ? `MachineConfig ${pool.renderedConfig} (status.configuration of pool ${pool.name}) does not exist` : `pool ${pool.name} has no status.configuration yet`};
  const files = layerCompare(pool.renderedMc, want, `machineconfig/${name}`, 'renderedMachineConfig');
  const drift = files.some((f) => f.drift);
  if (!drift) return {name, found: true, state: 'match', files};
  // The pool is moving to a config that has the rendered files: that is a rollout, not drift.
  if (pool.targetMc && pool.targetMc.name !== name) {
    const target = layerCompare(pool.targetMc, want, `machineconfig/${pool.targetMc.name}`, 'renderedMachineConfig');
    if (!target.some((f) => f.drift)) {
      for (const f of files) f.drift = false;
      return {name, found: true, state: 'rolling-out', files, note: `pool ${pool.name} is moving to ${pool.targetMc.name}, which has the rendered files`};
    }
  }
  return {name, found: true, state: 'differs', files};
}

function layerCompare(mc: {files: IgnitionFile[]}, want: NodeFile[], label: string, key: 'renderedMachineConfig'): FileReport[] {
  const files: FileReport[] = [];
  for (const e of want) {
    const got = mcFileContent(mc, e.path);
    const fr = got.error !== undefined ? unreadableFile(e, got.error) : compareFile(e, got.content, e.path, {from: 'rendered', to: label});
    fr.sha256 = {rendered: sha256(e.content), ...(got.content !== undefined ? {[key]: sha256(got.content)} : {})};
    files.push(fr);
  }
  for (const f of mc.files) {
    if (!f.path.startsWith(DROPIN_DIR) || want.some((e) => e.path === f.path)) continue;
    const fr = compareFile(undefined, f.content ?? '', f.path, {from: 'rendered', to: label});
    fr.sha256 = {[key]: sha256(f.content ?? '')};
    files.push(fr);
  }
  return files;
}

/** One node's files against the rendered ones, with the MachineConfig layers' hashes alongside. */
export function compareNode(node: NodeInput, pool: PoolInput | undefined, expected: NodeFile[], read: NodeReadInput, opts: {internalRegistryHostname?: string} = {}): NodeReport {
  const rep: NodeReport = {
    name: node.name,
    pool: pool?.name ?? '',
    state: 'match',
    drift: false,
    ...(node.currentConfig ? {currentConfig: node.currentConfig} : {}),
    ...(node.desiredConfig ? {desiredConfig: node.desiredConfig} : {}),
    files: [],
  };
  const rollingOut = node.currentConfig !== undefined && node.desiredConfig !== undefined && node.currentConfig !== node.desiredConfig;
  if (read.elapsedMs !== undefined) rep.elapsedMs = read.elapsedMs;
  if (!read.ok) {
    rep.state = 'unreadable';
    rep.error = read.error;
    if (read.hint) rep.hint = read.hint;
    if (rollingOut) rep.note = `rolling out: ${node.currentConfig} -> ${node.desiredConfig}`;
    return rep;
  }
  const label = `node/${node.name}`;
  const managedCa = new Set(nodeCaManagedDirs(opts.internalRegistryHostname).map((d) => `${CERTS_DIR}${d}/ca.crt`));
  for (const e of expected) {
    let fr: FileReport;
    if (read.unreadable.includes(e.path)) fr = unreadableFile(e, 'exists but could not be read');
    else fr = compareFile(e, read.files.get(e.path), e.path, {from: 'rendered', to: label});
    const gen = mcFileContent(pool?.generatedMc, e.path).content;
    const ren = mcFileContent(pool?.renderedMc, e.path).content;
    const onNode = read.files.get(e.path);
    fr.sha256 = {
      rendered: sha256(e.content),
      ...(gen !== undefined ? {generatedMachineConfig: sha256(gen)} : {}),
      ...(ren !== undefined ? {renderedMachineConfig: sha256(ren)} : {}),
      ...(onNode !== undefined ? {node: sha256(onNode)} : {}),
    };
    rep.files.push(fr);
  }
  const expectedPaths = new Set(expected.map((e) => e.path));
  for (const [path, content] of [...read.files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (expectedPaths.has(path)) continue;
    if (!path.startsWith(DROPIN_DIR) && !path.startsWith(CERTS_DIR)) continue;
    const fr = compareFile(undefined, content, path, {from: 'rendered', to: label});
    fr.sha256 = {node: sha256(content)};
    if (managedCa.has(path)) {
      fr.drift = false;
      delete fr.diff;
      fr.note = 'written by the image registry node-ca daemon, not by MCO';
    }
    rep.files.push(fr);
  }
  for (const p of read.unreadable) {
    if (expectedPaths.has(p) || !isRegistryPath(p)) continue;
    rep.files.push({path: p, state: 'unreadable', format: formatOf(p), sha256: {}, note: 'exists but could not be read', drift: false});
  }
  if (read.hashes.size > 0) rep.otherFiles = [...read.hashes.entries()].map(([path, h]) => ({path, sha256: h}));
  const fileDrift = rep.files.some((f) => f.drift);
  const someUnreadable = rep.files.some((f) => f.state === 'unreadable');
  if (rollingOut) {
    rep.state = pool?.degraded ? 'pool-degraded' : 'rolling-out';
    rep.note = `${pool?.degraded ? 'stuck' : 'rolling out'}: ${node.currentConfig} -> ${node.desiredConfig}`;
    rep.drift = Boolean(pool?.degraded);
    // Files on a node mid-update are not drift yet.
    if (!pool?.degraded) for (const f of rep.files) f.drift = false;
  } else if (fileDrift) {
    rep.state = 'differs';
    rep.drift = true;
  } else if (someUnreadable) rep.state = 'unreadable';
  return rep;
}

export interface BuildReportInput {
  via: string;
  expected: NodeFile[];
  hasImageConfig: boolean;
  pools: PoolInput[];
  nodes: NodeInput[];
  reads: Map<string, NodeReadInput>;
  internalRegistryHostname?: string;
  elapsedMs?: number;
}

export function buildReport(input: BuildReportInput): VerifyReport {
  const pools: PoolReport[] = input.pools.map((p) => {
    const generated = compareGenerated(p, input.expected, input.hasImageConfig);
    const rendered = compareRenderedMc(p, input.expected);
    return {
      ...poolRollout(p),
      generated,
      rendered,
      nodes: [],
      drift: p.degraded || generated.state === 'differs' || generated.state === 'missing' || rendered.state === 'differs' || rendered.state === 'missing',
    };
  });
  const other: PoolReport = {name: '', updating: false, degraded: false, generated: {name: '', found: false, state: 'not-applicable', files: []}, rendered: {name: '', found: false, state: 'not-applicable', files: []}, nodes: [], drift: false};
  for (const n of input.nodes) {
    const pool = poolOfNode(n, input.pools);
    const read = input.reads.get(n.name) ?? {ok: false as const, error: 'not read'};
    const rep = compareNode(n, pool, input.expected, read, {internalRegistryHostname: input.internalRegistryHostname});
    (pools.find((p) => p.name === pool?.name) ?? other).nodes.push(rep);
  }
  if (other.nodes.length > 0) pools.push(other);
  const nodes = pools.flatMap((p) => p.nodes);
  const count = (s: NodeState) => nodes.filter((n) => n.state === s).length;
  const machineConfigDrift = pools.filter((p) => p.generated.state === 'differs' || p.generated.state === 'missing' || p.rendered.state === 'differs' || p.rendered.state === 'missing').length;
  const summary: VerifySummary = {
    pools: pools.filter((p) => p.name !== '').length,
    nodes: nodes.length,
    match: count('match'),
    differs: count('differs'),
    unreadable: count('unreadable'),
    rollingOut: count('rolling-out'),
    poolDegraded: pools.filter((p) => p.degraded).length,
    machineConfigDrift,
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
  } else {
    summary.verdict = summary.rollingOut > 0 ? `no drift; ${summary.rollingOut} node(s) still rolling out` : 'all files match';
  }
  return {
    via: input.via,
    ...(input.elapsedMs !== undefined ? {elapsedMs: input.elapsedMs} : {}),
    files: input.expected.map((e) => ({path: e.path, origin: e.origin, sha256: sha256(e.content)})),
    pools,
    summary,
  };
}
