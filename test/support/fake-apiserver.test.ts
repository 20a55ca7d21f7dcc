/** The fake API server, exercised through the real @kubernetes/client-node. */
import {expect} from 'chai';
import * as k8s from '@kubernetes/client-node';
import {FakeApiServer, jsonPatch, mergePatch} from './fake-apiserver.js';

const IMG = {group: 'config.openshift.io', version: 'v1', plural: 'images', name: 'cluster'};

function image(spec: Record<string, unknown> = {}) {
  return {apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: {name: 'cluster'}, spec};
}

function codeOf(e: unknown): number | undefined {
  return (e as {code?: number}).code;
}

describe('fake API server (real client-node over HTTP)', () => {
  let srv: FakeApiServer;
  let custom: k8s.CustomObjectsApi;
  let core: k8s.CoreV1Api;
  let kc: k8s.KubeConfig;

  beforeEach(async () => {
    srv = await FakeApiServer.start({objects: [image({registrySources: {allowedRegistries: ['quay.io']}})], tokens: {'tok-1': 'alice'}});
    kc = new k8s.KubeConfig();
    kc.loadFromFile(srv.writeKubeconfig());
    custom = kc.makeApiClient(k8s.CustomObjectsApi);
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  afterEach(() => srv.close());

  it('GET returns the stored object with a resourceVersion', async () => {
    const o = (await custom.getClusterCustomObject(IMG)) as {metadata: {resourceVersion: string}; spec: unknown};
    expect(o.spec).to.deep.equal({registrySources: {allowedRegistries: ['quay.io']}});
    expect(Number(o.metadata.resourceVersion)).to.be.greaterThan(1000);
    expect(srv.requests.at(-1)).to.include({verb: 'get', resource: 'images', user: 'alice'});
  });

  it('LIST returns items and a list resourceVersion', async () => {
    srv.put({apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: {name: 'a'}, spec: {}});
    srv.put({apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: {name: 'b'}, spec: {}});
    const l = (await custom.listClusterCustomObject({group: 'config.openshift.io', version: 'v1', plural: 'imagedigestmirrorsets'})) as {items: Array<{metadata: {name: string}}>; metadata: {resourceVersion: string}};
    expect(l.items.map((i) => i.metadata.name)).to.deep.equal(['a', 'b']);
    expect(l.metadata.resourceVersion).to.equal(String(srv.resourceVersion));
  });

  it('404 for a missing object and an unknown resource', async () => {
    let err: unknown;
    try {
      await custom.getClusterCustomObject({...IMG, name: 'nope'});
    } catch (e) {
      err = e;
    }
    expect(codeOf(err)).to.equal(404);
    try {
      await custom.getClusterCustomObject({...IMG, plural: 'widgets'});
    } catch (e) {
      err = e;
    }
    expect(codeOf(err)).to.equal(404);
  });

  it('PUT with the read resourceVersion succeeds; a stale one gets 409 and changes nothing', async () => {
    const o = (await custom.getClusterCustomObject(IMG)) as ReturnType<typeof image> & {metadata: {resourceVersion: string}};
    const stale = JSON.parse(JSON.stringify(o));
    o.spec = {registrySources: {allowedRegistries: ['quay.io', 'example.com']}};
    const upd = (await custom.replaceClusterCustomObject({...IMG, body: o})) as {metadata: {resourceVersion: string}};
    expect(Number(upd.metadata.resourceVersion)).to.be.greaterThan(Number(o.metadata.resourceVersion));
    stale.spec = {registrySources: {allowedRegistries: ['lost.example.com']}};
    let err: unknown;
    try {
      await custom.replaceClusterCustomObject({...IMG, body: stale});
    } catch (e) {
      err = e;
    }
    expect(codeOf(err)).to.equal(409);
    expect(srv.get('images', 'cluster')!.spec).to.deep.equal({registrySources: {allowedRegistries: ['quay.io', 'example.com']}});
  });

  it('PATCH: json-patch (default of the client) with test op, and merge-patch via header', async () => {
    await custom.patchClusterCustomObject({...IMG, body: [{op: 'add', path: '/spec/registrySources/allowedRegistries/-', value: 'b.io'}]});
    expect(srv.get('images', 'cluster')!.spec).to.deep.equal({registrySources: {allowedRegistries: ['quay.io', 'b.io']}});
    let err: unknown;
    try {
      await custom.patchClusterCustomObject({...IMG, body: [{op: 'test', path: '/spec/registrySources/allowedRegistries/0', value: 'x'}]});
    } catch (e) {
      err = e;
    }
    expect(codeOf(err)).to.equal(422);
    const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
    await custom.patchClusterCustomObject({...IMG, body: {spec: {registrySources: {allowedRegistries: null, blockedRegistries: ['c.io']}}}}, merge);
    expect(srv.get('images', 'cluster')!.spec).to.deep.equal({registrySources: {blockedRegistries: ['c.io']}});
    expect(srv.requests.filter((r) => r.verb === 'patch').map((r) => r.contentType)).to.deep.equal(['application/json-patch+json', 'application/json-patch+json', 'application/merge-patch+json']);
  });

  it('POST creates (201), POST again is 409 AlreadyExists, DELETE removes', async () => {
    await core.createNamespacedConfigMap({namespace: 'openshift-config', body: {metadata: {name: 'ca'}, data: {'a..5000': 'x'}}});
    expect(srv.get('configmaps', 'ca', 'openshift-config')!.data).to.deep.equal({'a..5000': 'x'});
    let err: unknown;
    try {
      await core.createNamespacedConfigMap({namespace: 'openshift-config', body: {metadata: {name: 'ca'}}});
    } catch (e) {
      err = e;
    }
    expect(codeOf(err)).to.equal(409);
    await core.deleteNamespacedConfigMap({namespace: 'openshift-config', name: 'ca'});
    expect(srv.get('configmaps', 'ca', 'openshift-config')).to.equal(undefined);
    expect(srv.count({verb: 'create', resource: 'configmaps'})).to.equal(2);
  });

  it('faults: 403 for one verb, 500 N times, delay, 422 from a validator', async () => {
    srv.fault({verb: 'update', resource: 'images', status: 403});
    const o = (await custom.getClusterCustomObject(IMG)) as Record<string, unknown>;
    let err: unknown;
    try {
      await custom.replaceClusterCustomObject({...IMG, body: o});
    } catch (e) {
      err = e;
    }
    expect(codeOf(err)).to.equal(403);
    srv.clearFaults();
    srv.fault({verb: 'get', resource: 'images', status: 500, times: 2});
    for (let i = 0; i < 2; i++) {
      err = undefined;
      try {
        await custom.getClusterCustomObject(IMG);
      } catch (e) {
        err = e;
      }
      expect(codeOf(err)).to.equal(500);
    }
    await custom.getClusterCustomObject(IMG);
    srv.fault({verb: 'get', delayMs: 150, times: 1});
    const t0 = Date.now();
    await custom.getClusterCustomObject(IMG);
    expect(Date.now() - t0).to.be.at.least(140);
    srv.validate('images', (obj) => ((obj.spec as {bad?: boolean}).bad ? [{field: 'spec.bad', message: 'must not be set'}] : []));
    try {
      await custom.replaceClusterCustomObject({...IMG, body: {...o, metadata: srv.get('images', 'cluster')!.metadata, spec: {bad: true}}});
    } catch (e) {
      err = e;
    }
    expect(codeOf(err)).to.equal(422);
    expect(String((err as {body?: string}).body)).to.contain('spec.bad: must not be set');
  });

  it('401 without a known token', async () => {
    const bad = new k8s.KubeConfig();
    bad.loadFromString(srv.kubeconfig({token: 'wrong'}));
    let err: unknown;
    try {
      await bad.makeApiClient(k8s.CustomObjectsApi).getClusterCustomObject(IMG);
    } catch (e) {
      err = e;
    }
    expect(codeOf(err)).to.equal(401);
  });

  it('WATCH streams ADDED/MODIFIED events to the client Watch', async () => {
    srv.put({apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineConfigPool', metadata: {name: 'worker'}, status: {updatedMachineCount: 0}});
    const seen: string[] = [];
    const w = new k8s.Watch(kc);
    const done = new Promise<void>((resolve) => {
      void w
        .watch('/apis/machineconfiguration.openshift.io/v1/machineconfigpools', {}, (type, obj: {status: {updatedMachineCount: number}}) => {
          seen.push(`${type}:${obj.status.updatedMachineCount}`);
          if (seen.length === 2) resolve();
        }, () => undefined)
        .then((ctl) => {
          setTimeout(() => srv.modify('machineconfigpools', 'worker', (o) => ((o.status as {updatedMachineCount: number}).updatedMachineCount = 3)), 20);
          void done.then(() => ctl.abort());
        });
    });
    await done;
    expect(seen).to.deep.equal(['ADDED:0', 'MODIFIED:3']);
  });

  it('merge-patch and json-patch helpers follow the RFCs', () => {
    expect(mergePatch({a: 1, b: {c: 2}}, {b: {c: null, d: 3}, e: [1]})).to.deep.equal({a: 1, b: {d: 3}, e: [1]});
    expect(jsonPatch({a: [1, 2]}, [{op: 'add', path: '/a/1', value: 9}, {op: 'move', from: '/a/0', path: '/b'}])).to.deep.equal({a: [9, 2], b: 1});
  });
});
