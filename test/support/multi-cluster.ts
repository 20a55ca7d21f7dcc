/**
 * Several fake clusters behind one kubeconfig: one fake API server per context on 127.0.0.1
 * (plus contexts pointing at a closed port, i.e. unreachable), and one node root per context for
 * the fake oc (FAKE_OC_PER_CONTEXT=1: $FAKE_OC_ROOT/<context>/<node>).
 */
import {mkdirSync, mkdtempSync, symlinkSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {FakeApiServer} from './fake-apiserver.js';
import {NODES_DIR} from './gen-node-fixtures.js';
import {startCluster, type ClusterOptions} from './verify-cluster.js';

export interface ContextSpec {
  name: string;
  /** Fake cluster options; `unreachable` for a context whose server is a closed port. */
  cluster: ClusterOptions | 'unreachable';
  /** Node fixture condition (test/fixtures/nodes/<condition>), default all-match. */
  nodes?: string;
}

export interface Fleet {
  kubeconfig: string;
  servers: Map<string, FakeApiServer>;
  /** Environment for runCli: KUBECONFIG, FAKE_OC_ROOT, FAKE_OC_PER_CONTEXT. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** A 127.0.0.1 port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as {port: number}).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export function kubeconfigYaml(entries: Array<{name: string; server: string}>, current?: string): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
  for (const e of entries) lines.push(`- name: ${e.name}-cluster`, '  cluster:', `    server: ${e.server}`, '    insecure-skip-tls-verify: true');
  lines.push('users:', '- name: fleet-admin', '  user:', '    token: fake-token', 'contexts:');
  for (const e of entries) lines.push(`- name: ${e.name}`, '  context:', `    cluster: ${e.name}-cluster`, '    user: fleet-admin');
  lines.push(`current-context: ${current ?? entries[0]?.name ?? ''}`);
  return lines.join('\n') + '\n';
}

export async function startFleet(specs: ContextSpec[]): Promise<Fleet> {
  const servers = new Map<string, FakeApiServer>();
  const entries: Array<{name: string; server: string}> = [];
  const dir = mkdtempSync(join(tmpdir(), 'fleet-'));
  const roots = join(dir, 'nodes');
  mkdirSync(roots);
  for (const s of specs) {
    if (s.cluster === 'unreachable') {
      entries.push({name: s.name, server: `http://127.0.0.1:${await closedPort()}`});
      continue;
    }
    const srv = await startCluster(s.cluster);
    servers.set(s.name, srv);
    entries.push({name: s.name, server: srv.url});
    symlinkSync(join(NODES_DIR, s.nodes ?? 'all-match'), join(roots, s.name));
  }
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYaml(entries));
  return {
    kubeconfig,
    servers,
    env: {KUBECONFIG: kubeconfig, FAKE_OC_ROOT: roots, FAKE_OC_PER_CONTEXT: '1'},
    close: async () => {
      await Promise.all([...servers.values()].map((s) => s.close()));
    },
  };
}
