/**
 * Where `mirror check` gets its images and credentials: an --images file, a
 * --pull-secret file, and in live mode the cluster's global pull secret
 * (openshift-config/pull-secret, the one CRI-O uses for mirrors) and the images of
 * every pod (by digest where the pod status has one).
 */
import {readFile} from 'node:fs/promises';
import {ClusterError, UserError} from '../lib/errors.js';
import {parsePullSecret, PullSecretError, type PullSecret} from '../model/pull-secret.js';
import {parseReference} from '../model/reference.js';
import {clusterError, connect, statusOf, type Kube, type KubeOptions} from './kube.js';

export interface ImageInput {
  image: string;
  /** file:line, or pod namespace/name, for error messages. */
  origin: string;
}

async function readText(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new UserError(`--${flag} ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

/** One reference a line; `#` starts a comment; blank lines are ignored. */
export async function readImageList(path: string): Promise<ImageInput[]> {
  const text = await readText(path, 'images');
  const out: ImageInput[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    if (/\s/.test(line)) throw new UserError(`${path}:${i + 1}: ${JSON.stringify(line)}: one image reference a line`);
    out.push({image: line, origin: `${path}:${i + 1}`});
  });
  return out;
}

export async function readPullSecretFile(path: string): Promise<PullSecret> {
  const text = await readText(path, 'pull-secret');
  try {
    return parsePullSecret(text, path);
  } catch (e) {
    if (e instanceof PullSecretError) throw new UserError(e.message);
    throw e;
  }
}

export const PULL_SECRET = {namespace: 'openshift-config', name: 'pull-secret', key: '.dockerconfigjson'};

/** The cluster's global pull secret; undefined (anonymous) when it does not exist. */
export async function readClusterPullSecret(kube: Kube): Promise<PullSecret | undefined> {
  const core = kube.config.makeApiClient(kube.mod.CoreV1Api);
  let data: Record<string, string> | undefined;
  try {
    data = (await core.readNamespacedSecret({name: PULL_SECRET.name, namespace: PULL_SECRET.namespace})).data;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw clusterError(kube, `get secrets/${PULL_SECRET.name} in ${PULL_SECRET.namespace}`, e);
  }
  const b64 = data?.[PULL_SECRET.key];
  const what = `Secret/${PULL_SECRET.namespace}/${PULL_SECRET.name} data.${PULL_SECRET.key}`;
  if (!b64) throw new ClusterError(`${what} is missing`);
  try {
    return parsePullSecret(Buffer.from(b64, 'base64').toString('utf8'), what);
  } catch (e) {
    if (e instanceof PullSecretError) throw new ClusterError(e.message);
    throw e;
  }
}

interface PodLike {
  metadata?: {name?: string; namespace?: string};
  spec?: {containers?: Array<{name: string; image?: string}>; initContainers?: Array<{name: string; image?: string}>; ephemeralContainers?: Array<{name: string; image?: string}>};
  status?: {containerStatuses?: StatusLike[]; initContainerStatuses?: StatusLike[]; ephemeralContainerStatuses?: StatusLike[]};
}
interface StatusLike {
  name: string;
  imageID?: string;
}

/**
 * The image of one container as the node pulls it again: by the digest in the pod
 * status (imageID) when there is one, under the name the spec asks for.
 */
export function podImage(specImage: string, imageID: string | undefined): string {
  const digest = /@(sha256:[0-9a-f]{64})$/.exec(imageID ?? '')?.[1];
  if (!digest) return specImage;
  try {
    const r = parseReference(specImage);
    const name = r.domain ? `${r.domain}/${r.path}` : r.path;
    return `${name}@${digest}`;
  } catch {
    return specImage;
  }
}

/** Every container image of every pod, de-duplicated, with the first pod that uses it. */
export async function listPodImages(kube: Kube): Promise<ImageInput[]> {
  const core = kube.config.makeApiClient(kube.mod.CoreV1Api);
  let pods: PodLike[];
  try {
    pods = (await core.listPodForAllNamespaces()).items as PodLike[];
  } catch (e) {
    throw clusterError(kube, 'list pods (all namespaces)', e);
  }
  const seen = new Map<string, ImageInput>();
  for (const p of pods) {
    const origin = `pod ${p.metadata?.namespace}/${p.metadata?.name}`;
    const groups: Array<[Array<{name: string; image?: string}> | undefined, StatusLike[] | undefined]> = [
      [p.spec?.initContainers, p.status?.initContainerStatuses],
      [p.spec?.containers, p.status?.containerStatuses],
      [p.spec?.ephemeralContainers, p.status?.ephemeralContainerStatuses],
    ];
    for (const [containers, statuses] of groups) {
      for (const c of containers ?? []) {
        if (!c.image) continue;
        const image = podImage(c.image, statuses?.find((s) => s.name === c.name)?.imageID);
        if (!seen.has(image)) seen.set(image, {image, origin});
      }
    }
  }
  return [...seen.values()].sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
}

export async function connectFor(opts: KubeOptions, connected?: Kube): Promise<Kube> {
  return connected ?? (await connect(opts));
}
