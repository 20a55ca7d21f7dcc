/**
 * A fake cluster for verify and status: the fake API server holding the objects
 * of test/fixtures/verify/cluster.yaml plus pools, nodes, MachineConfigs and
 * machine-config-daemon pods, and a directory with the fake `oc` to put first on PATH.
 */
import {runInProcess} from './in-process.js';
import {machineConfigYaml} from '../../src/render/machineconfig.js';
import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {parse, parseAllDocuments} from 'yaml';
import {FakeApiServer, type KubeObject} from './fake-apiserver.js';
import {CLUSTER_YAML, NODE_NAMES, NODES_DIR, renderedFiles} from './gen-node-fixtures.js';
import {loadManifests} from '../../src/model/manifests.js';
import {renderService} from '../../src/services/render.js';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '..', '..');
export const BIN = join(ROOT, 'bin', 'run.js');
export const FAKE_OC = join(here, 'fake-oc.sh');

export const RENDERED = {master: 'rendered-master-5f1a0c', worker: 'rendered-worker-9b2e47'};
export const MCD_PODS: Record<string, string> = {'master-0': 'machine-config-daemon-q8x2m', 'worker-0': 'machine-config-daemon-7hd4k', 'worker-1': 'machine-config-daemon-zt9pw'};

const poolOf = (node: string) => (node.startsWith('master') ? 'master' : 'worker');

/** Ignition file entries with three encodings MCO and Ignition use: percent-encoded, base64, gzip+base64. */
function ignitionFile(path: string, content: string, encoding: 'percent' | 'base64' | 'gzip') {
  const source =
    encoding === 'percent'
      ? 'data:,' + encodeURIComponent(content)
      : 'data:;base64,' + (encoding === 'gzip' ? gzipSync(Buffer.from(content)) : Buffer.from(content)).toString('base64');
  return {contents: {compression: encoding === 'gzip' ? 'gzip' : '', source}, mode: 420, overwrite: true, path};
}

