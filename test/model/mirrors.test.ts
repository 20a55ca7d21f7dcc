import {expect} from 'chai';
import {addMirrors, generatedName, listMirrors, migrateIcsp, policyConflicts, removeMirrors, validateMirrorArgs, formatMirrorTable} from '../../src/model/mirrors.js';
import {emptyState, type ClusterState, type MirrorSet} from '../../src/model/types.js';

const idms = (name: string, rules: Array<[string, string[], string?]>): MirrorSet => ({kind: 'ImageDigestMirrorSet', name, rules: rules.map(([source, mirrors, p]) => ({source, mirrors, mirrorSourcePolicy: p ?? ''}))});
const icsp = (name: string, rules: Array<[string, string[]]>): MirrorSet => ({kind: 'ImageContentSourcePolicy', name, rules: rules.map(([source, mirrors]) => ({source, mirrors, mirrorSourcePolicy: ''}))});
const state = (sets: MirrorSet[], extra: Partial<ClusterState> = {}): ClusterState => ({...emptyState(), mirrorSets: sets, ...extra});

describe('mirror model: validation of command-line repositories', () => {
  it('accepts repositories with host, port and path', () => {
    expect(validateMirrorArgs('quay.io/ocp/release', ['mirror.example.com:5000/ocp/release'], {requireMirrors: true})).to.deep.equal([]);
  });
  for (const [what, source, mirrors, field, text] of [
    ['a source with a tag', 'quay.io/ocp/release:4.16', ['m.io/x'], 'SOURCE', 'must not include a tag'],
    ['a source with a digest', `quay.io/ocp/release@sha256:${'a'.repeat(64)}`, ['m.io/x'], 'SOURCE', 'must not include a digest'],
    ['a mirror with a tag', 'quay.io/ocp', ['m.io/x:latest'], 'MIRROR[0]', 'must not include a tag'],
    ['a wildcard mirror', 'quay.io/ocp', ['*.m.io'], 'MIRROR[0]', 'wildcards are not allowed'],
    ['a mirror equal to the source', 'quay.io/ocp', ['quay.io/ocp'], 'MIRROR[0]', 'is the source itself'],
    ['a duplicate mirror', 'quay.io/ocp', ['m.io/x', 'm.io/x'], 'MIRROR[1]', 'is listed twice'],
    ['a URL scheme', 'https://quay.io/ocp', ['m.io/x'], 'SOURCE', 'URL scheme'],
  ] as Array<[string, string, string[], string, string]>) {
    it(`rejects ${what}`, () => {
      const p = validateMirrorArgs(source, mirrors, {requireMirrors: true});
      expect(p.map((x) => x.field)).to.include(field);
      expect(p.find((x) => x.field === field)!.message).to.contain(text);
    });
  }
  it('needs at least one mirror for add', () => {
    expect(validateMirrorArgs('quay.io/ocp', [], {requireMirrors: true})[0]!.message).to.contain('at least one mirror');
  });
});

