/**
 * The files on a node that registry configuration decides, in one place: their
 * paths, and the one NodeFile type that render, plan, explain and verify share.
 * Pure.
 */

export const REGISTRIES_CONF_PATH = '/etc/containers/registries.conf';
export const POLICY_JSON_PATH = '/etc/containers/policy.json';
export const REGISTRIES_CONF_D = '/etc/containers/registries.conf.d';
export const SEARCH_DROPIN_PATH = `${REGISTRIES_CONF_D}/01-image-searchRegistries.conf`;
export const REGISTRIES_D = '/etc/containers/registries.d';
export const SIGSTORE_REGISTRIES_PATH = `${REGISTRIES_D}/sigstore-registries.yaml`;
export const CRIO_POLICIES_DIR = '/etc/crio/policies';
/** The machine-config daemon's key for the default signature policy (no drain when it changes). */
export const CONTAINERS_GPG_PUB_PATH = '/etc/machine-config-daemon/no-reboot/containers-gpg.pub';
/** Where the machine-config daemon writes the additional trusted CAs. */
export const DOCKER_CERTS_DIR = '/etc/docker/certs.d';
/** docker/docker_client.go perHostCertDirs, in lookup order (after the user's ~/.config/containers/certs.d). */
export const CERT_DIRS = ['/etc/containers/certs.d', DOCKER_CERTS_DIR];

/** `/etc/crio/policies/<namespace>.json`: CRI-O's per-namespace signature policy. */
export function crioPolicyPath(namespace: string): string {
  return `${CRIO_POLICIES_DIR}/${namespace}.json`;
}

/** Namespace of the additional trusted CA ConfigMap (Image spec.additionalTrustedCA.name). */
export const CA_NAMESPACE = 'openshift-config';

/** ConfigMap key `host..port` -> `host:port` (the machine-config daemon replaces every `..`). */
export function caHost(key: string): string {
  return key.replaceAll('..', ':');
}

/** ConfigMap key `host..port` -> `/etc/docker/certs.d/host:port/ca.crt`. */
export function caPath(key: string): string {
  return `${DOCKER_CERTS_DIR}/${caHost(key)}/ca.crt`;
}

/**
 * Who puts a file on the node: MCO's generated MachineConfig, the base template
 * (a file the configuration leaves alone), or the machine-config daemon (CAs).
 */
export type NodeFileOrigin = 'machineconfig' | 'template' | 'daemon';

export interface NodeFile {
  path: string;
  content: string;
  origin: NodeFileOrigin;
  /** True when the file differs from what a node has without this configuration. */
  changed: boolean;
}

/** A file's path and text only: what readers of node files (explain, disruption) need. */
export type NodeFileText = Pick<NodeFile, 'path' | 'content'>;
