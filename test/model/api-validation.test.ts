/** Item 11: what the API server refuses is refused in file mode too; what never matches is a warning. */
import {expect} from 'chai';
import {formatProblem} from '../../src/lib/errors.js';
import {loadManifests} from '../../src/model/manifests.js';
import {evaluate} from '../../src/render/evaluate.js';

const image = (rs: string) => `apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  registrySources:\n${rs}`;
const idms = (name: string, source: string, mirror: string) =>
  `apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: ${name}\nspec:\n  imageDigestMirrors:\n  - source: ${source}\n    mirrors:\n    - ${mirror}\n`;

function evalText(text: string) {
  const ev = evaluate(loadManifests([{file: 'm.yaml', text}]));
  return {errors: ev.errors.map(formatProblem), warnings: ev.warnings};
}

describe('API server validation in file mode', () => {
  it('an object name that is not a DNS-1123 subdomain is refused (mirror sets, ConfigMaps, policies)', () => {
    const {errors} = evalText(`${image('    blockedRegistries: [a.io]\n')}---\n${idms('Bad_Name', 'quay.io/ns', 'mirror.local/ns')}`);
    expect(errors.join('\n')).to.match(/m\.yaml:1[0-9]: ImageDigestMirrorSet\/Bad_Name metadata\.name "Bad_Name": .*DNS-1123/);
    const cm = evalText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: My.CA\n  namespace: openshift-config\ndata: {}\n');
    expect(cm.errors.join('\n')).to.match(/ConfigMap\/My\.CA metadata\.name "My\.CA": .*DNS-1123/);
    const long = evalText(idms('a'.repeat(254), 'quay.io/ns', 'mirror.local/ns'));
    expect(long.errors.join('\n')).to.match(/at most 253 characters/);
    const ok = evalText(idms('mirrors.example-1', 'quay.io/ns', 'mirror.local/ns'));
    expect(ok.errors).to.deep.equal([]);
  });

  it('a port outside 1-65535 (or 0) is refused in registry lists, mirror sources and mirrors', () => {
    for (const [text, field] of [
      [image('    blockedRegistries: ["reg.io:0"]\n'), 'blockedRegistries[0]'],
      [image('    insecureRegistries: ["reg.io:70000/ns"]\n'), 'insecureRegistries[0]'],
      [idms('a', 'reg.io:65536/ns', 'mirror.local/ns'), 'source'],
      [idms('a', 'quay.io/ns', 'mirror.local:0/ns'), 'mirrors[0]'],
    ] as const) {
      const {errors} = evalText(text);
      expect(errors.join('\n'), text).to.match(new RegExp(`${field.replace(/[[\]]/g, '\\$&')} "[^"]+": .*port \\d+ .*1-65535`));
    }
    expect(evalText(image('    blockedRegistries: ["reg.io:65535"]\n')).errors).to.deep.equal([]);
  });

  it('upper-case host names are a warning (they never match), in registry lists and mirror sets', () => {
    const {errors, warnings} = evalText(`${image('    blockedRegistries: [Untrusted.COM]\n')}---\n${idms('a', 'Quay.io/ns', 'mirror.local/ns')}`);
    expect(errors).to.deep.equal([]);
    const w = warnings.filter((x) => x.code === 'uppercase-host');
    expect(w.map((x) => x.message).join('\n')).to.include('Untrusted.COM').and.to.include('Quay.io/ns');
  });

  it('a search registry the allowlist does not allow is a warning', () => {
    const {warnings} = evalText(image('    allowedRegistries: [quay.io, registry.redhat.io, image-registry.openshift-image-registry.svc:5000]\n    containerRuntimeSearchRegistries: [reg.example.com]\n'));
    const w = warnings.find((x) => x.code === 'search-not-allowed');
    expect(w?.message).to.include('reg.example.com');
  });

  it('spec is required on Image and mirror sets; additionalTrustedCA needs a name', () => {
    const noSpec = evalText('apiVersion: config.openshift.io/v1\nkind: ImageTagMirrorSet\nmetadata:\n  name: a\n');
    expect(noSpec.errors.join('\n')).to.match(/ImageTagMirrorSet\/a spec: is required/);
    const ca = evalText('apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  additionalTrustedCA: {}\n');
    expect(ca.errors.join('\n')).to.match(/spec\.additionalTrustedCA\.name: is required/);
  });
});
