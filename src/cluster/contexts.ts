/** The contexts of the kubeconfig (merged as kubectl merges it) and the API server each one points at. */
import {UserError} from '../lib/errors.js';
import {loadKubeconfig, type KubeOptions} from './kube.js';

export interface ContextTarget {
  context: string;
  server: string;
}

export interface ContextSelection extends Pick<KubeOptions, 'kubeconfig'> {
  /** Contexts named on the command line, in that order. */
  contexts?: string[];
  /** Every context of the kubeconfig, in kubeconfig order. */
  all?: boolean;
}

/** Resolve the selection to contexts with their servers; an unknown name is a usage error naming the known ones. */
export async function selectContexts(sel: ContextSelection): Promise<ContextTarget[]> {
  const {config} = await loadKubeconfig(sel);
  const known = config.getContexts();
  const serverOf = (name: string) => {
    const ctx = known.find((c) => c.name === name);
    return config.getClusters().find((c) => c.name === ctx?.cluster)?.server ?? '';
  };
  if (sel.all) {
    if (known.length === 0) throw new UserError('--all-contexts: the kubeconfig has no contexts');
    return known.map((c) => ({context: c.name, server: serverOf(c.name)}));
  }
  const names = [...new Set(sel.contexts ?? [])];
  const unknown = names.filter((n) => !known.some((c) => c.name === n));
  if (unknown.length > 0) {
    throw new UserError(`--context ${unknown.join(', ')}: not in the kubeconfig (have: ${known.map((c) => c.name).join(', ') || 'none'})`);
  }
  return names.map((n) => ({context: n, server: serverOf(n)}));
}
