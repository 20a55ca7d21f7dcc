/**
 * Regenerates test/fixtures/nodes/<condition>/<node>/etc/... from
 * test/fixtures/verify/cluster.yaml: the files render produces, then the one
 * hand-made change each condition is about. Run: npx tsx test/support/gen-node-fixtures.ts
 */
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {loadManifests} from '../../src/model/manifests.js';
import {renderService} from '../../src/services/render.js';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, '..', 'fixtures');
export const NODES_DIR = join(FIXTURES, 'nodes');
export const CLUSTER_YAML = join(FIXTURES, 'verify', 'cluster.yaml');
export const NODE_NAMES = ['master-0', 'worker-0', 'worker-1'];
/** What the image registry's node-ca daemon writes on every node (not MCO's business). */
export const NODE_CA_FILE = '/etc/docker/certs.d/image-registry.openshift-image-registry.svc:5000/ca.crt';

export function renderedFiles(): Array<{path: string; content: string}> {
  const loaded = loadManifests([{file: CLUSTER_YAML, text: readFileSync(CLUSTER_YAML, 'utf8')}]);
  return renderService(loaded, {warn: () => {}}).files;
}

type Edit = (files: Map<string, string>) => void;

export const CONDITIONS: Record<string, Record<string, Edit>> = {
  'all-match': {},
  'hand-edited': {
    'worker-1': (f) => {
      const p = '/etc/containers/registries.conf';
      f.set(p, f.get(p)!.replace('location = "mirror.example.net/team"', 'location = "mirror.evil.example/team"'));
    },
  },
  'missing-dropin': {'worker-1': (f) => f.delete('/etc/containers/registries.conf.d/01-image-searchRegistries.conf')},
  'ca-missing': {'worker-0': (f) => f.delete('/etc/docker/certs.d/registry.example.com:5000/ca.crt')},
  'reformatted': {
    'worker-0': (f) => {
      const p = '/etc/containers/policy.json';
      f.set(p, JSON.stringify(JSON.parse(f.get(p)!), null, 4) + '\n');
    },
  },
};

export function generate(): void {
  const base = renderedFiles();
  rmSync(NODES_DIR, {recursive: true, force: true});
  for (const [condition, edits] of Object.entries(CONDITIONS)) {
    for (const node of NODE_NAMES) {
      const files = new Map(base.map((f) => [f.path, f.content]));
      files.set(NODE_CA_FILE, readFileSync(join(FIXTURES, 'verify', 'service-ca.crt'), 'utf8'));
      edits[node]?.(files);
      for (const [path, content] of files) {
        const target = join(NODES_DIR, condition, node, path);
        mkdirSync(dirname(target), {recursive: true});
        writeFileSync(target, content);
      }
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) generate();
