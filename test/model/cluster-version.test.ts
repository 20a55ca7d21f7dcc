/** Item 12: a ClusterVersion without status.desired.image stops MCO's sync; no ClusterVersion keeps the assumed release. */
import {expect} from 'chai';
import {loadManifests} from '../../src/model/manifests.js';
import {evaluate} from '../../src/render/evaluate.js';
import {formatProblem} from '../../src/lib/errors.js';

const image = 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  registrySources:\n    blockedRegistries: [quay.io]\n';
const cvNoImage = 'apiVersion: config.openshift.io/v1\nkind: ClusterVersion\nmetadata:\n  name: version\nstatus:\n  desired:\n    version: 4.18.3\n';

describe('ClusterVersion without status.desired.image', () => {
  it('is MCO refusing the whole sync (error parsing reference of release image), named at file:line', () => {
    const ev = evaluate(loadManifests([{file: 'cv.yaml', text: `${image}---\n${cvNoImage}`}]));
    expect(ev.machineConfig).to.equal(false);
    expect(ev.refusal, 'a refusal').to.not.equal(undefined);
    const line = formatProblem(ev.refusal!);
    expect(line).to.include('status.desired.image');
    expect(line).to.include('error parsing reference of release image');
    expect(ev.refusal!.source).to.match(/^cv\.yaml:1[0-5]$/);
    expect(ev.errors).to.include(ev.refusal);
  });

  it('an empty status (live object before the CVO wrote it) is refused the same way', () => {
    const ev = evaluate(loadManifests([{file: 'live', objects: [{apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', metadata: {name: 'version'}}, {apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: {name: 'cluster'}, spec: {}}]}]), {allowInvalid: true});
    expect(ev.refusal?.field).to.include('status.desired.image');
    expect(ev.machineConfig).to.equal(false);
  });

  it('no ClusterVersion at all keeps the assumed default release and its warning', () => {
    const ev = evaluate(loadManifests([{file: 'i.yaml', text: image}]));
    expect(ev.refusal).to.equal(undefined);
    expect(ev.release.assumed).to.equal(true);
    expect(ev.warnings.map((w) => w.code)).to.include('release-image-assumed');
  });
});
