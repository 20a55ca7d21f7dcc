/**
 * One evaluation of a configuration: the objects (from the cluster or from
 * manifests) plus options such as the release image in; the node files MCO and
 * the machine-config daemon write, what the API server and MCO refuse, MCO's own
 * log lines, this tool's warnings, the pools MCO writes for and the release
 * basis out. render, the edit preview (before and after), status, explain,
 * verify and every new command read a configuration through this function only,
 * so a warning about a configuration is a function of that configuration.
 * Pure.
 */
import {formatProblem, type Problem} from '../lib/errors.js';
import {pinpoint, type LoadResult} from '../model/manifests.js';
import {POLICY_JSON_PATH, type NodeFile} from '../model/node-files.js';
import {DEFAULT_RELEASE_REPO, payloadRepoOf, releaseOf, type Release} from '../model/release.js';
import {scopeIsNestedInsideScope} from '../model/scope.js';
import type {ClusterState} from '../model/types.js';
import {validateState} from '../model/validate.js';
import {configurationWarnings, type Warning} from '../model/warnings.js';
import {McoPanic, type MirrorRenderHooks, type RenderOutcome} from './mco.js';
import {renderNodeView} from './node-view.js';

export interface EvaluateOptions {
  /** The release payload image, overriding the input's ClusterVersion. */
  releaseImage?: string;
  /** Report what the API server would refuse as warnings (`api-invalid`) instead of errors, as live objects already exist. */
  allowInvalid?: boolean;
  hooks?: MirrorRenderHooks;
}

export interface Evaluation {
  /** The configuration as evaluated (the release image filled in). */
  state: ClusterState;
  release: Release;
  payloadRepo: string;
  /** The node's view: generated, base-template and daemon-written files. */
  files: NodeFile[];
  /** False when MCO creates no MachineConfig (no Image `cluster`, or it refuses the sync). */
  machineConfig: boolean;
  /** What the API server or the loader refuses (with file:line); warnings instead under allowInvalid. */
  invalid: Problem[];
  /** MCO refuses the whole sync (or its controller would crash): nodes keep their files. */
  refusal?: Problem;
  /** Other input MCO's pipeline cannot use (e.g. a CA ConfigMap key). */
  problems: Problem[];
  /** Everything that makes this configuration unusable, in order: exit 2 for render. */
  errors: Problem[];
  /** Warnings about the configuration (MCO's log lines and this tool's rules). */
  warnings: Warning[];
  /** Blocked scopes MCO drops because they cover the payload without a usable digest mirror. */
  droppedBlocks: string[];
  /** Pools MCO writes 99-<pool>-generated-registries for (the built-in ones). */
  pools: string[];
  outcome: RenderOutcome;
}

export const BUILT_IN_POOLS = ['master', 'worker'];
const BUILT_IN_LABEL = 'machineconfiguration.openshift.io/mco-built-in';

/** The pools MCO writes 99-<pool>-generated-registries for: the built-in ones. */
export function builtInPools(state: ClusterState): string[] {
  const labelled = state.pools.filter((p) => BUILT_IN_LABEL in p.labels).map((p) => p.name);
  if (labelled.length > 0) return labelled.sort();
  const named = state.pools.map((p) => p.name).filter((n) => n === 'master' || n === 'worker' || n === 'arbiter');
  return named.length > 0 ? named.sort() : BUILT_IN_POOLS;
}

const isDropLog = (w: {code?: string}) => w.code === undefined || w.code === 'payload-blocked-dropped';

