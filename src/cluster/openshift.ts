/**
 * Is the server an OpenShift cluster? A plain Kubernetes API server (or a proxy
 * answering with an HTML page) 404s every config.openshift.io object, which the
 * readers would otherwise take for "no Image, no mirror sets": an empty OpenShift
 * and a plan to create everything. One discovery request per connection
 * (GET /apis/config.openshift.io/v1) tells them apart.
 */
import {ClusterError} from '../lib/errors.js';
import type {Kube} from './kube.js';

const GROUP = 'config.openshift.io';
const VERSION = 'v1';

function notOpenShift(kube: Kube): ClusterError {
  return new ClusterError(`${kube.server} is not an OpenShift cluster: ${GROUP}/${VERSION} is not served`, 'check --context/--kubeconfig (`oc whoami --show-server`), or pass -f to work on manifests');
}

async function check(kube: Kube): Promise<void> {
  const {clusterError, statusOf} = await import('./kube.js');
  let list: {resources?: Array<{name?: string}>; groupVersion?: string} | undefined;
  try {
    list = (await kube.api(kube.mod.CustomObjectsApi).getAPIResources({group: GROUP, version: VERSION})) as typeof list;
  } catch (e) {
    const code = statusOf(e);
    if (code === 404) throw notOpenShift(kube);
    if (code !== undefined || !isUnparsable(e)) throw clusterError(kube, `discover ${GROUP}/${VERSION}`, e);
    // 200 with something that is not JSON: not the Kubernetes API.
    throw notOpenShift(kube);
  }
  if (!list || !Array.isArray(list.resources) || !list.resources.some((r) => r.name === 'images')) throw notOpenShift(kube);
}

function isUnparsable(e: unknown): boolean {
  const m = (e as Error)?.message ?? '';
  return e instanceof SyntaxError || /mediaType|JSON|Unexpected token|not supported by ObjectSerializer/i.test(m);
}

/** Throws (exit 3, one line) unless the server serves config.openshift.io/v1. connect() asks once per connection. */
export function requireOpenShift(kube: Kube): Promise<void> {
  return check(kube);
}
