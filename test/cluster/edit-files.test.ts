/** applyToFiles: in-place YAML edits (update, delete, create), atomic writes, single-writer conflicts. */
import {expect} from 'chai';
import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {applyToFiles} from '../../src/cluster/edit-files.js';
import {toCurrent} from '../../src/services/edit-session.js';
import {ConflictError} from '../../src/lib/errors.js';
import {loadManifests} from '../../src/model/manifests.js';
import type {ObjectChange} from '../../src/render/plan.js';

const TEXT = `# mirrors for the disconnected cluster
apiVersion: config.openshift.io/v1
kind: ImageDigestMirrorSet
metadata:
  name: a   # first
spec:
  imageDigestMirrors:
  - source: quay.io/a
    mirrors: [m.example.com/a]
---
# second set, to be deleted
apiVersion: config.openshift.io/v1
kind: ImageDigestMirrorSet
metadata:
  name: b
spec:
  imageDigestMirrors:
  - source: quay.io/b
    mirrors:
    - m.example.com/b
---
apiVersion: config.openshift.io/v1
kind: Image
metadata:
  name: cluster
spec: {}
`;

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'apply-'));
  const file = join(dir, 'm.yaml');
  writeFileSync(file, TEXT);
  const loaded = loadManifests([{file, text: TEXT}]);
  expect(loaded.problems).to.deep.equal([]);
  return {dir, file, objects: toCurrent(loaded.objects), texts: new Map([[file, TEXT]])};
}

const change = (kind: string, name: string, action: ObjectChange['action'], after?: Record<string, unknown>): ObjectChange => ({kind, name, action, after, diff: ''});

describe('applyToFiles', () => {
  it('deletes one document, updates another and appends a new object, keeping the rest verbatim', async () => {
    const {dir, file, objects, texts} = setup();
    const a = structuredClone(objects.find((o) => o.name === 'a')!.body);
    ((a.spec as {imageDigestMirrors: Array<{mirrors: string[]}>}).imageDigestMirrors[0]!.mirrors).push('m2.example.com/a');
    const created = {apiVersion: 'config.openshift.io/v1', kind: 'ImageTagMirrorSet', metadata: {name: 'c'}, spec: {imageTagMirrors: [{source: 'quay.io/c', mirrors: ['m.example.com/c']}]}};
    const written = await applyToFiles([change('ImageDigestMirrorSet', 'a', 'update', a), change('ImageDigestMirrorSet', 'b', 'delete'), change('ImageTagMirrorSet', 'c', 'create', created)], objects, [file], texts);
    expect(written).to.deep.equal([file]);
    const out = readFileSync(file, 'utf8');
    expect(out).to.contain('# mirrors for the disconnected cluster\n').and.contain('name: a   # first\n');
    expect(out).to.contain('mirrors: [ m.example.com/a, m2.example.com/a ]');
    expect(out).to.not.contain('quay.io/b').and.not.contain('# second set');
    expect(out).to.contain('kind: Image\nmetadata:\n  name: cluster\nspec: {}\n---\napiVersion: config.openshift.io/v1\nkind: ImageTagMirrorSet');
    const again = loadManifests([{file, text: out}]);
    expect(again.problems).to.deep.equal([]);
    expect(again.objects.map((o) => `${o.kind}/${o.name}`)).to.deep.equal(['ImageDigestMirrorSet/a', 'Image/cluster', 'ImageTagMirrorSet/c']);
    expect(readdirSync(dir)).to.deep.equal(['m.yaml']);
  });

  it('a file changed since it was read is a conflict; nothing is written', async () => {
    const {file, objects, texts} = setup();
    writeFileSync(file, TEXT + '# someone else\n');
    let err: unknown;
    try {
      await applyToFiles([change('ImageDigestMirrorSet', 'b', 'delete')], objects, [file], texts);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ConflictError);
    expect(readFileSync(file, 'utf8')).to.equal(TEXT + '# someone else\n');
  });
});

describe('applyToFiles: property', () => {
  it('for random manifests (both sequence styles, comments, empty documents before) and random edits, the file means exactly the planned object (300 runs)', async () => {
    const {plan} = await import('../../src/render/plan.js');
    const {editorFor} = await import('../../src/model/edit.js');
    const fc = (await import('fast-check')).default;
    const scopes = ['quay.io', 'registry.redhat.io', 'ghcr.io/acme', 'example.com:5000', '*.example.org', 'mirror.local/ocp'];
    const hosts = ['quay.io', 'registry.example.com', 'example.com:5000'];
    const dir = mkdtempSync(join(tmpdir(), 'apply-prop-'));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        // Documents with nothing in them before the Image: not objects, and not the edit's target.
        fc.constantFrom('', '---\n', '# head\n---\n---\n', '---\n# only a comment\n---\n'),
        fc.subarray(scopes, {minLength: 1}),
        fc.subarray(hosts),
        fc.array(fc.record({list: fc.constantFrom('allowed' as const, 'insecure' as const, 'search' as const), op: fc.constantFrom('add' as const, 'remove' as const, 'set' as const), values: fc.subarray(hosts)}), {minLength: 1, maxLength: 4}),
        async (compact, before, allowed, search, intents) => {
          const ind = compact ? '' : '  ';
          const lines = ['# managed by GitOps', 'apiVersion: config.openshift.io/v1', 'kind: Image', 'metadata:', '  name: cluster  # singleton', 'spec:', '  registrySources:', '    # allowed', '    allowedRegistries:', ...allowed.map((s, i) => `    ${ind}- ${s.startsWith('*') ? `"${s}"` : s}${i === 0 ? '   # first' : ''}`)];
          if (search.length) lines.push('    containerRuntimeSearchRegistries:', ...search.map((s) => `    ${ind}- ${s}`));
          const text = before + lines.join('\n') + '\n';
          const file = join(dir, `m${n++}.yaml`);
          writeFileSync(file, text);
          let texts = new Map([[file, text]]);
          let objects = toCurrent(loadManifests([{file, text}]).objects);
          let listGone = false;
          let firstGone = false;
          for (const i of intents) {
            const p = plan(objects, editorFor({type: 'list', ...i}));
            if (p.errors.length > 0 || p.noop) continue;
            await applyToFiles(p.changes, objects, [file], texts);
            const now = readFileSync(file, 'utf8');
            const loaded = loadManifests([{file, text: now}]);
            expect(loaded.problems).to.deep.equal([]);
            expect(loaded.objects[0]!.body).to.deep.equal(p.newObjects[0]!.body);
            expect(now).to.contain('# managed by GitOps').and.contain('  name: cluster  # singleton\n');
            expect(now.startsWith(before), 'the empty documents before the Image stay').to.equal(true);
            // A comment goes only with the key or entry it belongs to.
            const rs = (p.newObjects[0]!.body.spec as {registrySources?: {allowedRegistries?: string[]}}).registrySources;
            if (!rs?.allowedRegistries) listGone = true;
            if (!rs?.allowedRegistries?.includes(allowed[0]!)) firstGone = true;
            if (!listGone) expect(now).to.contain('# allowed');
            if (!listGone && !firstGone) expect(now).to.contain('# first');
            texts = new Map([[file, now]]);
            objects = toCurrent(loaded.objects);
          }
        },
      ),
      {numRuns: 300},
    );
  });
});
