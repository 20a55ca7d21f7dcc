/**
 * The render service: validation, MCO rendering, warnings, MachineConfigs.
 * Pure: state in, result out; commands do the reading and printing.
 */
import {ValidationError, formatProblem, type Problem} from '../lib/errors.js';
import {configurationWarnings, DEFAULT_RELEASE_REPO, type Warning} from '../model/warnings.js';
import {pinpoint, type LoadResult} from '../model/manifests.js';
import {validateState} from '../model/validate.js';
import {scopeIsNestedInsideScope} from '../model/scope.js';
import type {ClusterState} from '../model/types.js';
import {machineConfig, machineConfigYaml, managedKey} from '../render/machineconfig.js';
import {McoPanic, type MirrorRenderHooks} from '../render/mco.js';
import {renderNodeView} from '../render/node-view.js';
import {POLICY_JSON_PATH} from '../render/templates.js';

/** Used when the input has no ClusterVersion: the public release repository, pinned by digest as clusters do. */
export const ASSUMED_RELEASE_IMAGE = `${DEFAULT_RELEASE_REPO}@sha256:${'0'.repeat(64)}`;

export const BUILT_IN_POOLS = ['master', 'worker'];
const BUILT_IN_LABEL = 'machineconfiguration.openshift.io/mco-built-in';

export interface RenderOptions {
  releaseImage?: string;
  /** Report API-server violations as warnings instead of errors. */
  allowInvalid?: boolean;
  pools?: string[];
  warn: (w: Warning) => void;
  hooks?: MirrorRenderHooks;
}

export interface RenderResult {
  /** False when MCO would create no MachineConfig (no Image `cluster`). */
  machineConfig: boolean;
  files: Array<{path: string; content: string; changed: boolean; origin: string}>;
  machineConfigs: Array<{name: string; pool: string; ignition: string}>;
  written?: string[];
}

/** The pools MCO writes 99-<pool>-generated-registries for: the built-in ones. */
export function builtInPools(state: ClusterState): string[] {
  const labelled = state.pools.filter((p) => BUILT_IN_LABEL in p.labels).map((p) => p.name);
  if (labelled.length > 0) return labelled.sort();
  const named = state.pools.map((p) => p.name).filter((n) => n === 'master' || n === 'worker' || n === 'arbiter');
  return named.length > 0 ? named.sort() : BUILT_IN_POOLS;
}

export function prepareState(loaded: LoadResult, opts: RenderOptions): ClusterState {
  const state: ClusterState = {...loaded.state};
  const problems: Problem[] = [...loaded.problems];
  const apiProblems = pinpoint(validateState(state), loaded.texts);
  if (opts.allowInvalid) {
    for (const p of apiProblems) opts.warn({code: 'api-invalid', field: p.field, message: `${formatProblem(p)} (the API server rejects this; rendered as MCO would)`});
  } else problems.push(...apiProblems);
  if (problems.length > 0) throw new ValidationError(problems);
  if (opts.releaseImage) state.releaseImage = opts.releaseImage;
  else if (state.releaseImage === undefined) {
    state.releaseImage = ASSUMED_RELEASE_IMAGE;
    if ((state.image?.spec.registrySources?.blockedRegistries ?? []).some((b) => scopeIsNestedInsideScope(DEFAULT_RELEASE_REPO, b))) {
      opts.warn({code: 'release-image-assumed', message: `no ClusterVersion in the input: assuming the release payload lives in ${DEFAULT_RELEASE_REPO} (pass --release-image to be exact)`});
    }
  }
  return state;
}

