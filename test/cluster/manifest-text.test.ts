/** JSON manifests: edits mean exactly the planned objects and rewrite only what changes. */
import {expect} from 'chai';
import fc from 'fast-check';
import {editJson} from '../../src/cluster/manifest-text.js';

type Obj = Record<string, unknown>;
const hosts = fc.constantFrom('quay.io', 'registry.redhat.io', 'a.example.com', 'b.example.com:5000', 'c.example.com/ns');
const image = (rs: Obj): Obj => ({apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: {name: 'cluster'}, spec: {registrySources: rs}});
const registrySources = fc.record({allowedRegistries: fc.uniqueArray(hosts, {maxLength: 4}), insecureRegistries: fc.uniqueArray(hosts, {maxLength: 3})}, {requiredKeys: []});
const idms = (name: string, sources: string[]): Obj => ({apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: {name}, spec: {imageDigestMirrors: sources.map((s) => ({source: s, mirrors: [`mirror.example.com/${s}`]}))}});

/** The text of one object or a List, in one of the layouts people write JSON in. */
function layout(value: unknown, style: number): string {
  if (style === 0) return JSON.stringify(value, null, 2) + '\n';
  if (style === 1) return JSON.stringify(value, null, 4);
  if (style === 2) return JSON.stringify(value, null, '\t') + '\n';
  // Arrays of strings kept on one line, the rest indented.
  return JSON.stringify(value, null, 2).replace(/\[\n\s+("[^"\n]*"(?:,\n\s+"[^"\n]*")*)\n\s+\]/g, (_m, items: string) => `[${items.replace(/,\n\s+/g, ', ')}]`) + '\n';
}

describe('editJson', () => {
  it('property: the edited text parses to exactly the planned objects, in the file\'s indentation, whatever the layout (300 runs)', () => {
    fc.assert(
      fc.property(registrySources, registrySources, fc.boolean(), fc.boolean(), fc.integer({min: 0, max: 3}), (rs0, rs1, asList, append, style) => {
        const before = image(rs0);
        const after = image(rs1);
        const text = layout(asList ? {apiVersion: 'v1', kind: 'List', items: [before, idms('keep', ['x.example.com/a'])]} : before, style);
        const added = append ? [idms('new', ['y.example.com/b'])] : [];
        const out = editJson(text, [{kind: 'Image', name: 'cluster', after}], added);
        const items = asList ? [after, idms('keep', ['x.example.com/a']), ...added] : [after, ...added];
        const want = items.length === 1 ? items[0] : {apiVersion: 'v1', kind: 'List', items};
        expect(JSON.parse(out)).to.deep.equal(want);
        expect(out.endsWith('\n')).to.equal(text.endsWith('\n'));
        // A file in JSON.stringify's own layout stays in it, byte for byte (new keys go last).
        if (style < 3) expect(out).to.equal(layout(JSON.parse(out), style));
      }),
      {numRuns: 300},
    );
  });

  it('keeps the bytes of what does not change: other items of a List, untouched keys, one-line arrays elsewhere', () => {
    const keep = idms('keep', ['x.example.com/a', 'x.example.com/b']);
    const text = layout({apiVersion: 'v1', kind: 'List', items: [image({allowedRegistries: ['quay.io'], insecureRegistries: ['a.example.com']}), keep]}, 3);
    const out = editJson(text, [{kind: 'Image', name: 'cluster', after: image({allowedRegistries: ['quay.io'], insecureRegistries: ['a.example.com', 'b.example.com:5000']})}], []);
    const keepText = (t: string) => t.slice(t.indexOf('"kind": "ImageDigestMirrorSet"'));
    expect(keepText(out)).to.equal(keepText(text));
    expect(out).to.include('"allowedRegistries": ["quay.io"]');
  });

  it('large lists: every one of 2,000 rules changed, and a 2,000-rule object appended, give exactly the planned objects in the file\'s layout', () => {
    const sources = Array.from({length: 2000}, (_, i) => `r${i}.example.com/app`);
    const text = JSON.stringify({apiVersion: 'v1', kind: 'List', items: [idms('big', sources)]}, null, 2) + '\n';
    const changed = idms('big', sources.map((s) => `${s}-2`));
    const added = idms('more', sources);
    const out = editJson(text, [{kind: 'ImageDigestMirrorSet', name: 'big', after: changed}], [added]);
    const want = {apiVersion: 'v1', kind: 'List', items: [changed, added]};
    expect(JSON.parse(out)).to.deep.equal(want);
    expect(out).to.equal(JSON.stringify(want, null, 2) + '\n');
  });

  it('CRLF JSON stays CRLF, also when wrapped into a List', () => {
    const text = JSON.stringify(image({allowedRegistries: ['quay.io']}), null, 2).replace(/\n/g, '\r\n') + '\r\n';
    const out = editJson(text, [], [idms('new', ['y.example.com/b'])]);
    expect(out.split('\r\n').length - 1).to.equal(out.split('\n').length - 1);
    expect(JSON.parse(out)).to.have.property('kind', 'List');
  });
});