describe('mirror model: add', () => {
  it('creates a new IDMS named after the source when none lists it', () => {
    const e = addMirrors(state([]), {source: 'registry.redhat.io/ubi9', mirrors: ['m.example.com/ubi9'], kind: 'ImageDigestMirrorSet'});
    expect(e.problems).to.deep.equal([]);
    expect(e.changes).to.have.length(1);
    expect(e.changes[0]).to.include({action: 'create', kind: 'ImageDigestMirrorSet', name: 'registry-redhat-io-ubi9'});
    expect(e.sets[0]!.rules).to.deep.equal([{source: 'registry.redhat.io/ubi9', mirrors: ['m.example.com/ubi9'], mirrorSourcePolicy: ''}]);
  });
  it('appends to the object that already lists the source, after its mirrors', () => {
    const e = addMirrors(state([idms('other', [['a.io/x', ['m1.io/x']]]), idms('mine', [['b.io/y', ['m1.io/y']]])]), {source: 'b.io/y', mirrors: ['m2.io/y', 'm3.io/y'], kind: 'ImageDigestMirrorSet'});
    expect(e.changes.map((c) => [c.action, c.name])).to.deep.equal([['update', 'mine']]);
    expect(e.sets[1]!.rules[0]!.mirrors).to.deep.equal(['m1.io/y', 'm2.io/y', 'm3.io/y']);
    expect(e.changes[0]!.ruleOrigin).to.deep.equal([0]);
  });
  it('adds a rule to the object named with --name', () => {
    const e = addMirrors(state([idms('mine', [['b.io/y', ['m1.io/y']]])]), {source: 'c.io/z', mirrors: ['m.io/z'], kind: 'ImageDigestMirrorSet', name: 'mine'});
    expect(e.sets[0]!.rules.map((r) => r.source)).to.deep.equal(['b.io/y', 'c.io/z']);
    expect(e.changes[0]!.ruleOrigin).to.deep.equal([0, -1]);
  });
  it('creates the object named with --name when it does not exist', () => {
    const e = addMirrors(state([]), {source: 'c.io/z', mirrors: ['m.io/z'], kind: 'ImageTagMirrorSet', name: 'tags'});
    expect(e.changes[0]).to.include({action: 'create', kind: 'ImageTagMirrorSet', name: 'tags'});
  });
  it('is a no-op when every mirror is already there', () => {
    const e = addMirrors(state([idms('mine', [['b.io/y', ['m1.io/y']]])]), {source: 'b.io/y', mirrors: ['m1.io/y'], kind: 'ImageDigestMirrorSet'});
    expect(e.changes).to.deep.equal([]);
    expect(e.notes[0]).to.contain('already a mirror');
  });
  it('does not reuse a generated name taken by an object of the same kind', () => {
    const e = addMirrors(state([idms('b-io-y', [['other.io/q', ['m.io/q']]])]), {source: 'b.io/y', mirrors: ['m.io/y'], kind: 'ImageDigestMirrorSet'});
    expect(e.changes[0]!.name).to.equal('b-io-y-2');
  });
  it('sets NeverContactSource with --never-contact-source', () => {
    const e = addMirrors(state([]), {source: 'b.io/y', mirrors: ['m.io/y'], kind: 'ImageDigestMirrorSet', neverContactSource: true});
    expect(e.sets[0]!.rules[0]!.mirrorSourcePolicy).to.equal('NeverContactSource');
  });
  it('refuses --never-contact-source for ICSP and warns that ICSP is deprecated', () => {
    const e = addMirrors(state([]), {source: 'b.io/y', mirrors: ['m.io/y'], kind: 'ImageContentSourcePolicy', neverContactSource: true});
    expect(e.problems.map((p) => p.field)).to.deep.equal(['--never-contact-source']);
    expect(e.warnings.map((w) => w.code)).to.include('icsp-deprecated');
  });
  it('refuses a policy that conflicts with another object for the same source (MCO would refuse the sync)', () => {
    const e = addMirrors(state([idms('a', [['b.io/y', ['m.io/y'], 'NeverContactSource']])]), {source: 'b.io/y', mirrors: ['n.io/y'], kind: 'ImageDigestMirrorSet', name: 'b'});
    expect(e.problems).to.have.length(1);
    expect(e.problems[0]!.message).to.match(/conflicting mirrorSourcePolicy.*NeverContactSource in IDMS a, AllowContactingSource in IDMS b/);
  });
  it('counts an ICSP as AllowContactingSource in the conflict check', () => {
    const p = policyConflicts([icsp('old', [['b.io/y', ['m.io/y']]]), idms('new', [['b.io/y', ['n.io/y'], 'NeverContactSource']])]);
    expect(p).to.have.length(1);
    expect(p[0]!.message).to.contain('ICSP old (ICSP: always AllowContactingSource)');
  });
  it('warns when a new mirror is inside a blocked scope', () => {
    const blocked = state([], {image: {name: 'cluster', spec: {registrySources: {blockedRegistries: ['bad.io']}}}});
    expect(addMirrors(blocked, {source: 'b.io/y', mirrors: ['bad.io/y'], kind: 'ImageDigestMirrorSet'}).warnings.map((w) => w.code)).to.deep.equal(['mirror-blocked']);
    expect(addMirrors(blocked, {source: 'b.io/y', mirrors: ['bad.io.example/y', 'ok.io/y'], kind: 'ImageDigestMirrorSet'}).warnings).to.deep.equal([]);
  });
});

