import {expect} from 'chai';
import {editManifests, splitDocuments} from '../../src/model/manifest-edit.js';
import type {MirrorSet} from '../../src/model/types.js';

const icspDoc = (name: string) => `apiVersion: operator.openshift.io/v1alpha1\nkind: ImageContentSourcePolicy\nmetadata:\n  name: ${name}\nspec:\n  repositoryDigestMirrors:\n  - source: a.io/x\n    mirrors:\n    - m.io/x\n`;
const idms = (name: string): MirrorSet => ({kind: 'ImageDigestMirrorSet', name, rules: [{source: 'a.io/x', mirrors: ['m.io/x'], mirrorSourcePolicy: ''}]});

describe('manifest-edit (mirror migrate in files)', () => {
  it('splits a stream into documents whose concatenation is the text', () => {
    const text = `# head\n---\n${icspDoc('a')}---   # marker comment\n${icspDoc('b')}...\n`;
    const parts = splitDocuments(text);
    expect(parts.join('')).to.equal(text);
    expect(parts).to.have.length(3);
  });
  it('replaces an ICSP document in place and leaves the other documents byte for byte', () => {
    const other = `# keep   this   spacing\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x,   namespace: y}\n`;
    const text = `${other}---\n${icspDoc('r')}`;
    const [e] = editManifests([{file: 'f.yaml', text}], [{action: 'create', kind: 'ImageDigestMirrorSet', name: 'r', after: idms('r'), replaces: {kind: 'ImageContentSourcePolicy', name: 'r'}}]);
    expect(e!.after.startsWith(`${other}---\napiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\n`)).to.equal(true);
    expect(e!.after).to.contain('  imageDigestMirrors:\n  - source: a.io/x');
  });
  it('deletes a document, including a first one, keeping the rest', () => {
    const text = `${icspDoc('a')}---\n${icspDoc('b')}`;
    const [e] = editManifests([{file: 'f.yaml', text}], [{action: 'delete', kind: 'ImageContentSourcePolicy', name: 'a'}]);
    expect(e!.after).to.equal(icspDoc('b'));
  });
  it('refuses objects that are not documents of their own (List items)', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n- ${icspDoc('a').split('\n').join('\n  ')}`;
    expect(() => editManifests([{file: 'f.yaml', text}], [{action: 'delete', kind: 'ImageContentSourcePolicy', name: 'a'}])).to.throw(/not a document of its own/);
  });
});
