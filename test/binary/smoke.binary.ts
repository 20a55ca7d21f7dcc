/**
 * Smoke suite of the single executable (`npm run test:binary` builds it first): it runs without
 * Node in reach and answers exactly as bin/run.js does (stdout, stderr, exit code, --json).
 */
import {expect} from 'chai';
import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {BINARY, nodeless, ROOT, RUN_JS, runHost, runJs, runNodeless, type Result} from '../support/binary.js';
import type {FakeApiServer} from '../support/fake-apiserver.js';
import {MCD_PODS, startCluster} from '../support/verify-cluster.js';
import {NODES_DIR} from '../support/gen-node-fixtures.js';

const EXAMPLES = join(ROOT, 'examples');
const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort();
const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {hidden?: boolean}>};
const commandIds = Object.keys(manifest.commands).filter((id) => !manifest.commands[id].hidden);

/** Both runs, and the executable's answer must equal bin/run.js's in every stream and the exit code. */

async function same(args: string[], opts: {env?: Record<string, string>; cwd?: string} = {}): Promise<Result> {
  const [bin, js] = await Promise.all([runNodeless(args, opts), runJs(args, opts)]);
  expect({code: bin.code, stdout: bin.stdout, stderr: bin.stderr}, `oc-registries ${args.join(' ')}`).to.deep.equal({code: js.code, stdout: js.stdout, stderr: js.stderr});
  return bin;
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('single executable (no Node on the machine)', function () {
  this.timeout(240_000);

  before(function () {
    if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`npm run build:binary\``);
  });

  it('runs where node cannot be found on PATH (nor run, where a private mount can hide it)', async () => {
    const probe = await runNodeless(['-c', 'command -v node || command -v nodejs || echo none'], {program: 'sh'});
    expect(probe.stdout.trim()).to.equal('none');
    if (nodeless().mountHidden) {
      const direct = await runNodeless(['-c', `'${nodeless().nodeBinary}' -e 0; echo "exit $?"`], {program: 'sh'});
      expect(direct.stdout.trim()).to.not.equal('exit 0');
    }
    const version = await runNodeless(['--version']);
    expect(version.code).to.equal(0);
    expect(version.stdout).to.match(/^oc-registries\/\d+\.\d+\.\d+ linux-x64 node-v20\./);
  });

  it('prints the same version line as bin/run.js, also through oclif (version with other words)', async () => {
    await same(['--version']);
    await same(['version']);
  });

  it('has the same --help for the root, every topic and every command', async () => {
    const topics = [...new Set(commandIds.filter((id) => id.includes(':')).map((id) => id.split(':')[0]))];
    const runs = [['--help'], [], ...topics.map((t) => [t]), ...commandIds.map((id) => [...id.split(':'), '--help'])];
    expect(runs.length).to.be.greaterThan(35);
    for (let i = 0; i < runs.length; i += 4) await Promise.all(runs.slice(i, i + 4).map((args) => same(args)));
  });

  it('on a terminal: the same colours, and help wrapped to the terminal\'s width (not the build machine\'s)', async () => {
    // util-linux `script` gives the command a pseudo-terminal; stty sets its width.
    const onTty = (cmd: string) => ['-qc', `stty cols 100; ${cmd}`, '/dev/null'];
    for (const args of ['render --help', '--help', `render -f ${join(EXAMPLES, 'missing.yaml')}`]) {
      const bin = await runNodeless(onTty(`oc-registries ${args}`), {program: 'script', env: {TERM: 'xterm', NO_COLOR: ''}});
      const js = await runHost('script', onTty(`'${process.execPath}' '${RUN_JS}' ${args}`), {env: {TERM: 'xterm', NO_COLOR: ''}});
      expect(bin.stdout, args).to.equal(js.stdout);
    }
    const help = await runNodeless(onTty('oc-registries render --help'), {program: 'script', env: {TERM: 'xterm', NO_COLOR: ''}});
    expect(help.stdout).to.contain('\x1b[1mUSAGE');
    // Wrapped for 100 columns, not the build machine's 80 (oclif's flag table may overrun by a column or two).
    expect(Math.max(...help.stdout.split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trimEnd().length))).to.be.within(81, 104);
  });

  it('renders every example alike: node files, --json and an --out tree', async () => {
    for (const f of examples) {
      const r = await same(['render', '-f', join(EXAMPLES, f)]);
      expect(r.code, f).to.equal(0);
      await same(['render', '-f', join(EXAMPLES, f), '--json']);
    }
    await same(['render', '-f', join(EXAMPLES, 'mirrors.yaml'), '--format', 'machineconfig', '--pool', 'worker']);
    const outBin = mkdtempSync(join(tmpdir(), 'ocr-bin-out-'));
    const outJs = mkdtempSync(join(tmpdir(), 'ocr-js-out-'));
    const [a, b] = await Promise.all([
      runNodeless(['render', '-f', join(EXAMPLES, 'trusted-ca.yaml'), '--out', outBin]),
      runJs(['render', '-f', join(EXAMPLES, 'trusted-ca.yaml'), '--out', outJs]),
    ]);
    expect([a.code, b.code]).to.deep.equal([0, 0]);
    expect(Object.keys(tree(outBin)).length).to.be.at.least(3);
    expect(tree(outBin)).to.deep.equal(tree(outJs));
  });

  it('fails on bad input exactly as bin/run.js: exit code, one-line error, --json envelope', async () => {
    expect((await same(['render', '-f', join(EXAMPLES, 'missing.yaml')])).code).to.equal(2);
    expect((await same(['render', '-f', join(EXAMPLES, 'missing.yaml'), '--json'])).code).to.equal(2);
    expect((await same(['render', '--format', 'xml', '-f', join(EXAMPLES, 'search.yaml')])).code).to.equal(2);
    expect((await same(['no-such-command'])).code).to.equal(2);
  });

  it('explains offline alike, text and --json, for digest, tag and short-name pulls', async () => {
    const mirrors = join(EXAMPLES, 'mirrors.yaml');
    await same(['explain', `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${'c'.repeat(64)}`, '-f', mirrors]);
    await same(['explain', 'registry.example.com/apps/web:1.2', '-f', mirrors, '--json']);
    await same(['explain', 'ubi9/ubi-minimal', '-f', join(EXAMPLES, 'search.yaml')]);
    await same(['explain', 'quay.io/openshift-release-dev/ocp-release:4.18.1', '-f', join(EXAMPLES, 'signature-policy-default.yaml'), '-n', 'team-a']);
    expect((await same(['explain', 'UPPER/Case:x', '-f', mirrors])).code).to.equal(2);
  });

  it('edits a GitOps folder alike: --dry-run writes nothing, --yes writes the same bytes', async () => {
    const make = () => {
      const d = mkdtempSync(join(tmpdir(), 'ocr-gitops-'));
      cpSync(join(EXAMPLES, 'mirrors.yaml'), join(d, 'cluster-config', 'mirrors.yaml'));
      return d;
    };
    const forBin = make();
    const forJs = make();
    const before = tree(forBin);
    const edit = ['mirror', 'add', 'registry.example.com/apps', 'mirror-b.example.com/apps', '--kind', 'itms'];
    const [dryBin, dryJs] = await Promise.all([runNodeless([...edit, '-f', forBin, '--dry-run']), runJs([...edit, '-f', forJs, '--dry-run'])]);
    expect(dryBin.code).to.equal(0);
    expect(dryBin.stdout.replaceAll(forBin, 'DIR')).to.equal(dryJs.stdout.replaceAll(forJs, 'DIR'));
    expect(tree(forBin)).to.deep.equal(before);
    const [wBin, wJs] = await Promise.all([runNodeless([...edit, '-f', forBin, '--yes', '--json']), runJs([...edit, '-f', forJs, '--yes', '--json'])]);
    expect([wBin.code, wJs.code]).to.deep.equal([0, 0]);
    expect(wBin.stdout.replaceAll(forBin, 'DIR')).to.equal(wJs.stdout.replaceAll(forJs, 'DIR'));
    expect(tree(forBin)).to.not.deep.equal(before);
    expect(tree(forBin)).to.deep.equal(tree(forJs));
    expect(tree(forBin)[join('cluster-config', 'mirrors.yaml')]).to.contain('mirror-b.example.com/apps');
  });

  describe('against the fake cluster (the Kubernetes client embedded in the executable)', () => {
    let srv: FakeApiServer;
    let env: Record<string, string>;
    before(async () => {
      srv = await startCluster();
      env = {
        KUBECONFIG: srv.writeKubeconfig(),
        FAKE_OC_ROOT: join(NODES_DIR, 'all-match'),
        FAKE_OC_PODS: Object.entries(MCD_PODS).map(([n, p]) => `${p}=${n}`).join(','),
      };
    });
    after(() => srv.close());

    it('verify: all nodes match (the shell fake oc, Node-free like a real oc)', async () => {
      const oc = join(ROOT, 'test', 'support', 'fake-oc.sh');
      const [bin, js] = await Promise.all([runNodeless(['verify', '--oc', oc, '--json'], {env}), runJs(['verify', '--oc', oc, '--json'], {env})]);
      expect(bin.code, bin.stderr).to.equal(0);
      const strip = (r: Result) => {
        const j = JSON.parse(r.stdout) as {status: number; result: {pools: Array<{name: string; nodes: Array<{name: string; state: string; files: Array<{path: string; state: string}>}>}>}};
        return {status: j.status, pools: j.result.pools.map((p) => [p.name, p.nodes.map((n) => [n.name, n.state, n.files.map((f) => [f.path, f.state])])])};
      };
      expect(strip(bin)).to.deep.equal(strip(js));
      expect(strip(bin).pools.flatMap((p) => (p[1] as unknown[][]).map((n) => n[0]))).to.deep.equal(['master-0', 'worker-0', 'worker-1']);
    });

    it('status and mirror list (live) alike', async () => {
      expect((await same(['status', '--json'], {env})).code).to.equal(0);
      expect((await same(['mirror', 'list'], {env})).code).to.equal(0);
    });

    it('a cluster error alike: exit 3 naming the server', async () => {
      srv.fault({resource: 'images', status: 403, times: 2});
      const r = await same(['render'], {env});
      expect(r.code).to.equal(3);
      expect(r.stderr).to.contain('forbidden');
    });

    it('completes live pool and node names through __complete', async () => {
      const pools = await runNodeless(['__complete', '--', 'render', '--pool', ''], {env});
      expect(pools.stdout).to.equal('master\tMachineConfigPool\nworker\tMachineConfigPool\n:4\n');
      const nodes = await runNodeless(['__complete', '--', 'verify', '--node', 'w'], {env});
      expect(nodes.stdout).to.equal('worker-0\tNode\nworker-1\tNode\n:4\n');
    });
  });

  it('runs as a kubectl/oc plugin: on PATH as oc-registries / kubectl-registries', async function () {
    const viaName = await runNodeless(['render', '-f', join(EXAMPLES, 'search.yaml')], {program: 'kubectl-registries'});
    const ref = await runJs(['render', '-f', join(EXAMPLES, 'search.yaml')]);
    expect(viaName.stdout).to.equal(ref.stdout);
    const kubectl = await runNodeless(['-c', 'command -v kubectl'], {program: 'sh'});
    if (kubectl.code !== 0) return; // no kubectl on this machine: the plugin name is what kubectl would run
    const r = await runNodeless(['registries', 'render', '-f', join(EXAMPLES, 'search.yaml')], {program: 'kubectl'});
    expect(r.stdout).to.equal(ref.stdout);
    const c = await runNodeless(['__complete', 'registries', 'mirror', ''], {program: 'kubectl'});
    expect(c.stdout).to.match(/^add\t.*\n(.*\n)*list\t.*\n(.*\n)*remove\t.*\n:4\n$/);
  });

  it('completes through the plugin completion scripts and the bash, zsh and fish scripts', async () => {
    const plugin = await runNodeless(['mirror', 'remove', '-f', join(EXAMPLES, 'mirrors.yaml'), '--name', ''], {program: 'oc_complete-registries'});
    expect(plugin.stdout).to.equal('apps-tag-mirror\tImageTagMirrorSet\nrelease-mirror\tImageDigestMirrorSet\n:4\n');
    await same(['completion', 'bash']);
    await same(['completion', 'zsh']);
    await same(['completion', 'fish']);
    const script = 'source <(oc-registries completion bash); COMP_WORDS=(oc-registries render --format ""); COMP_CWORD=3; _oc_registries_complete; printf "%s\\n" "${COMPREPLY[@]}"';
    const bash = await runNodeless(['-c', script], {program: 'bash'});
    expect(bash.stdout.split('\n').slice(0, 2)).to.deep.equal(['files', 'machineconfig']);
    // fish completes a command line itself (complete -C); zsh's completion system is stood in for
    // by functions that print what the script hands to it.
    const mirrors = join(EXAMPLES, 'mirrors.yaml');
    const fish = await runNodeless(['-c', `oc-registries completion fish | source; complete -C "oc-registries mirror remove -f ${mirrors} --kind idms --name "`], {program: 'fish'});
    expect(fish.stdout).to.equal('release-mirror\tImageDigestMirrorSet\n');
    const zshScript = [
      '_describe() { local -a c; c=("${(@P)4}"); print -l -- $c; }',
      '_files() { print FILES; }',
      '_path_files() { print "DIRS $*"; }',
      'compdef() { :; }',
      'source <(oc-registries completion zsh)',
      'words=(oc-registries mirror ""); CURRENT=3; _oc_registries',
      'words=(oc-registries render --out ""); CURRENT=4; _oc_registries',
    ].join('\n');
    const zsh = await runNodeless(['-c', zshScript], {program: 'zsh'});
    const offered = zsh.stdout.split('\n').map((l) => l.split(':')[0]);
    expect(offered[0]).to.equal('add');
    expect(offered).to.include.members(['list', 'migrate', 'remove', 'DIRS -/']);
  });
});
