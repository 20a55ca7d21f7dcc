/** Completion names from a live cluster (the fake API server, the real Kubernetes client) and kubeconfigs. */
import {expect} from 'chai';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {completionSources} from '../../src/cluster/completion-data.js';
import {FakeApiServer, type KubeObject} from '../support/fake-apiserver.js';

const obj = (apiVersion: string, kind: string, name: string): KubeObject => ({apiVersion, kind, metadata: {name}});

describe('completion names (fake cluster)', function () {
  let srv: FakeApiServer;
  let kubeconfig: string;
  before(async () => {
    srv = await FakeApiServer.start({
      objects: [
        obj('machineconfiguration.openshift.io/v1', 'MachineConfigPool', 'worker'),
        obj('machineconfiguration.openshift.io/v1', 'MachineConfigPool', 'infra'),
        obj('v1', 'Node', 'infra-0'),
        obj('config.openshift.io/v1', 'ImageDigestMirrorSet', 'payload'),
        obj('config.openshift.io/v1', 'ImageTagMirrorSet', 'apps'),
        obj('operator.openshift.io/v1alpha1', 'ImageContentSourcePolicy', 'legacy'),
      ],
    });
    kubeconfig = srv.writeKubeconfig({context: 'lab'});
  });
  after(() => srv.close());

  it('lists pools, nodes and mirror sets of the cluster the kubeconfig names', async () => {
    expect((await completionSources.pools({kubeconfig})).sort()).to.deep.equal(['infra', 'worker']);
    expect(await completionSources.nodes({kubeconfig})).to.deep.equal(['infra-0']);
    expect((await completionSources.mirrorSets({kubeconfig})).sort((a, b) => (a.name < b.name ? -1 : 1))).to.deep.equal([
      {kind: 'ImageTagMirrorSet', name: 'apps'},
      {kind: 'ImageContentSourcePolicy', name: 'legacy'},
      {kind: 'ImageDigestMirrorSet', name: 'payload'},
    ]);
  });

  it('offers a mirror kind the cluster refuses to list as no names, the others still', async () => {
    srv.fault({resource: 'imagecontentsourcepolicies', status: 403, times: 1});
    expect((await completionSources.mirrorSets({kubeconfig})).map((s) => s.name).sort()).to.deep.equal(['apps', 'payload']);
  });

  it('fails (and the service offers nothing) when the cluster is unreachable', async () => {
    const down = join(mkdtempSync(join(tmpdir(), 'ocr-kube-')), 'config');
    writeFileSync(down, srv.kubeconfig({context: 'down'}).replace(srv.url, 'http://127.0.0.1:9'));
    let err: unknown;
    await completionSources.pools({kubeconfig: down}).catch((e) => (err = e));
    expect(String(err)).to.match(/cannot reach the API server/);
  });

  it('lists the contexts of every KUBECONFIG file, without the Kubernetes client', async () => {
    const second = srv.writeKubeconfig({context: 'prod'});
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = `${kubeconfig}:${second}:/nonexistent/config`;
    try {
      expect(await completionSources.contexts({})).to.deep.equal(['lab', 'prod']);
      expect(await completionSources.contexts({kubeconfig: second})).to.deep.equal(['prod']);
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });
});