describe('mirror model: remove', () => {
  const sets = [idms('a', [['b.io/y', ['m1.io/y', 'm2.io/y']], ['c.io/z', ['m.io/z']]]), idms('b', [['b.io/y', ['m3.io/y']]])];
  it('removes one mirror and keeps the rule', () => {
    const e = removeMirrors(state(sets), {source: 'b.io/y', mirrors: ['m1.io/y']});
    expect(e.changes.map((c) => [c.action, c.name])).to.deep.equal([['update', 'a']]);
    expect(e.sets[0]!.rules[0]!.mirrors).to.deep.equal(['m2.io/y']);
  });
  it('removes the source from every object without MIRROR, deleting objects left empty', () => {
    const e = removeMirrors(state(sets), {source: 'b.io/y', mirrors: []});
    expect(e.changes.map((c) => [c.action, c.name])).to.deep.equal([
      ['update', 'a'],
      ['delete', 'b'],
    ]);
    expect(e.changes[0]!.ruleOrigin).to.deep.equal([1]);
    expect(e.sets.map((s) => s.name)).to.deep.equal(['a']);
  });
  it('limits to one object with --name', () => {
    const e = removeMirrors(state(sets), {source: 'b.io/y', mirrors: [], name: 'b'});
    expect(e.changes.map((c) => [c.action, c.name])).to.deep.equal([['delete', 'b']]);
  });
  it('removing what is absent is a no-op with a note', () => {
    const e = removeMirrors(state(sets), {source: 'b.io/y', mirrors: ['nope.io/y']});
    expect(e.changes).to.deep.equal([]);
    expect(e.notes.join()).to.contain('not a mirror');
  });
  it('a rule whose last mirror goes is removed', () => {
    const e = removeMirrors(state(sets), {source: 'c.io/z', mirrors: ['m.io/z']});
    expect(e.sets[0]!.rules.map((r) => r.source)).to.deep.equal(['b.io/y']);
  });
});

describe('mirror model: list, names, migrate', () => {
  it('lists one row per rule, IDMS then ITMS then ICSP, with the policy', () => {
    const rows = listMirrors(state([icsp('z', [['a.io/x', ['m.io/x']]]), {kind: 'ImageTagMirrorSet', name: 't', rules: [{source: 'd.io', mirrors: ['m.io/d'], mirrorSourcePolicy: ''}]}, idms('a', [['b.io/y', ['m1.io/y', 'm2.io/y'], 'NeverContactSource']])]));
    expect(rows.map((r) => [r.kind, r.object, r.policy])).to.deep.equal([
      ['IDMS', 'a', 'NeverContactSource'],
      ['ITMS', 't', 'AllowContactingSource'],
      ['ICSP', 'z', '-'],
    ]);
    expect(formatMirrorTable(rows).split('\n')[1]).to.equal('a       IDMS  b.io/y  m1.io/y, m2.io/y    NeverContactSource');
  });
  it('generates DNS-1123 names', () => {
    expect(generatedName('*.example.com', new Set())).to.equal('wildcard-example-com');
    expect(generatedName('Host.IO:5000/a_b/c', new Set())).to.equal('host-io-5000-a-b-c');
  });
  it('migrates each ICSP to an IDMS with the same name and rules', () => {
    const m = migrateIcsp([icsp('r', [['a.io/x', ['m.io/x']], ['b.io/y', []]]), idms('keep', [['c.io', ['m.io/c']]])], {deleteIcsp: true});
    expect(m.pairs.map((p) => [p.icsp.name, p.idms.name, p.alreadyMigrated])).to.deep.equal([['r', 'r', false]]);
    expect(m.sets.map((s) => `${s.kind}/${s.name}`)).to.deep.equal(['ImageDigestMirrorSet/keep', 'ImageDigestMirrorSet/r']);
    expect(m.changes.map((c) => c.action)).to.deep.equal(['create', 'delete']);
  });
  it('picks another name when an unrelated IDMS has the ICSP name, and recognises an earlier migration', () => {
    const taken = migrateIcsp([icsp('r', [['a.io/x', ['m.io/x']]]), idms('r', [['c.io', ['m.io/c']]])], {deleteIcsp: false});
    expect(taken.pairs[0]!.idms.name).to.equal('r-from-icsp');
    const again = migrateIcsp([icsp('r', [['a.io/x', ['m.io/x']]]), idms('r', [['a.io/x', ['m.io/x']]])], {deleteIcsp: false});
    expect(again.pairs[0]!.alreadyMigrated).to.equal(true);
    expect(again.changes).to.deep.equal([]);
  });
});