export function evaluate(loaded: Pick<LoadResult, 'state' | 'problems' | 'texts'>, opts: EvaluateOptions = {}): Evaluation {
  const release = releaseOf(loaded.state.releaseImage, opts.releaseImage, loaded.state.releaseVersion);
  const state: ClusterState = {...loaded.state, releaseImage: release.image};
  const payloadRepo = payloadRepoOf(release.image);
  const warnings: Warning[] = [];
  const rs = state.image?.spec.registrySources;

  if (release.assumed && (rs?.blockedRegistries ?? []).some((b) => scopeIsNestedInsideScope(DEFAULT_RELEASE_REPO, b))) {
    warnings.push({code: 'release-image-assumed', message: `no ClusterVersion in the input: assuming the release payload lives in ${DEFAULT_RELEASE_REPO} (pass --release-image to be exact)`});
  }
  const invalid = [...loaded.problems, ...pinpoint(validateState(state), loaded.texts)];
  if (opts.allowInvalid) {
    for (const p of invalid) warnings.push({code: 'api-invalid', field: p.field, message: `${formatProblem(p)} (the API server rejects this; rendered as MCO would)`});
  }
  warnings.push(...configurationWarnings(state));

  const view = renderNodeView(state, opts.hooks);
  for (const w of view.outcome.warnings) {
    if (w.code === 'order-dependent') warnings.push({code: 'mco-order-dependent', field: w.field, message: w.message});
    else if (w.code === 'hint') warnings.push({code: 'mco-hint', field: w.field, message: w.message});
    else warnings.push({code: 'mco-dropped', field: w.field, message: `MCO drops part of this input and only logs it: ${w.message}. The payload repository needs a digest mirror (IDMS/ICSP) outside every blocked scope before its registry can be blocked.`});
  }
  for (const st of view.outcome.imagePolicyStatus) {
    for (const c of st.conditions) {
      if (c.reason === 'ConflictScopes') warnings.push({code: 'imagepolicy-conflict', field: `ImagePolicy/${st.namespace}/${st.name} spec.scopes`, message: `ImagePolicy ${st.namespace}/${st.name} ${c.message} (MCO sets status Pending=False)`});
    }
  }

  let refusal: Problem | undefined;
  const e = view.outcome.error;
  if (e instanceof McoPanic) {
    refusal = {
      field: e.field ?? 'spec.policy',
      source: e.source,
      message: `MCO's machine-config-controller would crash (${e.message}) and crash-loop while this object exists: ${e.detail}; the API server normally refuses such an object`,
      mco: `panic: ${e.message}`,
    };
  } else if (e) {
    let why = '';
    if (e.message.includes('only one of AllowedRegistries or BlockedRegistries') && rs?.allowedRegistries === undefined) {
      // FINDINGS 1.2: each blocked scope covering the mirrored payload adds the payload repository to MCO's allowed list again.
      why = '. You set no allowedRegistries: MCO adds the release payload repository to its allowed list once for every blocked scope that covers it, so keep exactly one blocked scope covering the payload';
    }
    refusal = pinpoint([{field: e.field ?? 'spec', value: e.value, source: e.source ?? state.image?.source, message: `MCO refuses the whole sync and nodes keep their current files: ${e.message}${why}`, mco: e.message}], loaded.texts)[0];
  }

  const policy = view.outcome.files.find((f) => f.path === POLICY_JSON_PATH);
  if (!refusal && policy && !(rs?.allowedRegistries?.length) && /^\{\n {2}"default": \[\n {4}\{\n {6}"type": "reject"/.test(policy.content)) {
    // FINDINGS 1.1: blocking exactly the payload repository (with a digest mirror) turns policy.json into an allowlist.
    warnings.push({
      code: 'implicit-allowlist',
      field: 'spec.registrySources.blockedRegistries',
      message: `policy.json becomes an allowlist (default reject) although no allowedRegistries are set: MCO does this when the only blocked scope is exactly the release payload repository. Every other image will be rejected; block a broader scope (e.g. the registry) or add another blocked entry`,
    });
  }
  if (!state.image) warnings.push({code: 'no-image-config', message: 'no Image "cluster" object in the input: MCO creates no MachineConfig and nodes keep the base template'});

  const droppedBlocks = view.outcome.warnings.some(isDropLog) ? (rs?.blockedRegistries ?? []).filter((b) => scopeIsNestedInsideScope(payloadRepo, b)) : [];
  const errors = [...(opts.allowInvalid ? [] : invalid), ...(refusal ? [refusal] : []), ...view.problems];
  return {
    state,
    release,
    payloadRepo,
    files: view.files,
    machineConfig: view.outcome.machineConfig && !refusal,
    invalid,
    refusal,
    problems: view.problems,
    errors,
    warnings,
    droppedBlocks,
    pools: builtInPools(state),
    outcome: view.outcome,
  };
}
