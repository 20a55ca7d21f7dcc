/**
 * Fuzzing manifests: arbitraries for hostile and near-valid manifest texts, and
 * the outcome of running one through the loader and the one evaluation (as
 * `render -f` does). Shared by the suite's bounded run and `npm run fuzz`.
 */
import fc from 'fast-check';
import {stringify} from 'yaml';
import {UserError} from '../../src/lib/errors.js';
import {loadManifests} from '../../src/model/manifests.js';
import {renderService} from '../../src/services/render.js';

export type Outcome = 'ok' | 'validation' | 'other' | 'crash';

const tokens = [
  '[', ']', '{', '}', ': ', ':', ', ', '- ', '\n', '\r\n', '  ', '    ', '&a ', '*a', '&b ', '*b', '---\n', '...\n', "'", '"', '# c', '|\n', '>-\n', '!!str ', '!!binary ', '? ',
  'on', 'yes', '~', 'null', '0x1f', '1e3', '0o17', '-.inf', '\\', '\u0000', '\uFEFF', 'é',
  'apiVersion: config.openshift.io/v1\n', 'kind: Image\n', 'kind: ImageDigestMirrorSet\n', 'kind: ClusterVersion\n', 'kind: ConfigMap\napiVersion: v1\n', 'kind: List\napiVersion: v1\nitems:\n',
  'metadata:\n  name: cluster\n', 'metadata:\n  name: Bad_Name\n', 'spec:\n', 'status:\n  desired:\n    image: ', '  registrySources:\n', '    blockedRegistries:\n', '    allowedRegistries: [', '    containerRuntimeSearchRegistries:\n',
  '  imageDigestMirrors:\n  - source: ', '    mirrors:\n    - ', 'data:\n  ', '__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty',
  'quay.io', 'reg.io:5000/ns', '*.example.com', 'Quay.IO', 'reg.io:0', 'reg.io:70000', 'localhost', 'sha256:' + 'a'.repeat(64), '@',
];

/** Token soup: mostly broken YAML, sometimes a manifest. */
export const tokenSoup = fc.array(fc.constantFrom(...tokens), {maxLength: 60}).map((t) => t.join(''));

const anyValue = fc.oneof(
  fc.constantFrom('quay.io', 'reg.io/ns', '*.example.com', 'Quay.io/NS', 'reg.io:0', 'on', '', 'constructor', '__proto__', 'a'.repeat(300)),
  fc.string({maxLength: 20}),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const key = fc.oneof(fc.constantFrom('blockedRegistries', 'allowedRegistries', 'insecureRegistries', 'containerRuntimeSearchRegistries', 'constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'), fc.string({maxLength: 8}));
const looseMap = fc.dictionary(key, fc.oneof(anyValue, fc.array(anyValue, {maxLength: 4})), {maxKeys: 4});

const objects = fc.oneof(
  fc.record({apiVersion: fc.constant('config.openshift.io/v1'), kind: fc.constant('Image'), metadata: fc.record({name: fc.constantFrom('cluster', 'Bad_Name', 'x')}), spec: fc.record({registrySources: looseMap})}),
  fc.record({
    apiVersion: fc.constant('config.openshift.io/v1'),
    kind: fc.constantFrom('ImageDigestMirrorSet', 'ImageTagMirrorSet'),
    metadata: fc.record({name: fc.constantFrom('a', 'Bad_Name', 'b.c')}),
    spec: fc.record({imageDigestMirrors: fc.array(fc.record({source: anyValue, mirrors: fc.array(anyValue, {maxLength: 3})}), {maxLength: 3})}),
  }),
  fc.record({apiVersion: fc.constant('config.openshift.io/v1'), kind: fc.constant('ClusterVersion'), metadata: fc.record({name: fc.constant('version')}), status: fc.option(fc.record({desired: fc.record({image: anyValue})}), {nil: undefined})}),
  fc.record({apiVersion: fc.constant('v1'), kind: fc.constant('ConfigMap'), metadata: fc.record({name: fc.constantFrom('ca', 'Bad_Name'), namespace: fc.constant('openshift-config')}), data: looseMap}),
  fc.record({apiVersion: fc.constantFrom('config.openshift.io/v1', 'v1'), kind: fc.constantFrom('constructor', 'toString', '__proto__', 'Imag'), metadata: fc.record({name: fc.constant('x')})}),
);

/** Near-valid manifests (objects this tool reads, with hostile values), as YAML or JSON. */
export const manifestText = fc.tuple(fc.array(objects, {minLength: 1, maxLength: 4}), fc.boolean()).map(([objs, json]) =>
  json ? JSON.stringify({apiVersion: 'v1', kind: 'List', items: objs}, null, 2) : objs.map((o) => stringify(o)).join('---\n'),
);

export const anyManifest = fc.oneof(tokenSoup, manifestText);

/** What `render -f` would end with for this text: 0 ok, 2 validation, another user error, or a crash (exit 70). */
export function outcomeOf(text: string): {outcome: Outcome; error?: unknown} {
  try {
    const loaded = loadManifests([{file: 'fuzz.yaml', text}]);
    if (loaded.problems.length > 0) return {outcome: 'validation'};
    renderService(loaded, {warn: () => undefined});
    return {outcome: 'ok'};
  } catch (e) {
    if (e instanceof UserError) return {outcome: e.exitCode === 2 ? 'validation' : 'other'};
    return {outcome: 'crash', error: e};
  }
}
