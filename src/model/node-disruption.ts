/**
 * Node disruption exactly as the machine-config daemon decides it, from the
 * cluster's own rules. Pure. Upstream (openshift/machine-config-operator):
 *
 * - OpenShift 4.17 and later (node disruption policies GA):
 *   pkg/daemon/update.go calculatePostConfigChangeNodeDisruptionAction reads
 *   MachineConfiguration/cluster status.nodeDisruptionPolicyStatus.clusterPolicies
 *   (it waits until status.observedGeneration == metadata.generation), then
 *   calculatePostConfigChangeNodeDisruptionActionFromMCDiffs: per changed file the
 *   policy with the longest matching path (pkg/controller/common/helpers.go
 *   FindClosestFilePolicyPathMatch: exact path or a parent directory), no policy
 *   = Reboot; any Reboot wins alone; None is dropped next to other actions.
 *   pkg/daemon/drain.go isDrainRequiredForNodeDisruptionActions: drain on Reboot
 *   or Drain; on Special (only /etc/containers/registries.conf has it) drain
 *   unless isSafeContainerRegistryConfChanges says the registries.conf change is safe.
 *   The status is the operator's merge (pkg/apihelpers/apihelpers.go
 *   MergeClusterPolicies): defaults (defaultClusterPolicies, which grew per
 *   release: /etc/crio/policies from 4.18, credential providers and IRI from 4.22)
 *   with spec.nodeDisruptionPolicy; a spec file/unit with the same path/name
 *   replaces the default entry, a non-empty spec sshkey replaces the default.
 * - Before 4.17: pkg/daemon/update.go calculatePostConfigChangeActionFromMCDiffs
 *   (fixed lists; registries.d counted from 4.16, only its direct children) and
 *   drain.go isDrainRequired (drain on reboot, or when registries.conf changed
 *   unsafely with a CRI-O reload/restart).
 * The daemon's certificate writer (certs.d) is outside any MachineConfig.
 */
import type {Problem} from '../lib/errors.js';
import {isPlainObject} from '../lib/objects.js';
import {DISRUPTION_ORDER, registriesConfDrainReason, type DisruptionLevel, type FileDisruption} from './disruption.js';
import {CONTAINERS_GPG_PUB_PATH, CRIO_POLICIES_DIR, DOCKER_CERTS_DIR, POLICY_JSON_PATH, REGISTRIES_CONF_PATH, REGISTRIES_D} from './node-files.js';

export type ActionType = 'Reboot' | 'Drain' | 'Reload' | 'Restart' | 'DaemonReload' | 'None' | 'Special';
export const SPEC_ACTIONS: ActionType[] = ['Reboot', 'Drain', 'Reload', 'Restart', 'DaemonReload', 'None'];
const STATUS_ACTIONS: ActionType[] = [...SPEC_ACTIONS, 'Special'];

export interface PolicyAction {
  type: ActionType;
  /** Reload / Restart: the systemd unit. */
  serviceName?: string;
}
export interface FilePolicy {
  path: string;
  actions: PolicyAction[];
}
export interface UnitPolicy {
  name: string;
  actions: PolicyAction[];
}
export interface ClusterPolicies {
  files: FilePolicy[];
  units: UnitPolicy[];
  sshkey: {actions: PolicyAction[]};
}

export interface Release {
  major: number;
  minor: number;
}

export interface DisruptionRules {
  mode: 'policies' | 'legacy';
  /** The merged cluster policies (policies mode). */
  policies: ClusterPolicies;
  /** Who made `policies`: the operator's status, our merge of the defaults with the spec, or the defaults alone. */
  origin: 'status' | 'spec' | 'defaults';
  release?: Release;
  version?: string;
  /** One line: the release and where the rules come from. */
  basis: string;
}

const REGISTRIES_CONF = REGISTRIES_CONF_PATH;
const CRIO = 'crio.service';
const UPDATE_CA_TRUST = 'coreos-update-ca-trust.service';
const KUBELET = 'kubelet.service';
const IRI = 'iri-registry.service';
const DAEMON_DIRS = [DOCKER_CERTS_DIR];

const reload = (s: string): PolicyAction => ({type: 'Reload', serviceName: s});
const restart = (s: string): PolicyAction => ({type: 'Restart', serviceName: s});

export function parseRelease(version: string | undefined): Release | undefined {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  return m ? {major: Number(m[1]), minor: Number(m[2])} : undefined;
}

const atLeast = (r: Release | undefined, major: number, minor: number) => !r || r.major > major || (r.major === major && r.minor >= minor);

