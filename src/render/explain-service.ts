/**
 * The explain service: validation and rendering as `render` does them, then the
 * explanation computed from the rendered node files, with the signature policy
 * objects behind any signature requirement. Pure: state in, result out.
 */
import {ValidationError} from '../lib/errors.js';
import type {Warning} from '../lib/warnings.js';
import {explainWithConfig, type CandidateExplain, type ExplainResult} from '../model/explain.js';
import {loadNodeConfig} from '../model/node-config.js';
import type {ClusterState} from '../model/types.js';
import type {LoadResult} from '../model/manifests.js';
import {renderNodeView, type ViewFile} from './node-view.js';
import {prepareState} from './service.js';
import {signatureRequirementFor, type SignatureTrust} from './signatures.js';
import {CRIO_POLICY_PATH} from './sigstore.js';

export interface ExplainServiceOptions {
  releaseImage?: string;
  allowInvalid?: boolean;
  /** Judge as CRI-O does for a pod in this namespace (its /etc/crio/policies/<namespace>.json when MCO writes one). */
  namespace?: string;
  warn: (w: Warning) => void;
}

export interface ExplainedCandidate extends CandidateExplain {
  /** For a signature requirement: the ClusterImagePolicy / ImagePolicy objects and their roots of trust. */
  signatures?: SignatureTrust[];
}

export interface ExplainServiceResult extends ExplainResult {
  candidates: ExplainedCandidate[];
  /** The policy file the verdicts come from. */
  policyFile: string;
}

export interface Explainer {
  /** The rendered node files the answers come from (registries.conf, policy.json, certs.d CAs, ...). */
  files: ViewFile[];
  state: ClusterState;
  explain(ref: string): ExplainServiceResult;
}

/** Validate and render once, then explain any number of images against the same node files. */
export function prepareExplainer(loaded: LoadResult, opts: ExplainServiceOptions): Explainer {
  const state = prepareState(loaded, {releaseImage: opts.releaseImage, allowInvalid: opts.allowInvalid, warn: opts.warn});
  const view = renderNodeView(state);
  if (view.outcome.error) {
    const e = view.outcome.error;
    throw new ValidationError([{field: e.field ?? 'spec', value: e.value, source: e.source, message: `MCO refuses the whole sync and nodes keep their current files: ${e.message}`, mco: e.message}]);
  }
  if (view.problems.length > 0) throw new ValidationError(view.problems);
  const spec = state.image?.spec;
  const nsPolicy = opts.namespace !== undefined ? CRIO_POLICY_PATH(opts.namespace) : undefined;
  const policyFile = nsPolicy && view.files.some((f) => f.path === nsPolicy) ? nsPolicy : '/etc/containers/policy.json';
  const cfg = loadNodeConfig(view.files, policyFile);
  const explain = (ref: string): ExplainServiceResult => {
    const result = explainWithConfig(cfg, ref, {
      allowedRegistriesForImport: spec?.allowedRegistriesForImport,
      internalRegistry: state.image?.status?.internalRegistryHostname,
      policyPath: policyFile,
    });
    if (opts.namespace !== undefined) {
      result.notes.push(
        policyFile === nsPolicy
          ? `CRI-O judges pods in namespace ${opts.namespace} with ${nsPolicy} (ImagePolicy objects there); podman and skopeo use /etc/containers/policy.json.`
          : `MCO writes no ${nsPolicy} (no ImagePolicy applies in namespace ${opts.namespace}): CRI-O uses /etc/containers/policy.json there too.`,
      );
    }
    const candidates: ExplainedCandidate[] = result.candidates.map((c) => {
      if (c.policy?.verdict !== 'signature-required') return c;
      const sig = signatureRequirementFor(c.reference, state, {namespace: policyFile === nsPolicy ? opts.namespace : undefined, outcome: view.outcome});
      return sig.signatures.length > 0 ? {...c, signatures: sig.signatures} : c;
    });
    return {...result, candidates, policyFile};
  };
  return {files: view.files, state, explain};
}

export function explainService(loaded: LoadResult, ref: string, opts: ExplainServiceOptions): ExplainServiceResult {
  return prepareExplainer(loaded, opts).explain(ref);
}
