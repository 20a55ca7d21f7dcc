/**
 * The Kubernetes API, loaded lazily: importing @kubernetes/client-node costs
 * ~0.5 s, so only commands that talk to a cluster pay for it, inside run().
 */
import {existsSync} from 'node:fs';
import {delimiter} from 'node:path';
import {ClusterError} from '../lib/errors.js';

export interface KubeOptions {
  kubeconfig?: string;
  context?: string;
}

type ClientModule = typeof import('@kubernetes/client-node');

let modPromise: Promise<ClientModule> | undefined;
export function loadClient(): Promise<ClientModule> {
  return (modPromise ??= import('@kubernetes/client-node'));
}

export interface Kube {
  mod: ClientModule;
  config: InstanceType<ClientModule['KubeConfig']>;
  server: string;
  user: string;
}

/** Kubeconfig merged like kubectl: --kubeconfig, else the KUBECONFIG list, else ~/.kube/config. */
export async function connect(opts: KubeOptions): Promise<Kube> {
  const {mod, config} = await loadKubeconfig(opts);
  if (opts.context) {
    if (!config.getContextObject(opts.context)) throw new ClusterError(`context ${opts.context} is not in the kubeconfig (have: ${config.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    config.setCurrentContext(opts.context);
  }
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new ClusterError('no current cluster in the kubeconfig: use --kubeconfig/--context, log in with `oc login`, or pass -f to work on manifests');
  const ctx = config.getContextObject(config.getCurrentContext());
  return {mod, config, server: cluster.server, user: ctx?.user ?? config.getCurrentUser()?.name ?? 'unknown'};
}

/** The kubeconfig, loaded and merged as `connect` does, without selecting a context. */
export async function loadKubeconfig(opts: Pick<KubeOptions, 'kubeconfig'>): Promise<{mod: ClientModule; config: InstanceType<ClientModule['KubeConfig']>}> {
  const mod = await loadClient();
  const config = new mod.KubeConfig();
  try {
    if (opts.kubeconfig) config.loadFromFile(opts.kubeconfig);
    else if (process.env.KUBECONFIG) mergeKubeconfigs(mod, config, process.env.KUBECONFIG.split(delimiter).filter(Boolean));
    else config.loadFromDefault();
  } catch (e) {
    throw new ClusterError(`cannot load kubeconfig${opts.kubeconfig ? ` ${opts.kubeconfig}` : ''}: ${(e as Error).message}`);
  }
  return {mod, config};
}

/**
 * The KUBECONFIG list merged as kubectl merges it (client-go loading rules):
 * missing files are skipped, the first file that defines a cluster, user or
 * context wins, and the first non-empty current-context wins. (client-node's
 * loadFromDefault lets later files override current-context and throws on
 * duplicate names.)
 */
function mergeKubeconfigs(mod: ClientModule, into: InstanceType<ClientModule['KubeConfig']>, files: string[]): void {
  const clusters = new Map<string, ReturnType<typeof into.getClusters>[number]>();
  const users = new Map<string, ReturnType<typeof into.getUsers>[number]>();
  const contexts = new Map<string, ReturnType<typeof into.getContexts>[number]>();
  let current = '';
  let loaded = 0;
  for (const f of files) {
    if (!existsSync(f)) continue;
    const kc = new mod.KubeConfig();
    kc.loadFromFile(f);
    loaded++;
    for (const c of kc.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!current && kc.getCurrentContext()) current = kc.getCurrentContext();
  }
  if (loaded === 0) throw new Error(`none of the KUBECONFIG files exist (${files.join(delimiter)})`);
  into.loadFromOptions({clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext: current});
}

/** HTTP status of a client error, if it has one. */
export function statusOf(e: unknown): number | undefined {
  const x = e as {code?: unknown; statusCode?: unknown; response?: {statusCode?: number}};
  if (typeof x?.code === 'number') return x.code;
  if (typeof x?.statusCode === 'number') return x.statusCode;
  return x?.response?.statusCode;
}

/** A cluster error that names the API, the user and the server. */
export function clusterError(kube: Kube, what: string, e: unknown): ClusterError {
  const code = statusOf(e);
  if (code === 401) return new ClusterError(`${what}: unauthorized as user ${kube.user} on ${kube.server}`, 'log in again with `oc login`');
  if (code === 403) return new ClusterError(`${what}: forbidden for user ${kube.user} on ${kube.server}`, 'the command needs cluster-admin (or get/list on that resource)');
  if (code !== undefined) return new ClusterError(`${what}: the API server at ${kube.server} answered ${code}: ${briefBody(e)}`);
  return new ClusterError(`${what} as user ${kube.user}: cannot reach the API server at ${kube.server}: ${(e as Error).message ?? e}`);
}

function briefBody(e: unknown): string {
  const body = (e as {body?: unknown}).body;
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as {message?: string}).message ?? body.slice(0, 200);
    } catch {
      return body.slice(0, 200);
    }
  }
  if (body && typeof body === 'object' && 'message' in body) return String((body as {message: unknown}).message);
  return (e as Error).message ?? 'error';
}
