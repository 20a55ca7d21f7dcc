import {expect} from 'chai';
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {ROOT} from '../support/cli.js';

describe('oclif manifest', () => {
  it('is committed current: the manifest of the built commands equals oclif.manifest.json in the last commit', function () {
    // The build rewrites the file on disk, so the disk copy proves nothing: compare with what git holds.
    const committed = spawnSync('git', ['show', 'HEAD:oclif.manifest.json'], {cwd: ROOT, encoding: 'utf8'});
    if (committed.status !== 0) this.skip(); // not a git checkout (an unpacked package): nothing committed to compare
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'manifest.js'), '--print'], {cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
    expect(built.status, built.stderr).to.equal(0);
    expect(built.stdout === committed.stdout, 'oclif.manifest.json is stale in the commit: run `npm run build` and commit it').to.equal(true);
  });
});
