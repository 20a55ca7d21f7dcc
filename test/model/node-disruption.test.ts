/**
 * Node disruption as the machine-config daemon decides it (openshift/machine-config-operator):
 * - registries.conf safe-change vectors: pkg/daemon/drain.go isSafeContainerRegistryConfChanges
 *   (removed registry/mirror, prefix/location/blocked/insecure change, pull-from-mirror no longer
 *   digest-only, added mirror or registry not digest-only => drain; mirror flags and order are not compared);
 * - cluster policies: pkg/apihelpers MergeClusterPolicies + defaultClusterPolicies, pkg/daemon/update.go
 *   calculatePostConfigChangeNodeDisruptionActionFromMCDiffs, pkg/controller/common FindClosestFilePolicyPathMatch;
 * - before 4.17: update.go calculatePostConfigChangeActionFromMCDiffs + drain.go isDrainRequired.
 */
import {expect} from 'chai';
import jsyaml from 'js-yaml';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {registriesConfDrainReason} from '../../src/model/disruption.js';
import {editorFor, type CurrentObject} from '../../src/model/edit.js';
import {closestFilePolicy, defaultClusterPolicies, disruptionRules, fileVerdict, mergeClusterPolicies, parseRelease, poolVerdict} from '../../src/model/node-disruption.js';
import {plan} from '../../src/render/plan.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'node-disruption');
const mc = (name: string) => jsyaml.load(readFileSync(join(FIX, `${name}.yaml`), 'utf8')) as Record<string, unknown>;
const SEARCH = '/etc/containers/registries.conf.d/01-image-searchRegistries.conf';
const REG = '/etc/containers/registries.conf';
const RELEASE = `quay.io/openshift-release-dev/ocp-release@sha256:${'a'.repeat(64)}`;

interface Vector {
  condition: string;
  before: string;
  after: string;
  drain: boolean;
  reasonContains?: string;
}

describe('registries.conf safe-change rule (drain.go isSafeContainerRegistryConfChanges): vectors', () => {
  const vectors = JSON.parse(readFileSync(join(FIX, 'registries-conf-safe-changes.json'), 'utf8')) as Vector[];
  it('covers additions and removals of mirrors and registries, blocked, insecure and the search list', () => {
    expect(vectors.length).to.be.greaterThan(20);
    expect(vectors.filter((v) => v.drain).length).to.be.greaterThan(8);
    expect(vectors.filter((v) => !v.drain).length).to.be.greaterThan(5);
  });
  for (const v of vectors) {
    it(`${v.condition}: ${v.drain ? 'drain' : 'no drain'}`, () => {
      const why = registriesConfDrainReason(v.before, v.after);
      expect(why !== undefined, why).to.equal(v.drain);
      if (v.reasonContains) expect(why).to.contain(v.reasonContains);
      // The same rule decides the Special action of the default policy for registries.conf.
      const verdict = fileVerdict(REG, v.before, v.after, disruptionRules({version: '4.18.2'}).rules);
      expect(verdict.drain).to.equal(v.drain);
      expect(verdict.level).to.equal(v.drain ? 'drain' : 'crio-reload');
    });
  }
});

