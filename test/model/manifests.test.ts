import {expect} from 'chai';
import {loadManifests, splitDocuments} from '../../src/model/manifests.js';

const image = (body: string) => `apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n${body}`;

describe('manifest loading', () => {
  it('splits multi-document streams and keeps line numbers', () => {
    const docs = splitDocuments('# c\na: 1\n---\nb: 2\n...\n---\n\nc: 3\n');
    expect(docs.map((d) => d.line)).to.deep.equal([2, 4, 8]);
  });

  it('an unknown key is a problem with a suggestion, at the line of the key', () => {
    const {problems} = loadManifests([{file: 'x.yaml', text: image('  registrySources:\n    blockedRegistry: [a.io]\n')}]);
    expect(problems).to.have.length(1);
    expect(problems[0]!.field).to.equal('spec.registrySources.blockedRegistry');
    expect(problems[0]!.message).to.include('did you mean blockedRegistries?');
    expect(problems[0]!.source).to.equal('x.yaml:7');
  });

  it('a list of the wrong type names the field and the type', () => {
    const {problems} = loadManifests([{file: 'x.yaml', text: image('  registrySources:\n    insecureRegistries: insecure.com\n')}]);
    expect(problems[0]!.field).to.equal('spec.registrySources.insecureRegistries');
    expect(problems[0]!.message).to.equal('must be a list, not a string');
  });

  it('refuses to guess when two files define the same object', () => {
    const {problems} = loadManifests([
      {file: 'a.yaml', text: image('  {}\n')},
      {file: 'b.yaml', text: image('  {}\n')},
    ]);
    expect(problems).to.have.length(1);
    expect(problems[0]!.message).to.include('defined twice (first at a.yaml:1)');
    expect(problems[0]!.source).to.equal('b.yaml:4');
  });

  it('reads List objects, ignores unrelated kinds, and flags a misspelled OpenShift kind', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: config.openshift.io/v1\n  kind: ImageDigestMirrorSet\n  metadata: {name: a}\n  spec:\n    imageDigestMirrors: [{source: q.io/a, mirrors: [m.io/a]}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\napiVersion: config.openshift.io/v1\nkind: ImageDigestMirorSet\nmetadata: {name: b}\n`;
    const {state, problems, ignored} = loadManifests([{file: 'l.yaml', text: list}]);
    expect(state.mirrorSets.map((s) => s.name)).to.deep.equal(['a']);
    expect(ignored).to.deep.equal(['Deployment']);
    expect(problems.map((p) => p.message)).to.deep.equal(['unknown kind; did you mean ImageDigestMirrorSet?']);
  });

  it('a wrong apiVersion for a known kind is a problem', () => {
    const {problems} = loadManifests([{file: 'x.yaml', text: 'apiVersion: config.openshift.io/v1alpha1\nkind: ImageContentSourcePolicy\nmetadata: {name: a}\n'}]);
    expect(problems[0]!.message).to.equal('ImageContentSourcePolicy must have apiVersion operator.openshift.io/v1alpha1');
  });

  it('YAML syntax errors name the file and line', () => {
    const {problems} = loadManifests([{file: 'x.yaml', text: 'kind: Image\n---\nkind: [\n'}]);
    const p = problems.find((x) => x.field === 'yaml');
    expect(p?.source).to.equal('x.yaml:4');
  });

  it('keeps [] apart from an absent list (MCO treats them differently)', () => {
    const {state} = loadManifests([{file: 'x.yaml', text: image('  registrySources:\n    insecureRegistries: []\n')}]);
    expect(state.image!.spec.registrySources!.insecureRegistries).to.deep.equal([]);
    expect(state.image!.spec.registrySources!.blockedRegistries).to.equal(undefined);
  });
});
