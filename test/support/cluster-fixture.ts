/** A small OpenShift-looking cluster for the fake API server, and a way to run bin/run.js against it. */
import {runInProcess} from './in-process.js';
import {execFile, spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {dirname, join} from 'node:path';
import {FakeApiServer, type KubeObject} from './fake-apiserver.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'run.js');
export const RELEASE_IMAGE = `quay.io/openshift-release-dev/ocp-release@sha256:${'a'.repeat(64)}`;

export function image(spec: Record<string, unknown> = {}): KubeObject {
  return {apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: {name: 'cluster'}, spec, status: {internalRegistryHostname: 'image-registry.openshift-image-registry.svc:5000'}};
}

export function pool(name: string, machines = 3, rendered = `rendered-${name}-0001`): KubeObject {
  return {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfigPool',
    metadata: {name, labels: {'machineconfiguration.openshift.io/mco-built-in': '', [`pools.operator.machineconfiguration.openshift.io/${name}`]: ''}},
    spec: {configuration: {name: rendered}, machineConfigSelector: {matchLabels: {'machineconfiguration.openshift.io/role': name}}},
    status: {configuration: {name: rendered}, machineCount: machines, updatedMachineCount: machines, readyMachineCount: machines, degradedMachineCount: 0, conditions: [{type: 'Updated', status: 'True'}, {type: 'Degraded', status: 'False'}]},
  };
}

/** Image, ClusterVersion 4.18.3 and the master/worker pools. */
export function clusterObjects(spec: Record<string, unknown> = {}): KubeObject[] {
  return [
    image(spec),
    {apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', metadata: {name: 'version'}, spec: {}, status: {desired: {image: RELEASE_IMAGE, version: '4.18.3'}}},
    pool('master'),
    pool('worker'),
  ];
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in this process (see in-process.ts); with stdin input, as a child process. */
export function run(args: string[], env: Record<string, string> = {}, input?: string): Promise<RunResult> {
  if (input === undefined) return runInProcess(args, {KUBECONFIG: '/nonexistent/kubeconfig', ...env});
  return runChild(args, env, input);
}

/** Run the built CLI (bin/run.js) as a child process. */
export function runChild(args: string[], env: Record<string, string> = {}, input?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], {cwd: ROOT, env: {...process.env, NO_COLOR: '1', KUBECONFIG: '/nonexistent/kubeconfig', ...env}, maxBuffer: 64 * 1024 * 1024}, (err, stdout, stderr) => {
      const code = err ? (typeof (err as {code?: unknown}).code === 'number' ? ((err as {code: number}).code) : 1) : 0;
      resolve({code, stdout, stderr});
    });
    if (input !== undefined) child.stdin!.end(input);
    else child.stdin!.end();
  });
}

/** Same, with spawn (for many processes at once). */
export function runSpawn(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd: ROOT, env: {...process.env, NO_COLOR: '1', ...env}, stdio: ['ignore', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({code: code ?? 70, stdout, stderr}));
  });
}

/** A fake OpenShift cluster whose allowlist is quay.io, and the environment that points the CLI at it. */
export async function startAllowlistCluster(): Promise<{srv: FakeApiServer; env: Record<string, string>}> {
  const srv = await FakeApiServer.start({objects: clusterObjects({registrySources: {allowedRegistries: ['quay.io']}})});
  return {srv, env: {KUBECONFIG: srv.writeKubeconfig()}};
}
