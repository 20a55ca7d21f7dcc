/** The multi-cluster runner: bounded parallelism, failures as results, the worst exit code. */
import {expect} from 'chai';
import fc from 'fast-check';
import {ClusterError, UserError} from '../../src/lib/errors.js';
import {EXIT_SEVERITY, runOnContexts, worstExitCode, type ClusterOutcome} from '../../src/services/multi-cluster.js';
import {formatMatrix} from '../../src/cli/fleet.js';
import {painter} from '../../src/cli/output.js';

const targets = (n: number) => Array.from({length: n}, (_, i) => ({context: `c${i}`, server: `https://c${i}:6443`}));

describe('multi-cluster runner', () => {
  it('worst exit code: 70 > 130 > 2 > 4 > 3 > 1 > 5 > 0', () => {
    expect(worstExitCode([])).to.equal(0);
    expect(worstExitCode([0, 5, 1])).to.equal(1);
    expect(worstExitCode([1, 3, 5])).to.equal(3);
    expect(worstExitCode([3, 2])).to.equal(2);
    expect(worstExitCode([2, 70, 3])).to.equal(70);
    expect(worstExitCode([0, 5])).to.equal(5);
    // Order-independent and always one of the inputs.
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...EXIT_SEVERITY), {minLength: 1}), (codes) => {
        const w = worstExitCode(codes);
        expect(codes).to.include(w);
        expect(worstExitCode([...codes].reverse())).to.equal(w);
        for (const c of codes) expect(EXIT_SEVERITY.indexOf(w)).to.be.at.most(EXIT_SEVERITY.indexOf(c));
      }),
    );
  });

  it('a failing context is recorded with its exit code and message; the others still run', async () => {
    const {result, status} = await runOnContexts(targets(4), {concurrency: 2}, async (t, warn) => {
      if (t.context === 'c1') throw new ClusterError('cannot reach the API server at https://c1:6443');
      if (t.context === 'c2') throw new Error('boom');
      warn({code: 'w', message: `from ${t.context}`});
      return {status: t.context === 'c3' ? 1 : 0, result: t.context};
    });
    expect(result.clusters.map((c) => [c.context, c.status, c.result])).to.deep.equal([
      ['c0', 0, 'c0'],
      ['c1', 3, null],
      ['c2', 70, null],
      ['c3', 1, 'c3'],
    ]);
    expect(result.clusters[1]!.error).to.deep.include({name: 'ClusterError', message: 'cannot reach the API server at https://c1:6443'});
    expect(result.clusters[3]!.warnings).to.deep.equal([{code: 'w', message: 'from c3'}]);
    expect(status).to.equal(70);
    const usage = await runOnContexts(targets(1), {concurrency: 1}, async () => {
      throw new UserError('--pool x: no such MachineConfigPool');
    });
    expect(usage.status).to.equal(2);
  });

  it('runs at most `concurrency` contexts at once, and does run them in parallel', async () => {
    let running = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const p = runOnContexts(targets(7), {concurrency: 3}, async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((r) => gates.push(r));
      running--;
      return {status: 0, result: null};
    });
    // Release the waiting contexts one by one, as the event loop lets new ones start.
    while (gates.length > 0 || running > 0) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    await p;
    expect(peak).to.equal(3);
  });

  it('gated: at most `concurrency` contexts in their heavy phase, while as many more do their first phase ahead', async () => {
    let heavy = 0;
    let peakHeavy = 0;
    let light = 0;
    let peakLight = 0;
    const gates: Array<() => void> = [];
    const p = runOnContexts(targets(9), {concurrency: 2, gated: true}, async (_t, _warn, gate) => {
      light++;
      peakLight = Math.max(peakLight, light);
      await new Promise((r) => setImmediate(r));
      light--;
      const release = await gate();
      heavy++;
      peakHeavy = Math.max(peakHeavy, heavy);
      await new Promise<void>((r) => gates.push(r));
      heavy--;
      release();
      return {status: 0, result: null};
    });
    let rounds = 0;
    while ((gates.length > 0 || heavy > 0 || light > 0 || rounds < 3) && rounds < 1000) {
      rounds++;
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    const {result} = await p;
    expect(result.clusters).to.have.length(9);
    expect(peakHeavy).to.equal(2);
    expect(peakLight).to.equal(4);
  });

  it('matrix: one row per context, columns from every result, failed contexts unreachable / error', () => {
    const clusters: Array<ClusterOutcome<Record<string, string>>> = [
      {context: 'a', server: '', status: 0, result: {master: 'match', worker: 'match'}, warnings: []},
      {context: 'bb', server: '', status: 1, result: {worker: 'drift'}, warnings: []},
      {context: 'c', server: '', status: 3, result: null, warnings: []},
      {context: 'd', server: '', status: 70, result: null, warnings: []},
    ];
    expect(formatMatrix(clusters, (r: Record<string, string>) => r, painter(false)).split('\n')).to.deep.equal([
      'CONTEXT  MASTER       WORKER       EXIT',
      'a        match        match        0',
      'bb       -            drift        1',
      'c        unreachable  unreachable  3',
      'd        error        error        70',
    ]);
  });
});
