/**
 * The explain service: validation and rendering as `render` does them, then the
 * explanation computed from the rendered node files, with the signature policy
 * objects behind any signature requirement. Pure: state in, result out.
 */
import {crioPolicyPath, POLICY_JSON_PATH, type NodeFile} from '../model/node-files.js';
import type {Warning} from '../model/warnings.js';
import {explainWithConfig, type CandidateExplain, type ExplainResult} from '../model/explain.js';
import type {LoadResult} from '../model/manifests.js';
import {loadNodeConfig} from '../model/node-config.js';
import type {ClusterState} from '../model/types.js';
import {signatureRequirementFor, type SignatureTrust} from '../render/signatures.js';
import {evaluateOrThrow} from './render.js';

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
  files: NodeFile[];
  state: ClusterState;
  explain(ref: string): ExplainServiceResult;
}

/** Evaluate once, then explain any number of images against the same node files. */
export function prepareExplainer(loaded: LoadResult, opts: ExplainServiceOptions): Explainer {
  const view = evaluateOrThrow(loaded, opts);
  const state = view.state;
  const spec = state.image?.spec;
  const nsPolicy = opts.namespace !== undefined ? crioPolicyPath(opts.namespace) : undefined;
  const policyFile = nsPolicy && view.files.some((f) => f.path === nsPolicy) ? nsPolicy : POLICY_JSON_PATH;
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