/** pkg/apihelpers defaultClusterPolicies as shipped by each release (undefined: the newest). */
export function defaultClusterPolicies(release?: Release): ClusterPolicies {
  const files: FilePolicy[] = [
    {path: '/var/lib/kubelet/config.json', actions: [{type: 'None'}]},
    {path: CONTAINERS_GPG_PUB_PATH, actions: [reload(CRIO)]},
    {path: POLICY_JSON_PATH, actions: [reload(CRIO)]},
    {path: REGISTRIES_CONF, actions: [{type: 'Special'}]},
    {path: REGISTRIES_D, actions: [reload(CRIO)]},
  ];
  if (atLeast(release, 4, 18)) files.push({path: CRIO_POLICIES_DIR, actions: [reload(CRIO)]});
  files.push({path: '/etc/nmstate/openshift', actions: [{type: 'None'}]}, {path: '/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt', actions: [restart(UPDATE_CA_TRUST), restart(CRIO)]});
  const units: UnitPolicy[] = [];
  if (atLeast(release, 4, 22)) {
    files.push(
      {path: '/etc/kubernetes/credential-providers', actions: [restart(KUBELET)]},
      {path: '/etc/systemd/system/kubelet.service.d/40-kubelet-crio-image-credential-provider.conf', actions: [{type: 'DaemonReload'}, restart(KUBELET)]},
      {path: '/etc/iri-registry', actions: [restart(IRI)]},
      {path: '/usr/local/bin/load-registry-image.sh', actions: [restart(IRI)]},
      {path: '/etc/pki/ca-trust/source/anchors/iri-root-ca.crt', actions: [restart(UPDATE_CA_TRUST)]},
    );
    units.push({name: IRI, actions: [{type: 'DaemonReload'}, restart(IRI)]});
  }
  return {files, units, sshkey: {actions: [{type: 'None'}]}};
}

/** pkg/apihelpers MergeClusterPolicies: spec entries replace defaults with the same path/name, others are appended. */
export function mergeClusterPolicies(defaults: ClusterPolicies, spec: Partial<ClusterPolicies>): ClusterPolicies {
  const files = defaults.files.map((f) => ({...f}));
  for (const f of spec.files ?? []) {
    const i = files.findIndex((d) => d.path === f.path);
    if (i >= 0 && i < defaults.files.length) files[i] = f;
    else files.push(f);
  }
  const units = defaults.units.map((u) => ({...u}));
  for (const u of spec.units ?? []) {
    const i = units.findIndex((d) => d.name === u.name);
    if (i >= 0 && i < defaults.units.length) units[i] = u;
    else units.push(u);
  }
  const sshkey = spec.sshkey && spec.sshkey.actions.length > 0 ? spec.sshkey : defaults.sshkey;
  return {files, units, sshkey};
}

type Obj = Record<string, unknown>;

function parseActions(v: unknown, field: string, allowed: ActionType[], problems: Problem[], source?: string, lenient = false): PolicyAction[] {
  if (!Array.isArray(v)) {
    problems.push({field, message: 'must be a list of actions', source});
    return [];
  }
  const out: PolicyAction[] = [];
  v.forEach((a, i) => {
    const type = isPlainObject(a) ? a.type : undefined;
    if (typeof type !== 'string' || !allowed.includes(type as ActionType)) {
      if (lenient) {
        out.push({type: 'Reboot'});
        return;
      }
      problems.push({field: `${field}[${i}].type`, value: type, message: `must be one of ${allowed.join(', ')}`, source});
      return;
    }
    const action: PolicyAction = {type: type as ActionType};
    if (type === 'Reload' || type === 'Restart') {
      const key = type === 'Reload' ? 'reload' : 'restart';
      const svc = isPlainObject(a) && isPlainObject(a[key]) ? (a[key] as Obj).serviceName : undefined;
      if (typeof svc !== 'string' || !/^[a-zA-Z0-9:._\\-]+\.(service|socket|device|mount|automount|swap|target|path|timer|snapshot|slice|scope)$/.test(svc)) {
        problems.push({field: `${field}[${i}].${key}.serviceName`, value: svc, message: 'must name a systemd unit, e.g. crio.service', source});
        return;
      }
      action.serviceName = svc;
    }
    out.push(action);
  });
  // The API server's rule (openshift/api operator/v1 types_machineconfiguration.go XValidation).
  for (const lone of ['Reboot', 'None'] as const) {
    if (out.length > 1 && out.some((a) => a.type === lone)) problems.push({field, message: `${lone} action can only be specified standalone`, source});
  }
  return out;
}

