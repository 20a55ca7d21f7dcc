/** Item 7: editing GitOps manifests never changes the meaning or layout of what it does not mean to touch. */
import {expect} from 'chai';
import {chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parse, parseAllDocuments} from 'yaml';
import {run, runChild} from '../support/cluster-fixture.js';

const IMAGE = (rs: string) => `apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  registrySources:\n${rs}`;
/** The command run on manifest file `f` with --yes; it must succeed. */
async function editFile(f: string, ...args: string[]): Promise<void> {
  const r = await run([...args, '-f', f, '--yes']);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(0);
}
const dirWith = (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'ocr-gitops-'));
  for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
  return dir;
};

describe('GitOps file safety (-f)', function () {
  this.timeout(60_000);

  it("search add keeps a quoted 'on' quoted and writes YAML 1.1 booleans/numbers quoted", async () => {
    const dir = dirWith({'i.yaml': IMAGE("    containerRuntimeSearchRegistries:\n    - 'on'\n    - reg.example.com\n")});
    const f = join(dir, 'i.yaml');
    const r = await run(['search', 'add', 'yes', '-f', f, '--yes']);
    expect(r.code, r.stderr).to.equal(0);
    const text = readFileSync(f, 'utf8');
    expect(text).to.include("    - 'on'\n    - reg.example.com\n");
    expect(text).to.match(/- "yes"\n/);
    // A YAML 1.1 reader (as the API server's) still reads strings.
    expect(parse(text, {version: '1.1'}).spec.registrySources.containerRuntimeSearchRegistries).to.deep.equal(['on', 'reg.example.com', 'yes']);
  });

  it('trust-ca add ON writes the ConfigMap key "ON" (quoted), not a YAML 1.1 boolean', async () => {
    const dir = dirWith({'i.yaml': 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  additionalTrustedCA:\n    name: ca\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ca\n  namespace: openshift-config\ndata: {}\n'});
    const f = join(dir, 'i.yaml');
    const r = await run(['trust-ca', 'add', 'ON', '--cert', 'test/fixtures/certs/ca.pem', '-f', f, '--yes']);
    expect(r.code, r.stderr).to.equal(0);
    const cm = parse(readFileSync(f, 'utf8').split('---\n')[1]!, {version: '1.1'}) as {data: Record<string, string>};
    expect(Object.keys(cm.data)).to.deep.equal(['ON']);
  });

  it('CRLF files stay CRLF', async () => {
    const dir = dirWith({'i.yaml': IMAGE('    blockedRegistries:\n    - a.example.com\n').replace(/\n/g, '\r\n')});
    const f = join(dir, 'i.yaml');
    const r = await run(['block', 'add', 'b.example.com', '-f', f, '--yes']);
    expect(r.code, r.stderr).to.equal(0);
    const text = readFileSync(f, 'utf8');
    expect(text).to.include('b.example.com');
    expect(text.replace(/\r\n/g, '')).to.not.include('\n');
  });

  it('a read-only manifest is refused (exit 2), not overwritten', async () => {
    const dir = dirWith({'i.yaml': IMAGE('    blockedRegistries:\n    - a.example.com\n')});
    const f = join(dir, 'i.yaml');
    chmodSync(f, 0o444);
    const before = readFileSync(f, 'utf8');
    const r = await run(['block', 'add', 'b.example.com', '-f', f, '--yes']);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.include('read-only');
    expect(readFileSync(f, 'utf8')).to.equal(before);
  });

  it('a symlinked manifest inside -f DIR is read, edited through its target, and stays a link', async () => {
    const repo = dirWith({'real.yaml': IMAGE('    blockedRegistries:\n    - a.example.com\n')});
    const dir = join(repo, 'overlay');
    mkdirSync(dir);
    symlinkSync(join(repo, 'real.yaml'), join(dir, 'image.yaml'));
    const r = await run(['block', 'add', 'b.example.com', '-f', dir, '--yes']);
    expect(r.code, r.stderr).to.equal(0);
    expect(lstatSync(join(dir, 'image.yaml')).isSymbolicLink()).to.equal(true);
    expect(readFileSync(join(repo, 'real.yaml'), 'utf8')).to.include('- b.example.com');
  });

  it('flow-style lists keep flow style; untouched lines keep their indentation', async () => {
    const dir = dirWith({'i.yaml': IMAGE('      blockedRegistries: [a.example.com, c.example.com]\n      insecureRegistries:\n          - i.example.com\n')});
    const f = join(dir, 'i.yaml');
    const r = await run(['block', 'add', 'b.example.com', '-f', f, '--yes']);
    expect(r.code, r.stderr).to.equal(0);
    const text = readFileSync(f, 'utf8');
    expect(text).to.match(/blockedRegistries: \[ ?a\.example\.com, c\.example\.com, b\.example\.com ?\]/);
    expect(text).to.include('      insecureRegistries:\n          - i.example.com\n');
  });

  it('JSON manifests stay JSON in their own layout', async () => {
    const obj = {apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: {name: 'cluster'}, spec: {registrySources: {blockedRegistries: ['a.example.com']}}};
    const dir = dirWith({'image.json': JSON.stringify(obj, null, 4) + '\n'});
    const f = join(dir, 'image.json');
    const r = await run(['block', 'add', 'b.example.com', '-f', f, '--yes']);
    expect(r.code, r.stderr).to.equal(0);
    const text = readFileSync(f, 'utf8');
    const want = structuredClone(obj);
    want.spec.registrySources.blockedRegistries.push('b.example.com');
    expect(text).to.equal(JSON.stringify(want, null, 4) + '\n');
  });

  it('JSON edits rewrite only what changes: other keys keep their layout; a second object wraps the file into a List holding the first one\'s own text', async () => {
    const image = '{\n    "apiVersion": "config.openshift.io/v1",\n    "kind": "Image",\n    "metadata": {"name": "cluster", "labels": {"team": "platform"}},\n    "spec": {\n        "registrySources": {\n            "allowedRegistries": ["quay.io", "registry.redhat.io"],\n            "insecureRegistries": [\n                "insecure.example.com"\n            ]\n        }\n    }\n}\n';
    const dir = dirWith({'image.json': image});
    const f = join(dir, 'image.json');
    await editFile(f, 'insecure', 'add', 'other.example.com');
    let text = readFileSync(f, 'utf8');
    // Only the list that changed is rewritten; the one-line metadata and the inline allowlist stay as written.
    expect(text).to.equal(image.replace('                "insecure.example.com"\n', '                "insecure.example.com",\n                "other.example.com"\n'));
    await editFile(f, 'mirror', 'add', 'registry.example.com/apps', 'a.example.com/apps');
    text = readFileSync(f, 'utf8');
    const list = JSON.parse(text) as {kind: string; items: Array<{kind: string}>};
    expect(list.kind).to.equal('List');
    expect(list.items.map((o) => o.kind)).to.deep.equal(['Image', 'ImageDigestMirrorSet']);
    // The Image keeps its own lines, two levels deeper.
    const before = readFileSync(f, 'utf8');
    expect(before).to.include('            "metadata": {"name": "cluster", "labels": {"team": "platform"}},\n');
    expect(before).to.include('                    "allowedRegistries": ["quay.io", "registry.redhat.io"],\n');
    // Editing one item of the List leaves the other item's bytes alone.
    await editFile(f, 'mirror', 'add', 'registry.example.com/apps', 'b.example.com/apps');
    const after = readFileSync(f, 'utf8');
    const imagePart = (t: string) => t.slice(0, t.indexOf('"kind": "ImageDigestMirrorSet"'));
    expect(imagePart(after)).to.equal(imagePart(before));
    expect((await run(['mirror', 'list', '-f', f, '--json'])).stdout).to.include('b.example.com/apps');
  });

  it('content added under spec: {} is written in block style', async () => {
    const dir = dirWith({'i.yaml': 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec: {}\n'});
    const f = join(dir, 'i.yaml');
    await editFile(f, 'block', 'add', 'b.example.com');
    const text = readFileSync(f, 'utf8');
    expect(text).to.not.include('{');
    expect(parse(text).spec.registrySources.blockedRegistries).to.deep.equal(['b.example.com']);
  });

  it('remove accepts any entry that is present, even one add would refuse (Quay.io/NS)', async () => {
    const dir = dirWith({'i.yaml': IMAGE('    blockedRegistries:\n    - Quay.io/NS\n    - a.example.com\n')});
    const f = join(dir, 'i.yaml');
    await editFile(f, 'block', 'remove', 'Quay.io/NS');
    expect(parse(readFileSync(f, 'utf8')).spec.registrySources.blockedRegistries).to.deep.equal(['a.example.com']);
    const imp = dirWith({'i.yaml': 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  allowedRegistriesForImport:\n  - domainName: Bad_Domain\n  - domainName: quay.io\n'});
    const g = join(imp, 'i.yaml');
    const s = await run(['import', 'remove', 'Bad_Domain', '-f', g, '--yes']);
    expect(s.code, s.stderr).to.equal(0);
    expect(parse(readFileSync(g, 'utf8')).spec.allowedRegistriesForImport).to.deep.equal([{domainName: 'quay.io'}]);
  });

  it('empty and comment-only documents between objects: the edit lands in the object\'s own document, and they stay', async () => {
    const image = IMAGE('    blockedRegistries:\n    - a.example.com\n');
    const set = 'apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: apps\nspec:\n  imageDigestMirrors:\n  - source: registry.example.com/apps\n    mirrors:\n    - a.example.com/apps\n';
    const text = `# head\n---\n---\n# only a comment\n---\n${image}---\n\n---\n${set}`;
    const f = join(dirWith({'m.yaml': text}), 'm.yaml');
    await editFile(f, 'block', 'add', 'b.example.com');
    const edited = text.replace('    - a.example.com\n', '    - a.example.com\n    - b.example.com\n');
    expect(readFileSync(f, 'utf8')).to.equal(edited);
    await editFile(f, 'mirror', 'remove', 'registry.example.com/apps');
    expect(readFileSync(f, 'utf8')).to.equal(edited.slice(0, edited.indexOf(set) - '---\n'.length));
  });

  it('an object inside a List document is edited and removed inside it, and a new one joins the List: the List and its other items stay', async () => {
    const list = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: config.openshift.io/v1\n  kind: Image\n  metadata:\n    name: cluster\n  spec:\n    registrySources:\n      blockedRegistries:\n      - a.example.com\n- apiVersion: config.openshift.io/v1\n  kind: ImageDigestMirrorSet\n  metadata:\n    name: apps\n  spec:\n    imageDigestMirrors:\n    - source: registry.example.com/apps\n      mirrors:\n      - a.example.com/apps\n';
    const f = join(dirWith({'list.yaml': list}), 'list.yaml');
    await editFile(f, 'block', 'add', 'b.example.com');
    const edited = list.replace('      - a.example.com\n', '      - a.example.com\n      - b.example.com\n');
    expect(readFileSync(f, 'utf8')).to.equal(edited);
    await editFile(f, 'mirror', 'remove', 'registry.example.com/apps');
    const removed = edited.slice(0, edited.indexOf('- apiVersion: config.openshift.io/v1\n  kind: ImageDigestMirrorSet'));
    expect(readFileSync(f, 'utf8')).to.equal(removed);
    // A new object joins the List the Image is in.
    await editFile(f, 'mirror', 'add', 'registry.example.com/web', 'b.example.com/web');
    const now = readFileSync(f, 'utf8');
    expect(now.startsWith(removed)).to.equal(true);
    expect((parse(now) as {kind: string; items: Array<{kind: string}>}).items.map((o) => o.kind)).to.deep.equal(['Image', 'ImageDigestMirrorSet']);
  });

  it('an object inside an ACM Policy is edited in its object template, a removed one takes its template along, a new one gets a template like the Image\'s; the Policy stays', async () => {
    const dir = dirWith({});
    const f = join(dir, 'policy.yaml');
    const exported = await run(['render', '-f', 'examples/mirrors.yaml', '--format', 'acm-policy']);
    expect(exported.code, exported.stderr).to.equal(0);
    writeFileSync(f, exported.stdout);
    await editFile(f, 'block', 'add', 'b.example.com');
    type PolicyDoc = {kind: string; spec: {'policy-templates': Array<{objectDefinition: {spec: {'object-templates': Array<{objectDefinition: {kind: string; spec: Record<string, unknown>}}>}}}>}};
    // The export is the Policy, its Placement and PlacementBinding.
    const policyIn = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as PolicyDoc).find((o) => o.kind === 'Policy')!;
    const policy = policyIn(readFileSync(f, 'utf8')) as {kind: string; spec: {'policy-templates': Array<{objectDefinition: {spec: {'object-templates': Array<{objectDefinition: {kind: string; spec: Record<string, unknown>}}>}}}>}};
    expect(policy.kind).to.equal('Policy');
    const templates = () => policy.spec['policy-templates'][0]!.objectDefinition.spec['object-templates'];
    expect(templates().find((t) => t.objectDefinition.kind === 'Image')!.objectDefinition.spec).to.deep.equal({registrySources: {blockedRegistries: ['b.example.com']}});
    const kinds = templates().map((t) => t.objectDefinition.kind);
    await editFile(f, 'mirror', 'remove', 'registry.example.com/apps');
    const after = policyIn(readFileSync(f, 'utf8'));
    expect(parseAllDocuments(readFileSync(f, 'utf8')).map((d) => (d.toJS() as {kind: string}).kind)).to.deep.equal(['Policy', 'Placement', 'PlacementBinding']);
    expect(after.spec['policy-templates'][0]!.objectDefinition.spec['object-templates'].map((t) => t.objectDefinition.kind)).to.deep.equal(kinds.filter((k) => k !== 'ImageTagMirrorSet'));
    // A new object becomes an object template of the same ConfigurationPolicy, like the Image's.
    await editFile(f, 'trust-ca', 'add', 'registry.example.com:5000', '--cert', 'test/fixtures/certs/ca.pem');
    const last = policyIn(readFileSync(f, 'utf8')).spec['policy-templates'][0]!.objectDefinition.spec['object-templates'].at(-1) as unknown as {complianceType: string; objectDefinition: {kind: string}};
    expect([last.complianceType, last.objectDefinition.kind]).to.deep.equal(['musthave', 'ConfigMap']);
    expect(parseAllDocuments(readFileSync(f, 'utf8'))).to.have.length(3);
    expect((await run(['render', '-f', f])).code).to.equal(0);
  });

  it('removing a list item, a mirror rule or a mirror set removes only its own comments', async () => {
    const image = IMAGE('    # the allowlist\n    allowedRegistries:\n    # payload registries\n    - quay.io\n    - registry.redhat.io # Red Hat\n    # team registry\n    - registry.example.com # team note\n    # mirror host\n    - mirror.example.com\n');
    const removed = async (entry: string) => {
      const f = join(dirWith({'i.yaml': image}), 'i.yaml');
      await editFile(f, 'allow', 'remove', entry);
      const after = readFileSync(f, 'utf8').split('\n');
      return image.split('\n').filter((l) => !after.includes(l));
    };
    expect(await removed('registry.example.com')).to.deep.equal(['    # team registry', '    - registry.example.com # team note']);
    expect(await removed('registry.redhat.io')).to.deep.equal(['    - registry.redhat.io # Red Hat']);
    // A comment right above the first item is that item's own too (the yaml library keeps it on the list).
    expect(await removed('quay.io')).to.deep.equal(['    # payload registries', '    - quay.io']);

    const idms = (name: string, comment: string, rules: string) => `# ${comment}\napiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: ${name}\nspec:\n  imageDigestMirrors:\n${rules}`;
    const ubi = idms('ubi', 'ubi mirrors', '  # ubi9 rule\n  - source: registry.redhat.io/ubi9\n    mirrors:\n    # primary\n    - a.example.com/ubi9\n    # secondary\n    - b.example.com/ubi9\n  # ubi8 rule\n  - source: registry.redhat.io/ubi8\n    mirrors:\n    - a.example.com/ubi8\n');
    const apps = idms('apps', 'app mirrors, owned by team-a', '  - source: registry.example.com/apps\n    mirrors:\n    - a.example.com/apps\n');
    const text = `# mirrors of the disconnected cluster\n---\n${ubi}---\n${apps}`;
    const mirrorRemove = async (...args: string[]) => {
      const f = join(dirWith({'m.yaml': text}), 'm.yaml');
      await editFile(f, 'mirror', 'remove', ...args);
      const after = readFileSync(f, 'utf8');
      return {after, gone: text.split('\n').filter((l) => !after.split('\n').includes(l))};
    };
    expect((await mirrorRemove('registry.redhat.io/ubi9', 'b.example.com/ubi9')).gone).to.deep.equal(['    # secondary', '    - b.example.com/ubi9']);
    expect((await mirrorRemove('registry.redhat.io/ubi9')).gone).to.deep.equal(['  # ubi9 rule', '  - source: registry.redhat.io/ubi9', '    # primary', '    - a.example.com/ubi9', '    # secondary', '    - b.example.com/ubi9']);
    // The last rule of a set: the set goes with its own leading comment; the file's and the other set's stay.
    const {after} = await mirrorRemove('registry.example.com/apps');
    expect(after).to.equal(`# mirrors of the disconnected cluster\n---\n${ubi}`);
  });
});

describe('GitOps file safety: concurrent editors (-f)', function () {
  this.timeout(120_000);

  it('six processes adding to the same file: each re-reads on conflict and lands, none is lost silently, no temporary or lock file is left', async () => {
    const dir = dirWith({'i.yaml': IMAGE('    blockedRegistries:\n    - a.example.com\n')});
    const f = join(dir, 'i.yaml');
    const hosts = Array.from({length: 6}, (_, i) => `h${i}.example.com`);
    const results = await Promise.all(hosts.map((h) => runChild(['block', 'add', h, '-f', f, '--yes'])));
    const final = parse(readFileSync(f, 'utf8')).spec.registrySources.blockedRegistries as string[];
    results.forEach((r, i) => {
      expect([0, 4], r.stderr).to.include(r.code);
      if (r.code === 0) expect(final, `${hosts[i]} reported written`).to.include(hosts[i]);
      else expect(final).to.not.include(hosts[i]);
    });
    expect(final[0]).to.equal('a.example.com');
    // Conflicting editors re-read and re-apply their intent (as on a 409 live): all land.
    expect(results.filter((r) => r.code === 0).length, results.map((r) => r.stderr).join('\n')).to.equal(6);
    expect(readdirSync(dir)).to.deep.equal(['i.yaml']);
  });
});
