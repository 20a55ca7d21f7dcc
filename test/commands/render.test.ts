import {expect} from 'chai';
import {existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {cli, cliJson, ROOT, spawnCli} from '../support/cli.js';
import {TEMPLATE_POLICY_JSON, TEMPLATE_REGISTRIES_CONF} from '../../src/render/templates.js';

const vectors = join(ROOT, 'test', 'fixtures', 'vectors');
const tmp = () => mkdtempSync(join(tmpdir(), 'ocr-render-'));

function listTree(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), {withFileTypes: true}).flatMap((e) =>
    e.isDirectory() ? listTree(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  );
}

interface RenderJson {
  status: number;
  result: {machineConfig: boolean; files: Array<{path: string; content: string; changed: boolean}>; machineConfigs: Array<{name: string; ignition: string}>};
  warnings: Array<{code: string; message: string}>;
}

describe('render command', () => {
  it('prints each changed node file under a header and lists base-template files as unchanged', async () => {
    const r = await cli(['render', '-f', 'examples/blocklist.yaml']);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.include('# /etc/containers/registries.conf (in MachineConfig 99-<pool>-generated-registries)');
    expect(r.stdout).to.include('location = "untrusted.com"\n  blocked = true');
    expect(r.stdout).to.not.include('01-image-searchRegistries.conf');
    const s = await cli(['render', '-f', 'examples/search.yaml']);
    expect(s.stdout).to.include('# /etc/containers/registries.conf: unchanged (base template)');
    expect(s.stdout).to.include('unqualified-search-registries = ["reg1.io", "reg2.io", "reg3.io"]');
  });

  it('--json gives {status, result: {files, machineConfigs}, warnings} with bytes equal to the golden vector', async () => {
    const dir = join(vectors, 'combined-allowed-insecure-mirrors');
    const {json, status} = await cliJson<RenderJson>(['render', '-f', join(dir, 'input.yaml')]);
    expect(status).to.equal(0);
    expect(json.status).to.equal(0);
    const byPath = new Map(json.result.files.map((f) => [f.path, f]));
    for (const p of readFileSync(join(dir, 'expected', 'files.txt'), 'utf8').split('\n').filter(Boolean)) {
      expect(byPath.get(p)?.changed, p).to.equal(true);
      expect(byPath.get(p)?.content).to.equal(readFileSync(join(dir, 'expected', p), 'utf8'));
    }
    expect(json.result.machineConfigs.map((m) => m.name)).to.deep.equal(['99-master-generated-registries', '99-worker-generated-registries']);
    expect(json.result.machineConfigs[1]!.ignition).to.equal(readFileSync(join(dir, 'expected', 'machineconfig.ignition.json'), 'utf8'));
    expect(json.warnings).to.be.an('array');
  });

  it('--out writes the full node view, base-template files included', async () => {
    const out = tmp();
    const r = await cli(['render', '-f', 'examples/search.yaml', '--out', out]);
    expect(r.status).to.equal(0);
    expect(listTree(out).sort()).to.deep.equal(
      ['etc/containers/policy.json', 'etc/containers/registries.conf', 'etc/containers/registries.conf.d/01-image-searchRegistries.conf'].map((p) => join(...p.split('/'))),
    );
    expect(readFileSync(join(out, 'etc/containers/registries.conf'), 'utf8')).to.equal(TEMPLATE_REGISTRIES_CONF);
    expect(readFileSync(join(out, 'etc/containers/policy.json'), 'utf8')).to.equal(TEMPLATE_POLICY_JSON);
  });

  it('--out writes the trusted CA under certs.d/<host:port>/ca.crt (ConfigMap key host..port)', async () => {
    const out = tmp();
    expect((await cli(['render', '-f', 'examples/trusted-ca.yaml', '--out', out])).status).to.equal(0);
    const ca = join(out, 'etc/docker/certs.d/registry.example.com:5000/ca.crt');
    expect(readFileSync(ca, 'utf8')).to.match(/^-----BEGIN CERTIFICATE-----\n/);
  });

  it('--format machineconfig prints the MachineConfig of the chosen pool with data URLs and mode 420', async () => {
    const r = await cli(['render', '-f', 'examples/mirrors.yaml', '--format', 'machineconfig', '--pool', 'worker']);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.include('name: 99-worker-generated-registries');
    expect(r.stdout).to.include('machineconfiguration.openshift.io/role: worker');
    expect(r.stdout).to.include('source: data:text/plain;charset=utf-8;base64,');
    expect(r.stdout).to.include('mode: 420');
    expect(r.stdout).to.not.include('99-master-');
  });

  it('a custom pool gets the worker MachineConfig and a warning (MCO generates only built-in pools)', async () => {
    const r = await cliJson<RenderJson>(['render', '-f', 'examples/mirrors.yaml', '--format', 'machineconfig', '--pool', 'infra']);
    expect(r.json.result.machineConfigs.map((m) => m.name)).to.deep.equal(['99-worker-generated-registries']);
    expect(r.json.warnings.map((w) => w.code)).to.include('custom-pool');
  });

  it('an unknown key is exit 2 with a suggestion, and nothing is written', async () => {
    const dir = tmp();
    const f = join(dir, 'image.yaml');
    writeFileSync(f, 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  registrySource:\n    blockedRegistries: [untrusted.com]\n');
    const out = join(dir, 'out');
    const r = await cli(['render', '-f', f, '--out', out]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.include('spec.registrySource: unknown field; did you mean registrySources?');
    expect(existsSync(out)).to.equal(false);
    expect(r.stdout).to.equal('');
  });

  it('input the API server rejects is exit 2 naming field and value; --allow-invalid renders it as MCO does', async () => {
    const input = join(vectors, 'insecure-toml-escaping', 'input.yaml');
    const r = await cli(['render', '-f', input]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/spec\.registrySources\.insecureRegistries\[\d\] "we\\"ird\.example\.com"/);
    const ok = await cliJson<RenderJson>(['render', '-f', input, '--allow-invalid']);
    expect(ok.status).to.equal(0);
    const conf = ok.json.result.files.find((f) => f.path === '/etc/containers/registries.conf')!;
    expect(conf.content).to.equal(readFileSync(join(vectors, 'insecure-toml-escaping/expected/etc/containers/registries.conf'), 'utf8'));
    expect(ok.json.warnings.some((w) => w.code === 'api-invalid')).to.equal(true);
  });

  it('an input MCO refuses is exit 2 with MCO\'s reason, in the JSON error envelope too', async () => {
    const input = join(vectors, 'idms-conflicting-policies', 'input.yaml');
    const r = await cliJson<{status: number; name: string; message: string}>(['render', '-f', input]);
    expect(r.status).to.equal(2);
    expect(r.json.status).to.equal(2);
    expect(r.json.name).to.equal('ValidationError');
    expect(r.json.message).to.include('conflicting mirrorSourcePolicy is set for the same source "quay.io/ns/repo"');
  });

  it('what MCO silently drops is rendered as MCO does and reported as a warning', async () => {
    const r = await cliJson<RenderJson>(['render', '-f', join(vectors, 'blocked-payload-registry-no-mirror-plus-other', 'input.yaml')]);
    expect(r.status).to.equal(0);
    expect(r.json.warnings.map((w) => w.code)).to.include('mco-dropped');
    expect(r.stderr).to.include('cannot block the repository being used by the payload');
  });

  it('warns on stderr, never stdout, about an allowlist that misses quay.io', async () => {
    const dir = tmp();
    const f = join(dir, 'image.yaml');
    writeFileSync(f, 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  registrySources:\n    allowedRegistries: [registry.redhat.io]\n');
    const r = await cli(['render', '-f', f]);
    expect(r.status).to.equal(0);
    expect(r.stderr).to.include('does not cover quay.io/openshift-release-dev/ocp-release');
    expect(r.stdout).to.not.include('warning');
  });

  it('reads a directory of manifests and ignores unrelated kinds', async () => {
    const r = await cliJson<RenderJson>(['render', '-f', 'examples/']);
    // examples/ holds several Image objects: refusing to guess is the right answer.
    expect(r.status).to.equal(2);
    expect(r.stdout).to.include('defined twice');
    const dir = tmp();
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n');
    writeFileSync(join(dir, 'b.yml'), readFileSync(join(ROOT, 'examples', 'blocklist.yaml')));
    const ok = await cliJson<RenderJson>(['render', '-f', dir]);
    expect(ok.status).to.equal(0);
    expect(ok.json.result.files.find((f) => f.path === '/etc/containers/registries.conf')!.changed).to.equal(true);
  });

  it('live mode without a reachable cluster is exit 3 and says which kubeconfig', async () => {
    const r = await cli(['render', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(r.status).to.equal(3);
    expect(r.stderr).to.include('/nonexistent/kubeconfig');
  });

  it('answers --version and --help', async () => {
    expect(spawnCli(['--version']).stdout).to.match(/^oc-registries\/\d+\.\d+\.\d+ /);
    const h = await cli(['render', '--help']);
    expect(h.status).to.equal(0);
    expect(h.stdout).to.include('render -f examples/allowlist.yaml');
  });
});
