/** The image references of the cluster's pods (every namespace), for "who loses a mirror" previews. */
import type {PodImage} from '../model/oc-mirror.js';
import {clusterError, type Kube} from './kube.js';

export async function listPodImages(kube: Kube): Promise<PodImage[]> {
  const core = kube.config.makeApiClient(kube.mod.CoreV1Api);
  const out: PodImage[] = [];
  let cont: string | undefined;
  do {
    let page: {items?: unknown[]; metadata?: {_continue?: string}};
    try {
      page = (await core.listPodForAllNamespaces({limit: 500, _continue: cont})) as typeof page;
    } catch (e) {
      throw clusterError(kube, 'list pods in all namespaces', e);
    }
    for (const p of (page.items ?? []) as Array<{metadata?: {name?: string; namespace?: string}; spec?: {containers?: Array<{name: string; image?: string}>; initContainers?: Array<{name: string; image?: string}>}}>) {
      for (const c of [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])]) {
        if (c.image) out.push({namespace: p.metadata?.namespace ?? '', pod: p.metadata?.name ?? '', container: c.name, image: c.image});
      }
    }
    cont = page.metadata?._continue || undefined;
  } while (cont);
  return out;
}
