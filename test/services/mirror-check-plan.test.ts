/**
 * mirror check rules on explain's answers (no network: the probe is a table of what each
 * endpoint answers). Short-name candidates in order, tag-only mirrors on a digest pull,
 * signature requirements, the first failure shown in the table.
 */
import {expect} from 'chai';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {loadManifests} from '../../src/model/manifests.js';
import {firstFailure, planImage, runPlan, type PlannedEndpoint, type ProbeOutcome} from '../../src/model/mirror-check.js';
import {prepareExplainer} from '../../src/services/explain.js';

const ROOT = join(import.meta.dirname, '..', '..');
const D = `sha256:${'d'.repeat(64)}`;

function explainer(yaml: string) {
  return prepareExplainer(loadManifests([{file: 'm.yaml', text: yaml}]), {warn: () => {}});
}

/** A probe from a table host/path prefix -> status; everything else is missing. */
function probeFrom(table: Record<string, ProbeOutcome['status']>, calls: string[]) {
  return async (e: PlannedEndpoint): Promise<ProbeOutcome> => {
    calls.push(e.reference);
    const hit = Object.entries(table).find(([k]) => e.reference.startsWith(k));
    return {status: hit ? hit[1] : 'missing'};
  };
}

describe('model/mirror-check rules on explain answers', () => {
  it('short-name-candidates-are-tried-in-search-order-until-one-serves', async () => {
    const ex = explainer(`apiVersion: config.openshift.io/v1
kind: Image
metadata: {name: cluster}
spec:
  registrySources:
    containerRuntimeSearchRegistries: [first.example.com, second.example.com]
`);
    const calls: string[] = [];
    const r = await runPlan(planImage('team/app:1', ex.explain('team/app:1'), new Set()), probeFrom({'second.example.com/': 'served'}, calls), false);
    expect(calls).to.deep.equal(['first.example.com/team/app:1', 'second.example.com/team/app:1']);
    expect([r.verdict, r.servedBy]).to.deep.equal(['source', 'second.example.com/team/app']);
    expect(firstFailure(r)).to.equal('first.example.com/team/app: missing');
  });

  it('tag-only-mirrors-are-skipped-for-a-digest-pull', async () => {
    const ex = explainer(`apiVersion: config.openshift.io/v1
kind: Image
metadata: {name: cluster}
spec: {}
---
apiVersion: config.openshift.io/v1
kind: ImageTagMirrorSet
metadata: {name: t}
spec:
  imageTagMirrors:
  - source: src.example.com/team
    mirrors: [tags.example.com/team]
`);
    const calls: string[] = [];
    const digest = await runPlan(planImage(`src.example.com/team/app@${D}`, ex.explain(`src.example.com/team/app@${D}`), new Set()), probeFrom({'src.example.com/': 'served'}, calls), false);
    expect(digest.endpoints.map((e) => [e.status, e.reason])).to.deep.equal([
      ['skipped', 'pull-from-mirror = "tag-only" and this is a digest pull'],
      ['served', undefined],
    ]);
    const tag = await runPlan(planImage('src.example.com/team/app:1', ex.explain('src.example.com/team/app:1'), new Set()), probeFrom({'tags.example.com/': 'served'}, calls), false);
    expect([tag.verdict, tag.servedBy]).to.deep.equal(['mirror', 'tags.example.com/team']);
  });

  it('a-signature-requirement-is-noted-not-verified', async () => {
    const ex = explainer(readFileSync(join(ROOT, 'examples', 'signature-policy-default.yaml'), 'utf8'));
    const ref = 'quay.io/openshift-release-dev/ocp-release:4.18.1';
    const r = await runPlan(planImage(ref, ex.explain(ref), new Set()), probeFrom({'quay.io/': 'served'}, []), false);
    expect(r.verdict).to.equal('source');
    expect(r.notes?.[0]).to.match(/^quay\.io\/openshift-release-dev\/ocp-release:4\.18\.1: policy requires a signature \(.*sigstoreSigned.*\); the node pulls it only if the image is signed/);
  });

  it('unreachable-only-failures-are-uncertain-and-certain-ones-are-not', async () => {
    const ex = explainer(`apiVersion: config.openshift.io/v1
kind: Image
metadata: {name: cluster}
spec: {}
---
apiVersion: config.openshift.io/v1
kind: ImageDigestMirrorSet
metadata: {name: m}
spec:
  imageDigestMirrors:
  - source: src.example.com/team
    mirrors: [m1.example.com/team]
`);
    const plan = planImage(`src.example.com/team/app@${D}`, ex.explain(`src.example.com/team/app@${D}`), new Set());
    const unsure = await runPlan(plan, probeFrom({'m1.example.com/': 'timeout'}, []), false);
    expect([unsure.verdict, unsure.uncertain]).to.deep.equal(['fail', true]);
    const sure = await runPlan(plan, probeFrom({}, []), false);
    expect([sure.verdict, sure.uncertain]).to.deep.equal(['fail', undefined]);
  });
});
