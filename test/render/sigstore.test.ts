import {expect} from 'chai';
import fc from 'fast-check';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {goMarshal, type GoJson} from '../../src/render/gojson.js';
import {renderMco} from '../../src/render/mco.js';
import {McoPanic, policyRequirement, validScopePolicies} from '../../src/render/sigstore.js';
import {namespacedPolicyJsons} from '../../src/render/crio-policies.js';
import {encodeSigstoreYaml, policyFilesEquivalent, yamlKey, yamlKeyLess} from '../../src/render/sigstore-yaml.js';
import {McoError} from '../../src/render/edit-registries.js';
import {POLICY_JSON_PATH} from '../../src/model/node-files.js';
import {TEMPLATE_POLICY_JSON} from '../../src/render/templates.js';
import {HEADER, publicKeyPolicy, stateOf, vectorValue} from '../support/sigstore.js';

const KEY = vectorValue('user-cip-publickey', 'keyData');
const CA = vectorValue('user-cip-fulcio-ca-with-rekor', 'fulcioCAData');

const pk = (publicKey: Record<string, unknown>, signedIdentity?: Record<string, unknown>) => ({rootOfTrust: {policyType: 'PublicKey', publicKey}, signedIdentity});

function mcoError(fn: () => unknown): McoError {
  try {
    fn();
  } catch (e) {
    if (e instanceof McoError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('sigstore: policyItemFromSpec', () => {
  it('re-encodes line-wrapped base64 key data in canonical form', () => {
    const wrapped = KEY.replace(/(.{40})/g, '$1\n');
    expect(wrapped).to.not.equal(KEY);
    expect(policyRequirement(pk({keyData: wrapped})).keyData).to.equal(KEY);
  });

  it('writes fields in containers/image struct order and leaves out empty ones', () => {
    const req = policyRequirement({
      rootOfTrust: {policyType: 'FulcioCAWithRekor', fulcioCAWithRekor: {fulcioCAData: CA, rekorKeyData: KEY, fulcioSubject: {oidcIssuer: 'https://issuer.example.com', signedEmail: 'a@example.com'}}},
      signedIdentity: {matchPolicy: 'RemapIdentity', remapIdentity: {prefix: 'mirror.example.com/x', signedPrefix: 'quay.io/x'}},
    });
    expect(Object.keys(JSON.parse(goMarshal(req as GoJson)) as object)).to.deep.equal(['type', 'fulcio', 'rekorPublicKeyData', 'signedIdentity']);
    expect(req.signedIdentity).to.deep.equal({type: 'remapIdentity', prefix: 'mirror.example.com/x', signedPrefix: 'quay.io/x'});
  });

  it('an empty keyData still counts as a key source and yields a keyless requirement', () => {
    expect(policyRequirement(pk({keyData: ''}))).to.deep.include({type: 'sigstoreSigned', keyData: undefined});
    expect(mcoError(() => policyRequirement(pk({}))).message).to.equal('exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, and pki must be specified');
  });

  it('reports the root-of-trust constructor errors before the signedIdentity error', () => {
    const e = mcoError(() => policyRequirement({rootOfTrust: {policyType: 'FulcioCAWithRekor', fulcioCAWithRekor: {fulcioCAData: CA}}, signedIdentity: {matchPolicy: 'Foo'}}));
    expect(e.message).to.equal('oidcIssuer not specified');
    expect(mcoError(() => policyRequirement({rootOfTrust: {policyType: 'Foo'}, signedIdentity: {matchPolicy: ''}})).message).to.equal('unknown signedIdentity match policy: ');
  });

  it('checks remap prefixes as containers/image does', () => {
    expect(mcoError(() => policyRequirement(pk({keyData: KEY}, {matchPolicy: 'RemapIdentity', remapIdentity: {prefix: 'quay.io/x', signedPrefix: 'Bad Prefix'}}))).message).to.equal(
      'error getting signedIdentity for RemapIdentity: prefix "Bad Prefix" is not valid',
    );
    expect(policyRequirement(pk({keyData: KEY}, {matchPolicy: 'RemapIdentity', remapIdentity: {prefix: 'localhost:5000', signedPrefix: 'quay.io'}})).signedIdentity).to.deep.equal({
      type: 'remapIdentity',
      prefix: 'localhost:5000',
      signedPrefix: 'quay.io',
    });
    expect(mcoError(() => policyRequirement(pk({keyData: KEY}, {matchPolicy: 'ExactRepository', exactRepository: {repository: 'quay.io/Upper'}}))).message).to.match(
      /^error getting signedIdentity for ExactRepository: Invalid format of dockerRepository "quay.io\/Upper": /,
    );
  });

  it('panics like MCO when the union member for the chosen type is missing', () => {
    for (const policy of [
      {rootOfTrust: {policyType: 'PublicKey'}},
      {rootOfTrust: {policyType: 'FulcioCAWithRekor'}},
      {rootOfTrust: {policyType: 'PKI'}},
      {rootOfTrust: {policyType: 'PublicKey', publicKey: {keyData: KEY}}, signedIdentity: {matchPolicy: 'RemapIdentity'}},
      {rootOfTrust: {policyType: 'PublicKey', publicKey: {keyData: KEY}}, signedIdentity: {matchPolicy: 'ExactRepository'}},
    ]) {
      const e = mcoError(() => policyRequirement(policy));
      expect(e).to.be.instanceOf(McoPanic);
      expect(e.message).to.equal('runtime error: invalid memory address or nil pointer dereference');
    }
  });
});

describe('sigstore: scope policies and files', () => {
  it('gives the same result whatever order the objects come in', () => {
    const docs = [
      publicKeyPolicy('ClusterImagePolicy', 'b', ['quay.io/x'], KEY),
      publicKeyPolicy('ClusterImagePolicy', 'a', ['quay.io/x', 'quay.io/y'], KEY.replace('LS0t', 'LS0t')),
      publicKeyPolicy('ImagePolicy', 'p', ['quay.io/x/app', 'registry.example.com/t'], KEY, '', 'ns1'),
      publicKeyPolicy('ImagePolicy', 'q', ['registry.example.com/t'], KEY, '', 'ns0'),
    ];
    const reference = renderMco(stateOf(HEADER + 'spec: {}\n' + docs.join('')));
    fc.assert(
      fc.property(fc.shuffledSubarray(docs, {minLength: docs.length, maxLength: docs.length}), (order) => {
        expect(renderMco(stateOf(HEADER + 'spec: {}\n' + order.join('')))).to.deep.equal(reference);
      }),
      {numRuns: 30},
    );
    expect(reference.warnings.map((w) => w.code)).to.deep.equal(['order-dependent']);
    expect(reference.imagePolicyStatus.map((s) => `${s.namespace}/${s.name}:${s.conditions.length}`)).to.deep.equal(['ns0/q:0', 'ns1/p:1']);
    expect(reference.imagePolicyStatus[1]!.conditions[0]!.observedGeneration).to.equal(3);
  });

  it('drops ImagePolicy scopes inside a ClusterImagePolicy wildcard, not superscopes', () => {
    const sp = validScopePolicies(
      stateOf(
        HEADER +
          'spec: {}\n' +
          publicKeyPolicy('ClusterImagePolicy', 'c', ['*.example.com', 'quay.io/org/app'], KEY) +
          publicKeyPolicy('ImagePolicy', 'p', ['registry.example.com/x', 'quay.io/org', 'example.com/x'], KEY, '', 'team-n'),
      ).policies,
    );
    expect([...sp.namespaced.keys()]).to.deep.equal(['quay.io/org', 'example.com/x']);
    expect(sp.conflicts[0]!.scopes).to.deep.equal(['registry.example.com/x']);
  });

  it('writes the template policy.json unchanged when only ImagePolicies exist', () => {
    const out = renderMco(stateOf(HEADER + 'spec: {}\n' + publicKeyPolicy('ImagePolicy', 'p', ['quay.io/a'], KEY, '', 'team-n')));
    expect(out.files.find((f) => f.path === POLICY_JSON_PATH)!.content).to.equal(TEMPLATE_POLICY_JSON);
    expect(out.files.map((f) => f.path)).to.deep.equal([POLICY_JSON_PATH, '/etc/containers/registries.d/sigstore-registries.yaml', '/etc/crio/policies/team-n.json']);
  });

  it('ignores both kinds when the SigstoreImageVerification gate is off', () => {
    const out = renderMco(stateOf(HEADER + 'spec: {}\n' + publicKeyPolicy('ClusterImagePolicy', 'c', ['quay.io/a'], KEY)), {sigstore: false});
    expect(out.files).to.deep.equal([]);
  });

  it('a keyless cluster requirement breaks the namespace step when containers/image re-reads it', () => {
    const cluster = renderMco(stateOf(HEADER + 'spec: {}\n' + publicKeyPolicy('ClusterImagePolicy', 'c', ['quay.io/a'], ''))).files[0]!.content;
    expect(cluster).to.include('"type": "sigstoreSigned",\n          "signedIdentity"');
    const e = mcoError(() => namespacedPolicyJsons(cluster, undefined, undefined, new Map([['quay.io/b', new Map([['n', [{type: 'reject'}]]])]])));
    expect(e.message).to.equal('error decoding policy json for namespaced policies: exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, and pki must be specified');
  });
});

describe('sigstore: sigstore-registries.yaml encoding (ghodss/yaml, yaml.v2)', () => {
  it('sorts keys the yaml.v2 way: digit runs by value, non-letters before letters', () => {
    expect(yamlKeyLess('r.io/app9', 'r.io/app10')).to.equal(true);
    expect(yamlKeyLess('r.io/app10', 'r.io/app9')).to.equal(false);
    expect(yamlKeyLess('r.io/a-b', 'r.io/ab')).to.equal(true);
    expect(yamlKeyLess('r.io/x', 'r.io/x/y')).to.equal(true);
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9./:-]{0,12}$/), fc.stringMatching(/^[a-z0-9./:-]{0,12}$/), (a, b) => {
        expect(yamlKeyLess(a, b) && yamlKeyLess(b, a)).to.equal(false);
      }),
    );
  });

  it('quotes only where yaml.v2 must', () => {
    expect(yamlKey('*.example.com')).to.equal("'*.example.com'");
    expect(yamlKey('localhost:5000/dev')).to.equal('localhost:5000/dev');
    expect(yamlKey('1.5')).to.equal('"1.5"');
    expect(yamlKey('10.0.0.1:5000/x')).to.equal('10.0.0.1:5000/x');
  });

  it('writes keys over 128 characters in the explicit form', () => {
    const long = 'registry.example.com/' + 'a'.repeat(120);
    expect(encodeSigstoreYaml([long, 'quay.io'])).to.equal(`docker:\n  quay.io:\n    use-sigstore-attachments: true\n  ? ${long}\n  : use-sigstore-attachments: true\n`);
  });
});

