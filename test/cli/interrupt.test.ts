/** Item 15: Ctrl-C at the confirmation is "Aborted: nothing was changed", exit 130; the question says where and repeats the warnings. */
import {expect} from 'chai';
import {spawn, spawnSync} from 'node:child_process';
import {copyFileSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {FakeApiServer} from '../support/fake-apiserver.js';
import {BIN, clusterObjects, ROOT} from '../support/cluster-fixture.js';

/** Run the CLI on a pseudo-terminal and press Ctrl-C when the question appears. */
function interrupt(args: string, env: Record<string, string> = {}): Promise<{code: number; output: string}> {
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', `${process.execPath} ${BIN} ${args}`, '/dev/null'], {cwd: ROOT, env: {...process.env, NO_COLOR: '1', KUBECONFIG: '/nonexistent/kubeconfig', ...env}});
    let output = '';
    let sent = false;
    child.stdout.on('data', (d) => {
      output += d;
      if (!sent && output.includes('(y/N)')) {
        sent = true;
        child.stdin.write('\x03');
      }
    });
    child.on('close', (c) => resolve({code: c ?? -1, output}));
  });
}

describe('Ctrl-C at the confirmation', function () {
  this.timeout(60_000);
  before(function () {
    if (spawnSync('script', ['--version']).status !== 0) this.skip();
  });

  it('GitOps: exit 130, "Aborted: nothing was changed", the files and the warnings right above the question', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'interrupt-')), 'image.yaml');
    copyFileSync(join(ROOT, 'examples', 'allowlist.yaml'), file);
    const before = readFileSync(file, 'utf8');
    // Dropping quay.io from the allowlist is warned about; the warning is repeated above the question.
    const {code, output} = await interrupt(`allow remove quay.io -f ${file}`);
    expect(code, output).to.equal(130);
    expect(output).to.contain('Aborted: nothing was changed').and.not.contain('internal error');
    expect(readFileSync(file, 'utf8')).to.equal(before);
    const question = output.slice(0, output.indexOf('(y/N)'));
    const tail = question.slice(question.lastIndexOf('Predicted disruption'));
    expect(tail).to.contain('warning:').and.contain('quay.io');
    expect(tail).to.contain(file);
  });

  it('live: the question names the kubeconfig context and the server; --json says "aborted": true', async () => {
    const srv = await FakeApiServer.start({objects: clusterObjects({registrySources: {allowedRegistries: ['quay.io', 'registry.redhat.io']}}), tokens: {t: 'alice'}});
    try {
      const kc = srv.writeKubeconfig({user: 'alice', token: 't', context: 'prod-east'});
      const text = await interrupt('allow add ghcr.io', {KUBECONFIG: kc});
      expect(text.code, text.output).to.equal(130);
      const question = text.output.slice(text.output.lastIndexOf('Predicted disruption'), text.output.indexOf('(y/N)'));
      expect(question).to.contain('prod-east').and.contain(srv.url);
      const json = await interrupt('allow add ghcr.io --json', {KUBECONFIG: kc});
      expect(json.code, json.output).to.equal(130);
      expect(json.output).to.match(/"aborted": true/).and.match(/"status": 130/);
      expect(srv.requests.filter((q) => q.verb === 'update')).to.have.length(0);
    } finally {
      await srv.close();
    }
  });
});