function parsePolicies(v: unknown, field: string, allowed: ActionType[], problems: Problem[], source?: string, lenient = false): Partial<ClusterPolicies> {
  if (v === undefined || v === null) return {};
  if (!isPlainObject(v)) {
    problems.push({field, message: 'must be an object', source});
    return {};
  }
  const out: Partial<ClusterPolicies> = {};
  if (Array.isArray(v.files)) {
    out.files = v.files.map((f, i) => {
      const path = isPlainObject(f) ? f.path : undefined;
      if (typeof path !== 'string' || !path.startsWith('/')) problems.push({field: `${field}.files[${i}].path`, value: path, message: 'must be an absolute path', source});
      return {path: String(path ?? ''), actions: parseActions(isPlainObject(f) ? f.actions : undefined, `${field}.files[${i}].actions`, allowed, problems, source, lenient)};
    });
  }
  if (Array.isArray(v.units)) {
    out.units = v.units.map((u, i) => ({name: String(isPlainObject(u) ? u.name : ''), actions: parseActions(isPlainObject(u) ? u.actions : undefined, `${field}.units[${i}].actions`, allowed, problems, source, lenient)}));
  }
  if (isPlainObject(v.sshkey) && v.sshkey.actions !== undefined) out.sshkey = {actions: parseActions(v.sshkey.actions, `${field}.sshkey.actions`, allowed, problems, source, lenient)};
  return out;
}

export interface RulesInput {
  /** MachineConfiguration/cluster (operator.openshift.io/v1) as read, if any. */
  machineConfiguration?: {body: Obj; source?: string};
  /** ClusterVersion status.desired.version. */
  version?: string;
}

/** The rules the daemons of this cluster follow; problems name bad MachineConfiguration fields. */
export function disruptionRules(input: RulesInput): {rules: DisruptionRules; problems: Problem[]} {
  const problems: Problem[] = [];
  const release = parseRelease(input.version);
  const on = input.version ? `OpenShift ${input.version}` : 'release unknown (no ClusterVersion), assumed 4.17 or later';
  if (release && !atLeast(release, 4, 17)) {
    return {rules: {mode: 'legacy', policies: {files: [], units: [], sshkey: {actions: []}}, origin: 'defaults', release, version: input.version, basis: `${on}: fixed post-config-change rules of releases before 4.17 (no node disruption policies)`}, problems};
  }
  const defaults = defaultClusterPolicies(release);
  const mc = input.machineConfiguration;
  const base = {mode: 'policies' as const, release, version: input.version};
  if (!mc) return {rules: {...base, policies: defaults, origin: 'defaults', basis: `${on}: default node disruption policies (no MachineConfiguration/cluster)`}, problems};
  const name = 'MachineConfiguration/cluster';
  const spec = parsePolicies((mc.body.spec as Obj | undefined)?.nodeDisruptionPolicy, `${name} spec.nodeDisruptionPolicy`, SPEC_ACTIONS, problems, mc.source);
  const statusPolicies = ((mc.body.status as Obj | undefined)?.nodeDisruptionPolicyStatus as Obj | undefined)?.clusterPolicies;
  const meta = (mc.body.metadata ?? {}) as Obj;
  const observed = (mc.body.status as Obj | undefined)?.observedGeneration;
  const current = meta.generation === undefined || observed === undefined || observed === meta.generation;
  if (isPlainObject(statusPolicies) && current) {
    // The status is the operator's own output: an action this tool does not know (a newer release)
    // is taken as the worst case, Reboot, rather than refusing every edit.
    const statusProblems: Problem[] = [];
    const st = parsePolicies(statusPolicies, `${name} status.nodeDisruptionPolicyStatus.clusterPolicies`, STATUS_ACTIONS, statusProblems, mc.source, true);
    const policies = {files: st.files ?? [], units: st.units ?? [], sshkey: st.sshkey ?? {actions: []}};
    return {rules: {...base, policies, origin: 'status', basis: `${on}: ${name} status.nodeDisruptionPolicyStatus.clusterPolicies`}, problems};
  }
  const why = isPlainObject(statusPolicies) ? 'its status is behind the spec (observedGeneration), as the daemon waits for' : 'no status yet';
  return {rules: {...base, policies: mergeClusterPolicies(defaults, spec), origin: 'spec', basis: `${on}: default node disruption policies merged with ${name} spec.nodeDisruptionPolicy (${why})`}, problems};
}