describe('sigstore: outcomes that depend on MCO\'s random order', () => {
  it('warns when several objects are broken and MCO may report any of them', () => {
    const broken = (name: string) => publicKeyPolicy('ClusterImagePolicy', name, ['quay.io/' + name], KEY).replace('policyType: PublicKey', 'policyType: Foo');
    const one = renderMco(stateOf(HEADER + 'spec: {}\n' + broken('a')));
    expect(one.error?.message).to.equal('exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, and pki must be specified');
    expect(one.warnings).to.deep.equal([]);
    const two = renderMco(stateOf(HEADER + 'spec: {}\n' + broken('a') + broken('b')));
    expect(two.warnings.map((w) => w.code)).to.deep.equal(['order-dependent']);
    expect(two.warnings[0]!.message).to.include('ClusterImagePolicy a, ClusterImagePolicy b');
    // A broken ImagePolicy cannot win over a broken ClusterImagePolicy: no doubt about which error shows.
    const mixed = renderMco(stateOf(HEADER + 'spec: {}\n' + broken('a') + publicKeyPolicy('ImagePolicy', 'p', ['quay.io/p'], KEY, '', 'team-x').replace('policyType: PublicKey', 'policyType: Foo')));
    expect(mixed.warnings).to.deep.equal([]);
  });
});

describe('sigstore: policyFilesEquivalent (for verify)', () => {
  const variants = (c: string, f: string) => [1, 2].map((n) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'vectors-sigstore', c, 'expected-variants', String(n), f), 'utf8'));

  it('treats the lister-order variants MCO produced as the same policy', () => {
    const [a, b] = variants('user-cip-two-policies-same-scope-variants', 'etc/containers/policy.json');
    expect(a).to.not.equal(b);
    expect(policyFilesEquivalent(a!, b!)).to.equal(true);
    const [c, d] = variants('imagepolicy-two-policies-same-namespace-same-scope-variants', 'etc/crio/policies/team-a.json');
    expect(policyFilesEquivalent(c!, d!)).to.equal(true);
  });

  it('still reports a real difference', () => {
    const [a] = variants('user-cip-two-policies-same-scope-variants', 'etc/containers/policy.json');
    expect(policyFilesEquivalent(a!, a!.replace('"matchRepoDigestOrExact"', '"matchRepository"'))).to.equal(false);
    expect(policyFilesEquivalent(a!, a! + '\n')).to.equal(false);
    expect(policyFilesEquivalent(a!, TEMPLATE_POLICY_JSON)).to.equal(false);
  });
});
