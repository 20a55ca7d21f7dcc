/** The HTTP policy under every API call: what is retried, how long it waits (virtual clock), what is never repeated. */
import {expect} from 'chai';
import {FakeApiServer} from '../support/fake-apiserver.js';
import {clusterObjects} from '../support/cluster-fixture.js';
import {setClock, virtualClock} from '../../src/cluster/clock.js';
import {connect} from '../../src/cluster/kube.js';
import {backoffMs, retryAfterMs, safeToRepeat} from '../../src/cluster/kube-http.js';

describe('kube-http: bounded, jittered retries of transient API failures', function () {
  this.timeout(30_000);
  let srv: FakeApiServer;
  let clock: ReturnType<typeof virtualClock>;
  let restore: ReturnType<typeof setClock>;
  beforeEach(async () => {
    srv = await FakeApiServer.start({objects: clusterObjects()});
    clock = virtualClock(0, 3);
    restore = setClock(clock);
  });
  afterEach(async () => {
    setClock(restore);
    await srv.close();
  });

  it('a 429 waits what Retry-After says (capped), 5xx back off exponentially with jitter, on clock().sleep', async () => {
    const kube = await connect({kubeconfig: srv.writeKubeconfig()});
    srv.fault({verb: 'get', resource: 'images', status: 429, headers: {'Retry-After': '3'}, times: 1});
    srv.fault({verb: 'get', resource: 'images', status: 503, times: 2});
    const api = kube.api(kube.mod.CustomObjectsApi);
    const img = (await api.getClusterCustomObject({group: 'config.openshift.io', version: 'v1', plural: 'images', name: 'cluster'})) as {metadata: {name: string}};
    expect(img.metadata.name).to.equal('cluster');
    expect(clock.slept).to.have.length(3);
    expect(clock.slept[0]).to.equal(3000);
    expect(clock.slept[1]).to.be.within(200, 400);
    expect(clock.slept[2]).to.be.within(400, 800);
  });

  it('a create (no resourceVersion) is never repeated: a 503 reaches the caller at once', async () => {
    const kube = await connect({kubeconfig: srv.writeKubeconfig()});
    srv.fault({verb: 'create', resource: 'imagedigestmirrorsets', status: 503});
    const api = kube.api(kube.mod.CustomObjectsApi);
    const body = {apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: {name: 'x'}, spec: {}};
    let code: number | undefined;
    await api.createClusterCustomObject({group: 'config.openshift.io', version: 'v1', plural: 'imagedigestmirrorsets', body}).catch((e: {code?: number}) => (code = e.code));
    expect(code).to.equal(503);
    expect(srv.count({verb: 'create', resource: 'imagedigestmirrorsets'})).to.equal(1);
    expect(clock.slept).to.deep.equal([]);
  });

  it('the pieces: safe methods, back-off bounds, Retry-After forms', () => {
    expect(safeToRepeat('GET', undefined)).to.equal(true);
    expect(safeToRepeat('PUT', JSON.stringify({metadata: {resourceVersion: '12'}}))).to.equal(true);
    expect(safeToRepeat('PUT', JSON.stringify({metadata: {}}))).to.equal(false);
    expect(safeToRepeat('POST', JSON.stringify({metadata: {resourceVersion: '12'}}))).to.equal(false);
    expect(safeToRepeat('DELETE', undefined)).to.equal(false);
    const policy = {baseDelayMs: 200, maxDelayMs: 5000};
    expect(backoffMs(1, policy, () => 0)).to.equal(100);
    expect(backoffMs(1, policy, () => 0.999999)).to.equal(200);
    expect(backoffMs(10, policy, () => 0.999999)).to.equal(5000);
    expect(retryAfterMs('2', 0)).to.equal(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).to.equal(6000);
    expect(retryAfterMs('soon', 0)).to.equal(undefined);
  });
});
