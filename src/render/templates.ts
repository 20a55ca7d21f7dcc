/**
 * The base files every node has before MCO's generated MachineConfig overrides
 * them (MCO templates/<role>/01-<role>-container-runtime/_base/files/), byte for byte.
 */
export const TEMPLATE_REGISTRIES_CONF = "unqualified-search-registries = ['registry.access.redhat.com', 'docker.io']\n";

export const TEMPLATE_POLICY_JSON = `{
    "default": [
        {
            "type": "insecureAcceptAnything"
        }
    ],
    "transports":
        {
            "docker-daemon":
                {
                    "": [{"type":"insecureAcceptAnything"}]
                }
        }
}`;

export const REGISTRIES_CONF_PATH = '/etc/containers/registries.conf';
export const POLICY_JSON_PATH = '/etc/containers/policy.json';
export const SEARCH_DROPIN_PATH = '/etc/containers/registries.conf.d/01-image-searchRegistries.conf';
export const SIGSTORE_REGISTRIES_PATH = '/etc/containers/registries.d/sigstore-registries.yaml';
export const CRIO_POLICIES_DIR = '/etc/crio/policies';