describe('cluster node disruption policies (MachineConfiguration/cluster)', () => {
  const rulesFor = (fixture: string | undefined, version = '4.18.2') => disruptionRules({machineConfiguration: fixture ? {body: mc(fixture), source: `${fixture}.yaml`} : undefined, version});

  it('defaults: registries.conf Special, policy.json and registries.d reload CRI-O, the search drop-in has no policy (reboot)', () => {
    for (const r of [rulesFor(undefined), rulesFor('machineconfiguration-defaults')]) {
      expect(r.problems).to.deep.equal([]);
      expect(fileVerdict(SEARCH, undefined, 'x', r.rules)).to.include({level: 'drain-reboot', drain: true});
      expect(fileVerdict('/etc/containers/policy.json', '{}', '{"a":1}', r.rules).level).to.equal('crio-reload');
      expect(fileVerdict('/etc/containers/registries.d/sigstore-registries.yaml', undefined, 'x', r.rules).level).to.equal('crio-reload');
    }
    expect(rulesFor(undefined).rules.basis).to.equal('OpenShift 4.18.2: default node disruption policies (no MachineConfiguration/cluster)');
    expect(rulesFor('machineconfiguration-defaults').rules.origin).to.equal('spec');
  });

  it('a custom file policy for the search drop-in: CRI-O reload instead of drain and reboot, and the rule says so', () => {
    const r = rulesFor('machineconfiguration-custom-file-policy');
    expect(r.problems).to.deep.equal([]);
    const v = fileVerdict(SEARCH, undefined, 'x', r.rules);
    expect(v).to.include({level: 'crio-reload', drain: false});
    expect(v.rule).to.equal(`cluster policy (defaults merged with the spec) for ${SEARCH}: Reload crio.service`);
    // registries.conf with Reload instead of Special: no safe-change check, so a removal does not drain.
    const removal = fileVerdict(REG, '[[registry]]\n  location = "a.io"\n', '', r.rules);
    expect(removal).to.include({level: 'crio-reload', drain: false});
    expect(removal.reason).to.contain('the safe-change check only runs for the Special action');
    // policy.json: Drain then Reload.
    expect(fileVerdict('/etc/containers/policy.json', '{}', '{"a":1}', r.rules)).to.include({level: 'drain', drain: true});
  });

  it('an sshkey-only policy leaves every file on the defaults', () => {
    const r = rulesFor('machineconfiguration-sshkey-only');
    expect(r.rules.policies.files).to.deep.equal(defaultClusterPolicies(parseRelease('4.18.2')).files);
    expect(r.rules.policies.sshkey.actions).to.deep.equal([{type: 'Drain'}]);
    expect(fileVerdict(SEARCH, undefined, 'x', r.rules).level).to.equal('drain-reboot');
  });

  it('a current status is used as it is (a directory policy covers the drop-in); a stale one is replaced by defaults + spec', () => {
    const cur = rulesFor('machineconfiguration-status-search-none');
    expect(cur.rules.origin).to.equal('status');
    expect(cur.rules.basis).to.contain('status.nodeDisruptionPolicyStatus.clusterPolicies');
    expect(fileVerdict(SEARCH, undefined, 'x', cur.rules)).to.include({level: 'none', rule: 'cluster policy for /etc/containers/registries.conf.d: None'});
    const stale = rulesFor('machineconfiguration-status-stale');
    expect(stale.rules.origin).to.equal('spec');
    expect(stale.rules.basis).to.contain('observedGeneration');
    expect(fileVerdict(SEARCH, undefined, 'x', stale.rules)).to.include({level: 'services', reason: `${SEARCH}: CRI-O restart`});
  });

  it('a bad action is a problem naming the field and value', () => {
    const r = rulesFor('machineconfiguration-bad-action');
    expect(r.problems).to.have.length(1);
    expect(r.problems[0]).to.include({field: 'MachineConfiguration/cluster spec.nodeDisruptionPolicy.files[0].actions[0].type', value: 'Rebot'});
  });

  it('an action in the operator status this tool does not know (a newer release) counts as Reboot, not as an error', () => {
    const body = mc('machineconfiguration-status-search-none');
    const files = ((body.status as Record<string, Record<string, Record<string, unknown[]>>>).nodeDisruptionPolicyStatus!.clusterPolicies!.files as Array<{actions: unknown[]}>);
    files[1]!.actions = [{type: 'FutureAction'}];
    const r = disruptionRules({machineConfiguration: {body}, version: '5.1.0'});
    expect(r.problems).to.deep.equal([]);
    expect(fileVerdict('/etc/containers/policy.json', '{}', '{"a":1}', r.rules).level).to.equal('drain-reboot');
  });

  it('merge: a spec entry replaces the default with the same path, others are appended; longest path wins', () => {
    const d = defaultClusterPolicies();
    const m = mergeClusterPolicies(d, {files: [{path: REG, actions: [{type: 'None'}]}, {path: '/etc/containers', actions: [{type: 'Drain'}]}]});
    expect(m.files.length).to.equal(d.files.length + 1);
    expect(m.files.find((f) => f.path === REG)!.actions).to.deep.equal([{type: 'None'}]);
    expect(closestFilePolicy('/etc/containers/policy.json', m.files)!.path).to.equal('/etc/containers/policy.json');
    expect(closestFilePolicy(SEARCH, m.files)!.path).to.equal('/etc/containers');
    expect(closestFilePolicy('/etc/containers2/x', m.files)).to.equal(undefined);
  });

  it('defaults per release: /etc/crio/policies from 4.18 (4.17 reboots), legacy rules before 4.17', () => {
    const crio = '/etc/crio/policies/team-a.json';
    expect(fileVerdict(crio, undefined, '{}', rulesFor(undefined, '4.17.9').rules).level).to.equal('drain-reboot');
    expect(fileVerdict(crio, undefined, '{}', rulesFor(undefined, '4.18.0').rules).level).to.equal('crio-reload');
    const legacy = rulesFor('machineconfiguration-custom-file-policy', '4.16.20').rules;
    expect(legacy.mode).to.equal('legacy');
    // No node disruption policies before 4.17: the custom policy does not apply.
    expect(fileVerdict(SEARCH, undefined, 'x', legacy)).to.include({level: 'drain-reboot'});
    expect(fileVerdict(SEARCH, undefined, 'x', legacy).rule).to.contain('calculatePostConfigChangeActionFromMCDiffs');
    expect(fileVerdict('/etc/containers/registries.d/x.yaml', undefined, 'x', legacy).level).to.equal('crio-reload');
    expect(fileVerdict('/etc/containers/registries.d/x.yaml', undefined, 'x', rulesFor(undefined, '4.15.3').rules).level).to.equal('drain-reboot');
  });

  it('pool: Reboot wins alone, None is dropped, a CRI-O restart covers a reload', () => {
    const r = rulesFor('machineconfiguration-status-stale').rules;
    const search = fileVerdict(SEARCH, undefined, 'x', r);
    const pol = fileVerdict('/etc/containers/policy.json', '{}', '{"a":1}', r);
    expect(poolVerdict([search, pol])).to.include({level: 'services', text: 'CRI-O restart (no drain, no reboot)'});
    const d = disruptionRules({}).rules;
    expect(poolVerdict([fileVerdict(SEARCH, undefined, 'x', d), pol]).text).to.equal('drain and reboot');
    expect(poolVerdict([]).text).to.equal('none');
  });
});