/** pkg/controller/common/helpers.go FindClosestFilePolicyPathMatch. */
export function closestFilePolicy(path: string, files: FilePolicy[]): FilePolicy | undefined {
  let best: FilePolicy | undefined;
  for (const f of files) {
    const dir = f.path.replace(/\/+$/, '') + '/';
    if ((path === f.path || path.startsWith(dir)) && f.path.length > (best?.path.length ?? 0)) best = f;
  }
  return best;
}

export function actionText(a: PolicyAction): string {
  switch (a.type) {
    case 'Reload':
      return a.serviceName === CRIO ? 'CRI-O reload' : `reload ${a.serviceName}`;
    case 'Restart':
      return a.serviceName === CRIO ? 'CRI-O restart' : `restart ${a.serviceName}`;
    case 'Special':
      return 'CRI-O reload';
    case 'DaemonReload':
      return 'systemd daemon-reload';
    case 'Drain':
      return 'drain';
    case 'Reboot':
      return 'drain and reboot';
    case 'None':
      return 'none';
  }
}

const policyText = (actions: PolicyAction[]) => actions.map((a) => (a.type === 'Reload' || a.type === 'Restart' ? `${a.type} ${a.serviceName}` : a.type)).join(', ');

/** The verdict for one changed node file. */
export interface FileVerdict extends FileDisruption {
  /** Which rule decided it. */
  rule: string;
  actions: PolicyAction[];
  drain: boolean;
}

function levelOf(actions: PolicyAction[], drain: boolean): DisruptionLevel {
  if (actions.some((a) => a.type === 'Reboot')) return 'drain-reboot';
  if (drain) return 'drain';
  const work = actions.filter((a) => a.type !== 'None' && a.type !== 'Drain');
  if (work.length === 0) return 'none';
  return work.every((a) => a.type === 'Special' || (a.type === 'Reload' && a.serviceName === CRIO)) ? 'crio-reload' : 'services';
}

function safeReason(path: string, before: string | undefined, after: string | undefined): {drain: boolean; reason: string} {
  const why = registriesConfDrainReason(before ?? '', after ?? '');
  return why ? {drain: true, reason: `${path}: ${why} (not a drain-free change)`} : {drain: false, reason: `${path}: only drain-free changes (digest-only mirrors added)`};
}

/** Pre-4.17 calculatePostConfigChangeActionFromMCDiffs for one file. */
function legacyFile(path: string, before: string | undefined, after: string | undefined, release: Release): FileVerdict {
  const rule = (what: string) => `OpenShift ${release.major}.${release.minor} fixed rule (update.go calculatePostConfigChangeActionFromMCDiffs): ${what}`;
  const dir = path.slice(0, path.lastIndexOf('/'));
  if (path === REGISTRIES_CONF) {
    const s = safeReason(path, before, after);
    return {path, level: s.drain ? 'drain' : 'crio-reload', reason: s.reason, rule: rule(`${path} reloads CRI-O, drain unless the change is safe (drain.go isSafeContainerRegistryConfChanges)`), actions: [reload(CRIO)], drain: s.drain};
  }
  const reloads = [CONTAINERS_GPG_PUB_PATH, POLICY_JSON_PATH];
  if (reloads.includes(path) || (atLeast(release, 4, 16) && dir === REGISTRIES_D)) {
    return {path, level: 'crio-reload', reason: `${path}: CRI-O reload`, rule: rule(`${reloads.includes(path) ? path : 'files directly in /etc/containers/registries.d'} reload CRI-O`), actions: [reload(CRIO)], drain: false};
  }
  if (atLeast(release, 4, 14) && path === '/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt') {
    return {path, level: 'services', reason: `${path}: CRI-O restart`, rule: rule(`${path} restarts CRI-O`), actions: [restart(CRIO)], drain: false};
  }
  if (path === '/var/lib/kubelet/config.json' || dir === '/etc/nmstate/openshift') {
    return {path, level: 'none', reason: `${path}: no action`, rule: rule(`${path} needs no action`), actions: [{type: 'None'}], drain: false};
  }
  return {path, level: 'drain-reboot', reason: `${path}: not on the list of files applied without a reboot, so the daemon drains and reboots`, rule: rule('any other file reboots'), actions: [{type: 'Reboot'}], drain: true};
}