export function renderService(loaded: LoadResult, opts: RenderOptions): RenderResult {
  const state = prepareState(loaded, opts);
  for (const w of configurationWarnings(state)) opts.warn(w);
  const view = renderNodeView(state, opts.hooks);
  for (const w of view.outcome.warnings) {
    if (w.code === 'order-dependent') opts.warn({code: 'mco-order-dependent', field: w.field, message: w.message});
    else if (w.code === 'hint') opts.warn({code: 'mco-hint', field: w.field, message: w.message});
    else opts.warn({code: 'mco-dropped', field: w.field, message: `MCO drops part of this input and only logs it: ${w.message}. The payload repository needs a digest mirror (IDMS/ICSP) outside every blocked scope before its registry can be blocked.`});
  }
  for (const st of view.outcome.imagePolicyStatus) {
    for (const c of st.conditions) {
      if (c.reason === 'ConflictScopes') opts.warn({code: 'imagepolicy-conflict', field: `ImagePolicy/${st.namespace}/${st.name} spec.scopes`, message: `ImagePolicy ${st.namespace}/${st.name} ${c.message} (MCO sets status Pending=False)`});
    }
  }
  if (view.outcome.error instanceof McoPanic) {
    const e = view.outcome.error;
    throw new ValidationError([
      {
        field: e.field ?? 'spec.policy',
        source: e.source,
        message: `MCO's machine-config-controller would crash (${e.message}) and crash-loop while this object exists: ${e.detail}; the API server normally refuses such an object`,
        mco: `panic: ${e.message}`,
      },
    ]);
  }
  const rs = state.image?.spec.registrySources;
  if (view.outcome.error) {
    const e = view.outcome.error;
    let why = '';
    if (e.message.includes('only one of AllowedRegistries or BlockedRegistries') && rs?.allowedRegistries === undefined) {
      // FINDINGS 1.2: each blocked scope covering the mirrored payload adds the payload repository to MCO's allowed list again.
      why = '. You set no allowedRegistries: MCO adds the release payload repository to its allowed list once for every blocked scope that covers it, so keep exactly one blocked scope covering the payload';
    }
    throw new ValidationError(
      pinpoint([{field: e.field ?? 'spec', value: e.value, source: e.source ?? state.image?.source, message: `MCO refuses the whole sync and nodes keep their current files: ${e.message}${why}`, mco: e.message}], loaded.texts),
    );
  }
  const policy = view.outcome.files.find((f) => f.path === POLICY_JSON_PATH);
  if (policy && !(rs?.allowedRegistries?.length) && /^\{\n {2}"default": \[\n {4}\{\n {6}"type": "reject"/.test(policy.content)) {
    // FINDINGS 1.1: blocking exactly the payload repository (with a digest mirror) turns policy.json into an allowlist.
    opts.warn({
      code: 'implicit-allowlist',
      field: 'spec.registrySources.blockedRegistries',
      message: 'policy.json becomes an allowlist (default reject) although no allowedRegistries are set: MCO does this when the only blocked scope is exactly the release payload repository. Every other image will be rejected; block a broader scope (e.g. the registry) or add another blocked entry',
    });
  }
  if (view.problems.length > 0) throw new ValidationError(view.problems);
  if (!state.image) opts.warn({code: 'no-image-config', message: 'no Image "cluster" object in the input: MCO creates no MachineConfig and nodes keep the base template'});
  let pools = builtInPools(state);
  if (opts.pools && opts.pools.length > 0) {
    const custom = opts.pools.filter((p) => !pools.includes(p));
    for (const c of custom) {
      opts.warn({code: 'custom-pool', message: `pool ${c} is not a built-in pool: MCO generates no registries MachineConfig for it; it inherits 99-worker-generated-registries through its role selector`});
    }
    pools = [...new Set(opts.pools.map((p) => (pools.includes(p) ? p : 'worker')))];
  }
  const generated = view.outcome.files;
  const result: RenderResult = {
    machineConfig: view.outcome.machineConfig,
    files: view.files.map((f) => ({path: f.path, content: f.content, changed: f.changed, origin: f.origin})),
    // The files are identical for every pool (MCO renders them once per pool from the same input).
    machineConfigs: [],
  };
  if (view.outcome.machineConfig) {
    const ignition = machineConfig(pools[0]!, generated).ignition;
    result.machineConfigs = pools.map((pool) => ({name: managedKey(pool), pool, ignition}));
  }
  return result;
}
/** The MachineConfig YAML of each pool in a result (its generated files are the `machineconfig` ones, in order). */
export function renderedMachineConfigYaml(result: RenderResult): string {
  const generated = result.files.filter((f) => f.origin === 'machineconfig');
  return result.machineConfigs.map((m) => machineConfigYaml(m.pool, generated)).join('---\n');
}
