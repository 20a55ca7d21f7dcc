/**
 * 50 editors at once through the edit-session service (in-process sessions, not
 * processes) against the fake API server, with a 409 injected on every third
 * write on top of the real optimistic-concurrency races: at least 95% land,
 * none is lost, and every one that did not land says so (exit 4 ConflictError).
 * Back-off runs on the virtual clock (clock().sleep/random).
 */
import {expect} from 'chai';
import {FakeApiServer} from '../support/fake-apiserver.js';
import {clusterObjects} from '../support/cluster-fixture.js';
import {listEditor} from '../../src/model/edit.js';
import {runEdit} from '../../src/services/edit-session.js';
import {setClock, type Clock} from '../../src/cluster/clock.js';

/**
 * Virtual time that passes with the event loop instead of the wall clock: a sleep of
 * `ms` lasts ms/MS_PER_TURN turns (setImmediate), during which the other editors'
 * requests and answers move on. Back-off then spreads writers apart as it does in
 * real time, deterministically enough and without a real timer.
 */
const MS_PER_TURN = 5;
function turnClock(seed: number): Clock & {now(): number} {
  let t = Date.parse('2026-01-01T00:00:00Z');
  let s = seed;
  return {
    now: () => t,
    sleep: async (ms) => {
      for (let i = 0; i < Math.ceil(ms / MS_PER_TURN); i++) await new Promise<void>((r) => setImmediate(r));
      t += ms;
    },
    random: () => ((s = (s * 48271) % 2147483647) - 1) / 2147483646,
  };
}

const EDITORS = 50;

describe('50 concurrent editors with a 409 on every third write', function () {
  this.timeout(300_000);
  let srv: FakeApiServer;
  let restore: ReturnType<typeof setClock> | undefined;
  beforeEach(async () => {
    srv = await FakeApiServer.start({objects: clusterObjects({registrySources: {allowedRegistries: ['quay.io', 'registry.redhat.io']}})});
    restore = setClock(turnClock(Number(process.env.CONTENTION_SEED ?? 7)));
  });
  afterEach(async () => {
    if (restore) setClock(restore);
    await srv.close();
  });

  it('at least 95% land, none lost; the landing rate and attempts are measured', async () => {
    const kubeconfig = srv.writeKubeconfig();
    srv.fault({verb: 'update', resource: 'images', status: 409, reason: 'Conflict', message: 'injected: the object has been modified', every: 3});
    const entries = Array.from({length: EDITORS}, (_, i) => `team${i}.registry.example.com`);
    const hooks = {show: () => {}, confirm: async () => true, progress: () => {}};
    const results = await Promise.all(
      entries.map((e) =>
        runEdit(listEditor({type: 'list', list: 'allowed', op: 'add', values: [e]}), {kubeconfig}, hooks).then(
          (r) => ({entry: e, ok: true as const, attempts: r.attempts}),
          (err: Error & {exitCode?: number}) => ({entry: e, ok: false as const, exitCode: err.exitCode, message: err.message}),
        ),
      ),
    );
    const landed = results.filter((r) => r.ok);
    const failed = results.filter((r) => !r.ok);
    const list = ((srv.get('images', 'cluster')!.spec as {registrySources: {allowedRegistries: string[]}}).registrySources.allowedRegistries);
    const attempts = landed.map((r) => (r as {attempts: number}).attempts);
    const histogram: Record<number, number> = {};
    for (const a of attempts) histogram[a] = (histogram[a] ?? 0) + 1;
    const updates = srv.count({verb: 'update', resource: 'images'});
    const conflicts = srv.count({verb: 'update', resource: 'images', status: 409});
    console.log(`      landing rate ${landed.length}/${EDITORS} (${((100 * landed.length) / EDITORS).toFixed(0)}%), attempts ${JSON.stringify(histogram)}, max ${Math.max(...attempts)}, ${updates} writes of which ${conflicts} answered 409`);
    // None lost: every editor that was told it landed is in the object, and nothing else was added.
    for (const r of landed) expect(list, r.entry).to.include(r.entry);
    expect(list.filter((x) => !entries.includes(x))).to.deep.equal(['quay.io', 'registry.redhat.io']);
    expect(list.filter((x) => entries.includes(x))).to.have.length(landed.length);
    // Every editor that did not land was told so, as a conflict (exit 4), and is not in the object.
    for (const f of failed) {
      expect((f as {exitCode?: number}).exitCode).to.equal(4);
      expect(list).to.not.include(f.entry);
    }
    expect(landed.length / EDITORS).to.be.at.least(0.95);
    // Every successful write was a landing editor: the 409s are all the other writes.
    expect(updates - conflicts).to.equal(landed.length);
  });
});
