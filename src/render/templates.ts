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