/** A rendered-<pool>-* MachineConfig: base templates overridden by the generated files, plus unrelated files. */
export function renderedMc(name: string, files: Array<{path: string; content: string}>): KubeObject {
  const entries = [
    ignitionFile('/etc/kubernetes/kubelet.conf', 'kind: KubeletConfiguration\n', 'base64'),
    ...files.map((f) => ignitionFile(f.path, f.content, f.path.endsWith('.conf') && f.path.includes('.d/') ? 'gzip' : f.path.endsWith('.conf') ? 'percent' : 'base64')),
  ];
  return {apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineConfig', metadata: {name}, spec: {config: {ignition: {version: '3.5.0'}, storage: {files: entries}}}};
}

export interface ClusterOptions {
  /** Pool conditions. */
  degraded?: {pool: string; message: string};
  /** node -> [current, desired] */
  rolling?: Record<string, [string, string]>;
  /** Replace the rendered files of a pool's rendered MachineConfig. */
  renderedFiles?: Record<string, Array<{path: string; content: string}>>;
  /** Extra nodes (names) in the worker pool, e.g. for the bench. */
  workers?: string[];
}

export function clusterObjects(opts: ClusterOptions = {}): KubeObject[] {
  const text = readFileSync(CLUSTER_YAML, 'utf8');
  const objects = parseAllDocuments(text).map((d) => d.toJSON() as KubeObject);
  const loaded = loadManifests([{file: CLUSTER_YAML, text}]);
  const res = renderService(loaded, {warn: () => {}, pools: ['master', 'worker']});
  const generated = res.files.filter((f) => f.origin === 'machineconfig');
  for (const mc of res.machineConfigs) objects.push(parse(machineConfigYaml(mc.pool, generated)) as KubeObject);
  const mcFiles = res.files.filter((f) => f.origin !== 'daemon');
  const nodes = [...NODE_NAMES, ...(opts.workers ?? [])];
  for (const pool of ['master', 'worker'] as const) {
    objects.push(renderedMc(RENDERED[pool], opts.renderedFiles?.[pool] ?? mcFiles));
    const members = nodes.filter((n) => poolOf(n) === pool);
    const degraded = opts.degraded?.pool === pool;
    const updated = members.filter((n) => !opts.rolling?.[n]).length;
    objects.push({
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfigPool',
      metadata: {name: pool, labels: {'machineconfiguration.openshift.io/mco-built-in': '', [`pools.operator.machineconfiguration.openshift.io/${pool}`]: ''}},
      spec: {
        configuration: {name: RENDERED[pool]},
        machineConfigSelector: {matchLabels: {'machineconfiguration.openshift.io/role': pool}},
        nodeSelector: {matchLabels: {[`node-role.kubernetes.io/${pool}`]: ''}},
      },
      status: {
        configuration: {name: RENDERED[pool]},
        machineCount: members.length,
        updatedMachineCount: updated,
        readyMachineCount: updated,
        degradedMachineCount: degraded ? 1 : 0,
        conditions: [
          {type: 'Updated', status: updated === members.length && !degraded ? 'True' : 'False'},
          {type: 'Updating', status: updated < members.length && !degraded ? 'True' : 'False'},
          {type: 'Degraded', status: degraded ? 'True' : 'False', ...(degraded ? {message: opts.degraded!.message, reason: '1 nodes are reporting degraded status on sync'} : {})},
          {type: 'NodeDegraded', status: degraded ? 'True' : 'False', ...(degraded ? {message: opts.degraded!.message} : {})},
        ],
      },
    });
  }
  for (const n of nodes) {
    const pool = poolOf(n);
    const [current, desired] = opts.rolling?.[n] ?? [RENDERED[pool], RENDERED[pool]];
    objects.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: n,
        labels: {'kubernetes.io/hostname': n, [`node-role.kubernetes.io/${pool}`]: '', ...(pool === 'master' ? {'node-role.kubernetes.io/control-plane': ''} : {})},
        annotations: {'machineconfiguration.openshift.io/currentConfig': current, 'machineconfiguration.openshift.io/desiredConfig': desired, 'machineconfiguration.openshift.io/state': current === desired ? 'Done' : 'Working'},
      },
    });
    objects.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: MCD_PODS[n] ?? `machine-config-daemon-${n}`, namespace: 'openshift-machine-config-operator', labels: {'k8s-app': 'machine-config-daemon'}},
      spec: {nodeName: n, containers: [{name: 'machine-config-daemon'}]},
      status: {phase: 'Running'},
    });
  }
  return objects;
}

export async function startCluster(opts: ClusterOptions = {}): Promise<FakeApiServer> {
  return FakeApiServer.start({objects: clusterObjects(opts)});
}

let ocDir: string | undefined;
/** A directory whose `oc` is the fake one. */
export function fakeOcDir(): string {
  if (!ocDir) {
    ocDir = mkdtempSync(join(tmpdir(), 'fake-oc-'));
    symlinkSync(FAKE_OC, join(ocDir, 'oc'));
  }
  return ocDir;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run bin/run.js against the fake cluster with the fake oc first on PATH. */
export function runCli(srv: FakeApiServer, args: string[], env: Record<string, string> = {}, condition = 'all-match'): Promise<CliResult> {
  const kubeconfig = srv.writeKubeconfig();
  return runInProcess(args, {
    PATH: `${fakeOcDir()}${delimiter}${process.env.PATH ?? ''}`,
    KUBECONFIG: kubeconfig,
    FAKE_OC_ROOT: join(NODES_DIR, condition),
    FAKE_OC_PODS: Object.entries(MCD_PODS).map(([n, p]) => `${p}=${n}`).join(','),
    ...env,
  });
}

/** The same, as a child process running bin/run.js (for the smoke tests of the real binary). */
export function spawnCli(srv: FakeApiServer, args: string[], env: Record<string, string> = {}, condition = 'all-match'): Promise<CliResult> {
  const kubeconfig = srv.writeKubeconfig();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        PATH: `${fakeOcDir()}${delimiter}${process.env.PATH ?? ''}`,
        KUBECONFIG: kubeconfig,
        FAKE_OC_ROOT: join(NODES_DIR, condition),
        FAKE_OC_PODS: Object.entries(MCD_PODS).map(([n, p]) => `${p}=${n}`).join(','),
        NO_COLOR: '1',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('close', (code) => resolve({code: code ?? -1, stdout, stderr}));
  });
}

export {renderedFiles};
