/**
 * One evaluation: the warnings an edit preview reports about its result are the
 * warnings `render -f RESULT` reports (same codes, same order), for every golden
 * vector as the starting configuration and a set of edits on each.
 */
import {expect} from 'chai';
import {join} from 'node:path';
import {stringify} from 'yaml';
import {editorFor, type CurrentObject, type Editor} from '../../src/model/edit.js';
import {loadManifests} from '../../src/model/manifests.js';
import {mirrorEditor} from '../../src/render/mirror-editor.js';
import {plan} from '../../src/render/plan.js';
import {renderService} from '../../src/services/render.js';
import type {Warning} from '../../src/model/warnings.js';
import {readVectorCases} from '../support/vectors.js';

const ROOTS = [join(import.meta.dirname, '..', 'fixtures', 'vectors'), join(import.meta.dirname, '..', 'fixtures', 'vectors-sigstore')];

const EDITS: Array<[string, Editor]> = [
  ['allow add quay.io', editorFor({type: 'list', list: 'allowed', op: 'add', values: ['quay.io']})],
  ['block add untrusted.example.com', editorFor({type: 'list', list: 'blocked', op: 'add', values: ['untrusted.example.com']})],
  ['block add quay.io', editorFor({type: 'list', list: 'blocked', op: 'add', values: ['quay.io']})],
  ['insecure add reg.example.com:5000', editorFor({type: 'list', list: 'insecure', op: 'add', values: ['reg.example.com:5000']})],
  ['search add docker.io', editorFor({type: 'list', list: 'search', op: 'add', values: ['docker.io']})],
  ['import add quay.io', editorFor({type: 'import', op: 'add', values: ['quay.io']})],
  ['mirror add payload', mirrorEditor({op: 'add', source: 'quay.io/openshift-release-dev/ocp-release', mirrors: ['mirror.example.com/ocp/release'], kind: 'ImageDigestMirrorSet'})],
  ['mirror add tag mirror', mirrorEditor({op: 'add', source: 'docker.io/library', mirrors: ['mirror.example.com/library'], kind: 'ImageTagMirrorSet'})],
];

function objectsOf(text: string): CurrentObject[] {
  const res = loadManifests([{file: 'input.yaml', text}]);
  return res.objects.map((o) => ({kind: o.kind, name: o.name, namespace: o.namespace, body: o.body}));
}

const codes = (ws: Warning[]) => ws.map((w) => w.code);

/** `render -f` of the edited objects written out as one manifest file: its exit and its warnings. */
function renderOf(objects: CurrentObject[]): {ok: boolean; warnings: Warning[]} {
  const text = objects.map((o) => stringify(o.body)).join('---\n');
  const warnings: Warning[] = [];
  try {
    renderService({...loadManifests([{file: 'result.yaml', text}]), texts: new Map([['result.yaml', text]])}, {warn: (w) => warnings.push(w)});
    return {ok: true, warnings};
  } catch {
    return {ok: false, warnings};
  }
}

describe('one evaluation: preview and render agree on warnings', () => {
  let compared = 0;
  for (const root of ROOTS) {
    for (const vc of readVectorCases(root)) {
      if (vc.apiRejected) continue;
      it(`${vc.name}: every edit's preview warnings about the result equal render -f RESULT's`, () => {
        const current = objectsOf(vc.input);
        for (const [label, editor] of EDITS) {
          const p = plan(current, editor, {label: 'input.yaml'});
          if (p.errors.length > 0) continue;
          const rendered = renderOf(p.newObjects);
          if (!rendered.ok) continue;
          const about = p.warnings.filter((w) => w.about !== 'change');
          expect(codes(about), `${vc.name} / ${label}`).to.deep.equal(codes(rendered.warnings));
          expect(about.map((w) => w.message), `${vc.name} / ${label}`).to.deep.equal(rendered.warnings.map((w) => w.message));
          compared++;
        }
      });
    }
  }
  after(() => {
    // The comparison must have run for most vectors and edits, or the test proves nothing.
    expect(compared).to.be.greaterThan(300);
  });
});
