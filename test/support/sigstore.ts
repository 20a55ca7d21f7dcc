/** Building ClusterImagePolicy / ImagePolicy manifests for tests from the sigstore vectors' key material. */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {loadManifests} from '../../src/model/manifests.js';
import type {ClusterState} from '../../src/model/types.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'vectors-sigstore');

export function vectorInput(name: string): string {
  return readFileSync(join(root, name, 'input.yaml'), 'utf8');
}

/** The first `key: "value"` of a vector input (key material reused by tests). */
export function vectorValue(name: string, key: string): string {
  const m = new RegExp(`${key}: "([^"]+)"`).exec(vectorInput(name));
  if (!m) throw new Error(`${key} not in ${name}`);
  return m[1]!;
}

export const HEADER = `apiVersion: config.openshift.io/v1
kind: ClusterVersion
metadata:
  name: version
status:
  desired:
    image: "quay.io/openshift-release-dev/ocp-release@sha256:${'4'.repeat(64)}"
---
apiVersion: config.openshift.io/v1
kind: Image
metadata:
  name: cluster
`;

export function stateOf(yaml: string): ClusterState {
  const loaded = loadManifests([{file: 'test.yaml', text: yaml}]);
  if (loaded.problems.length > 0) throw new Error(JSON.stringify(loaded.problems));
  return loaded.state;
}

export function publicKeyPolicy(kind: 'ClusterImagePolicy' | 'ImagePolicy', name: string, scopes: string[], keyData: string, extra = '', namespace?: string): string {
  return `---
apiVersion: config.openshift.io/v1
kind: ${kind}
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}  generation: 3
spec:
  scopes:
${scopes.map((s) => `  - "${s}"`).join('\n')}
  policy:
    rootOfTrust:
      policyType: PublicKey
      publicKey:
        keyData: "${keyData}"
${extra}`;
}
