import {expect} from 'chai';
import {runOc} from '../../src/cluster/oc.js';

describe('oc runner', () => {
  it('captures stdout, stderr and the exit code', async () => {
    const r = await runOc(['-c', 'echo out; echo err >&2; exit 3'], {oc: 'sh', timeoutMs: 5000});
    expect(r).to.include({code: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false});
  });

  it('kills a process that outlives the timeout, with its children', async () => {
    const t0 = Date.now();
    const r = await runOc(['-c', 'sleep 30 & sleep 30; echo never'], {oc: 'sh', timeoutMs: 300, killGraceMs: 200});
    expect(r.timedOut).to.equal(true);
    expect(r.stdout).to.equal('');
    expect(Date.now() - t0).to.be.lessThan(3000);
  });

  it('reports a binary that cannot be started', async () => {
    const r = await runOc([], {oc: '/nonexistent/oc', timeoutMs: 1000});
    expect(r.spawnError).to.match(/ENOENT/);
  });
});
