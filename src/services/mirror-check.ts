/**
 * `mirror check`: for each image, the endpoints a node tries (explain's evaluation of
 * the rendered node files), probed in that order with the registry API, with the
 * node's CAs (certs.d from the additionalTrustedCA ConfigMap) and the pull secret.
 * Bounded concurrency: `concurrency` images at once, and as many requests in flight
 * per registry host at most.
 */
import {mapLimit} from '../lib/concurrency.js';
import {UserError} from '../lib/errors.js';
import type {Warning} from '../model/warnings.js';
import {ExplainError} from '../model/explain.js';
import type {LoadResult} from '../model/manifests.js';
import {exitStatus, planImage, runPlan, summarize, type ImageCheck, type ImagePlan, type PlannedEndpoint, type ProbeOutcome, type Summary} from '../model/mirror-check.js';
import {NodeConfigError} from '../model/node-config.js';
import {credentialsFor, type PullSecret} from '../model/pull-secret.js';
import {parseReference} from '../model/reference.js';
import {prepareExplainer} from './explain.js';
import {effectiveMirrors} from '../render/mirrors.js';
import {connectFor, listPodImages, PULL_SECRET, readClusterPullSecret, readImageList, readPullSecretFile, type ImageInput} from '../cluster/image-inputs.js';
import type {Kube} from '../cluster/kube.js';
import {loadState, type SourceOptions} from '../cluster/source.js';
import {RegistryClient} from '../cluster/registry-client.js';

export interface MirrorCheckOptions {
  releaseImage?: string;
  allowInvalid?: boolean;
  concurrency: number;
  /** Per-request timeout. */
  timeoutMs: number;
  allEndpoints: boolean;
  requireMirror: boolean;
  pullSecret?: PullSecret;
  /** Where the credentials came from (never the credentials). */
  pullSecretOrigin?: string;
  warn: (w: Warning) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface MirrorCheckResult {
  images: ImageCheck[];
  summary: Summary;
  requireMirror: boolean;
  /** Where credentials came from, or "none (anonymous)". */
  credentials: string;
  /** HTTP requests sent to registries (pings, tokens, manifests). */
  requests: number;
  /** The exit status the command ends with: 0, 1 or 5. */
  exitStatus: 0 | 1 | 5;
}

/** Explain every image first, so that a bad reference stops the run before any request. */
function planAll(loaded: LoadResult, inputs: ImageInput[], opts: MirrorCheckOptions) {
  const explainer = prepareExplainer(loaded, {releaseImage: opts.releaseImage, allowInvalid: opts.allowInvalid, warn: opts.warn});
  const never = new Set(effectiveMirrors(explainer.state.mirrorSets).filter((m) => m.sourceBlocked).map((m) => m.source));
  const seen = new Set<string>();
  const plans: ImagePlan[] = [];
  for (const input of inputs) {
    if (seen.has(input.image)) continue;
    seen.add(input.image);
    try {
      plans.push(planImage(input.image, explainer.explain(input.image), never));
    } catch (e) {
      if (e instanceof ExplainError || e instanceof NodeConfigError) throw new UserError(`${input.origin}: ${e.message}`);
      throw e;
    }
  }
  const files = new Map(explainer.files.map((f) => [f.path, f.content]));
  return {plans, files};
}

export async function mirrorCheck(loaded: LoadResult, inputs: ImageInput[], opts: MirrorCheckOptions): Promise<MirrorCheckResult> {
  const {plans, files} = planAll(loaded, inputs, opts);
  const client = new RegistryClient({timeoutMs: opts.timeoutMs, perHost: opts.concurrency});
  const probe = async (e: PlannedEndpoint): Promise<ProbeOutcome> => {
    const r = parseReference(e.reference);
    const t = e.explained.tls;
    const cas = t.caFiles.map((f) => files.get(`${t.certDir}/${f}`)).filter((x): x is string => x !== undefined);
    const creds = credentialsFor(opts.pullSecret, `${r.domain}/${r.path}`);
    const res = await client.probe({
      host: r.domain,
      repo: r.path,
      ref: r.digest ?? r.tag ?? 'latest',
      trust: {insecure: e.explained.insecure, cas},
      ...(creds ? {credentials: creds.credentials} : {}),
    });
    return {status: res.status, ...(res.httpStatus !== undefined ? {httpStatus: res.httpStatus} : {}), ...(res.reason ? {reason: res.reason} : {})};
  };
  let done = 0;
  try {
    const images = await mapLimit(plans, opts.concurrency, async (plan) => {
      const r = await runPlan(plan, probe, opts.allEndpoints);
      opts.onProgress?.(++done, plans.length);
      return r;
    });
    return {
      images,
      summary: summarize(images),
      requireMirror: opts.requireMirror === true,
      credentials: opts.pullSecret ? (opts.pullSecretOrigin ?? 'pull secret') : 'none (anonymous)',
      requests: client.requests,
      exitStatus: exitStatus(images, opts.requireMirror),
    };
  } finally {
    client.close();
  }
}

export interface MirrorCheckRequest extends SourceOptions {
  refs: string[];
  imagesFile?: string;
  fromPods: boolean;
  pullSecretFile?: string;
}

/** The whole command: configuration (-f or live), images, credentials, then the check. */
export async function runMirrorCheck(req: MirrorCheckRequest, opts: Omit<MirrorCheckOptions, 'pullSecret' | 'pullSecretOrigin' | 'allowInvalid'>): Promise<MirrorCheckResult> {
  const inputs: ImageInput[] = req.refs.map((image, i) => ({image, origin: `argument ${i + 1}`}));
  if (req.imagesFile) inputs.push(...(await readImageList(req.imagesFile)));
  const loaded = await loadState(req);
  const live = (loaded as {kube?: Kube}).kube;
  let kube: Kube | undefined;
  const cluster = async () => (kube ??= await connectFor(req, live));
  if (req.fromPods) inputs.push(...(await listPodImages(await cluster())));
  if (inputs.length === 0) throw new UserError(req.fromPods ? 'no pod in the cluster has a container image' : 'nothing to check: give IMAGE_REF arguments, --images FILE or --from-pods');
  let pullSecret: PullSecret | undefined;
  let pullSecretOrigin: string | undefined;
  if (req.pullSecretFile) {
    pullSecret = await readPullSecretFile(req.pullSecretFile);
    pullSecretOrigin = req.pullSecretFile;
  } else if (loaded.mode === 'live') {
    pullSecret = await readClusterPullSecret(await cluster());
    pullSecretOrigin = pullSecret ? `Secret ${PULL_SECRET.namespace}/${PULL_SECRET.name}` : undefined;
  }
  for (const key of pullSecret?.unusable ?? []) opts.warn({code: 'pull-secret-entry', message: `pull secret entry ${JSON.stringify(key)} has no usable username/password (identity tokens are not supported): ignored`});
  return mirrorCheck(loaded, inputs, {...opts, allowInvalid: loaded.mode === 'live', ...(pullSecret ? {pullSecret, pullSecretOrigin} : {})});
}
