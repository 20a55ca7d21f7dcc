import {expect} from 'chai';
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {ROOT} from '../support/cli.js';

describe('oclif manifest', () => {
  it('is current: every command and flag in dist/ is in the committed oclif.manifest.json', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'manifest.js'), '--check'], {cwd: ROOT, encoding: 'utf8'});
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
  });
});