/** The daemon's decision for one changed file. `origin` 'daemon': written by the certificate writer, outside any MachineConfig. */
export function fileVerdict(path: string, before: string | undefined, after: string | undefined, rules: DisruptionRules, origin?: string): FileVerdict {
  if (origin === 'daemon' || DAEMON_DIRS.some((d) => path.startsWith(d + '/'))) {
    return {path, level: 'none', reason: `${path}: written by the machine-config daemon from the trusted-CA ConfigMap, outside any MachineConfig`, rule: 'certificate writer (pkg/daemon/certificate_writer.go): not a MachineConfig file, no node disruption policy applies', actions: [{type: 'None'}], drain: false};
  }
  if (rules.mode === 'legacy') return legacyFile(path, before, after, rules.release!);
  const who = rules.origin === 'status' ? 'cluster policy' : rules.origin === 'spec' ? 'cluster policy (defaults merged with the spec)' : 'default policy';
  const policy = closestFilePolicy(path, rules.policies.files);
  if (!policy) {
    return {path, level: 'drain-reboot', reason: `${path}: no node disruption policy covers this file, so the daemon drains and reboots`, rule: `no ${rules.origin === 'defaults' ? 'default ' : ''}node disruption policy for ${path}: Reboot (update.go calculatePostConfigChangeNodeDisruptionActionFromMCDiffs)`, actions: [{type: 'Reboot'}], drain: true};
  }
  const actions = policy.actions;
  const rule = `${who} for ${policy.path}: ${policyText(actions) || 'no actions'}`;
  if (actions.some((a) => a.type === 'Reboot')) return {path, level: 'drain-reboot', reason: `${path}: the policy says Reboot, so the daemon drains and reboots`, rule, actions, drain: true};
  if (actions.some((a) => a.type === 'Special')) {
    // Special is reserved for registries.conf: CRI-O reload, drain unless isSafeContainerRegistryConfChanges (drain.go).
    const s = path === REGISTRIES_CONF ? safeReason(path, before, after) : {drain: false, reason: `${path}: CRI-O reload`};
    const drain = s.drain || actions.some((a) => a.type === 'Drain');
    return {path, level: levelOf(actions, drain), reason: s.reason, rule: `${rule} (CRI-O reload; drain unless the change is safe: drain.go isSafeContainerRegistryConfChanges)`, actions, drain};
  }
  const drain = actions.some((a) => a.type === 'Drain');
  const work = actions.filter((a) => a.type !== 'None' && a.type !== 'Drain');
  const what = work.length > 0 ? work.map(actionText).join(', ') : 'no action';
  const reason = path === REGISTRIES_CONF && !drain ? `${path}: ${what}, no drain (the safe-change check only runs for the Special action)` : `${path}: ${drain ? `drain${work.length ? ', then ' : ''}` : ''}${work.length || !drain ? what : ''}`;
  return {path, level: levelOf(actions, drain), reason, rule, actions, drain};
}

export interface PoolVerdict {
  level: DisruptionLevel;
  text: string;
  actions: PolicyAction[];
  drain: boolean;
}

/**
 * All changed MachineConfig files of one update together (one rendered config per
 * pool): calculatePostConfigChangeNodeDisruptionActionFromMCDiffs (Reboot wins,
 * None dropped next to others) or, before 4.17, the legacy combination
 * (reboot wins, a CRI-O restart wins over a reload).
 */
export function poolVerdict(files: FileVerdict[]): PoolVerdict {
  const all = files.flatMap((f) => f.actions);
  if (all.some((a) => a.type === 'Reboot')) return {level: 'drain-reboot', text: 'drain and reboot', actions: [{type: 'Reboot'}], drain: true};
  const drain = files.some((f) => f.drain);
  const seen = new Set<string>();
  const work = all.filter((a) => {
    if (a.type === 'None' || a.type === 'Drain') return false;
    const k = actionText(a);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  // A CRI-O restart makes a reload redundant (legacy rule; with policies both run, the restart covers it).
  const effective = work.some((a) => a.type === 'Restart' && a.serviceName === CRIO) ? work.filter((a) => !(a.type === 'Special' || (a.type === 'Reload' && a.serviceName === CRIO))) : work;
  const level = levelOf(effective, drain);
  const what = effective.map(actionText).join(', ');
  const text = level === 'none' ? 'none' : drain ? `drain${what ? `, then ${what}` : ''} (no reboot)` : `${what} (no drain, no reboot)`;
  return {level: DISRUPTION_ORDER.includes(level) ? level : 'drain-reboot', text, actions: effective.length ? effective : [{type: 'None'}], drain};
}