describe('plan() uses the cluster rules for every edit', () => {
  const objs = (...extra: Array<Record<string, unknown>>): CurrentObject[] =>
    [
      {apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: {name: 'cluster'}, spec: {}},
      {apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', metadata: {name: 'version'}, status: {desired: {image: RELEASE, version: '4.18.2'}}},
      ...extra,
    ].map((body) => ({kind: body.kind as string, name: (body.metadata as {name: string}).name, body, source: `${body.kind}.yaml:1`}));
  const searchAdd = editorFor({type: 'list', list: 'search', op: 'add', values: ['registry.example.com']});

  it('search add: drain and reboot by default, CRI-O reload with a policy for the search drop-in; rule per file', () => {
    const byDefault = plan(objs(), searchAdd);
    expect(byDefault.disruption.map((d) => d.level)).to.deep.equal(['drain-reboot', 'drain-reboot']);
    const custom = plan(objs(mc('machineconfiguration-custom-file-policy')), searchAdd);
    expect(custom.errors).to.deep.equal([]);
    expect(custom.disruption.map((d) => `${d.pool}: ${d.text}`)).to.deep.equal(['master: CRI-O reload (no drain, no reboot)', 'worker: CRI-O reload (no drain, no reboot)']);
    expect(custom.disruption[0]!.release).to.contain('spec.nodeDisruptionPolicy');
    expect(custom.files.map((f) => f.disruption.rule)).to.deep.equal([`cluster policy (defaults merged with the spec) for ${SEARCH}: Reload crio.service`]);
    const none = plan(objs(mc('machineconfiguration-status-search-none')), searchAdd);
    expect(none.pools).to.deep.equal([]);
    expect(none.disruption[0]!.text).to.equal('none');
  });

  it('a paused pool gets the same prediction, with a note that it waits until unpaused', () => {
    const pool = (name: string, paused: boolean) => ({apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineConfigPool', metadata: {name}, spec: {paused, machineConfigSelector: {matchLabels: {'machineconfiguration.openshift.io/role': name}}}});
    const p = plan(objs(pool('master', false), pool('worker', true)), searchAdd);
    expect(p.disruption.map((d) => `${d.pool}:${d.level}`)).to.deep.equal(['master:drain-reboot', 'worker:drain-reboot']);
    expect(p.disruption[1]!.reasons.at(-1)).to.equal('pool worker is paused (spec.paused): its nodes do this only once it is unpaused');
    expect(p.disruption[0]!.reasons.join('\n')).to.not.contain('paused');
  });

  it('a MachineConfiguration with a bad action makes the edit an error', () => {
    const p = plan(objs(mc('machineconfiguration-bad-action')), searchAdd);
    expect(p.errors.map((e) => e.field)).to.include('MachineConfiguration/cluster spec.nodeDisruptionPolicy.files[0].actions[0].type');
  });
});
