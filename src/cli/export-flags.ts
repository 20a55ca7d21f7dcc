/** Flags of `render --format acm-policy | kustomize` (handing the configuration to a fleet engine). */
import {Flags} from '@oclif/core';

export const EXPORT_FORMATS = ['acm-policy', 'kustomize'];

export const exportFlags = {
  remediation: Flags.string({options: ['inform', 'enforce'], default: 'inform', helpGroup: 'FLEET', description: 'acm-policy: report drift only (inform) or make the clusters match (enforce).'}),
  'policy-name': Flags.string({default: 'image-registries', helpGroup: 'FLEET', description: 'acm-policy: name of the Policy (and of its ConfigurationPolicy; the Placement is placement-NAME, the binding binding-NAME).'}),
  'policy-namespace': Flags.string({default: 'policies', helpGroup: 'FLEET', description: 'acm-policy: hub namespace of the Policy, Placement and PlacementBinding (bind a ManagedClusterSet to it).'}),
  'placement-label': Flags.string({multiple: true, helpGroup: 'FLEET', description: 'acm-policy: only clusters with this ManagedCluster label, key=value (repeatable; always vendor=OpenShift).'}),
  'cluster-set': Flags.string({multiple: true, helpGroup: 'FLEET', description: 'acm-policy: only clusters of this ManagedClusterSet (repeatable).'}),
};

export const EXPORT_HELP = `

--format acm-policy writes a Red Hat ACM Policy (policy.open-cluster-management.io/v1) whose ConfigurationPolicy holds the Image, mirror sets, image policies and the CA ConfigMap as musthave object templates, plus a Placement (cluster.open-cluster-management.io/v1beta1) and a PlacementBinding; on stdout, or into the file --out names. --format kustomize --out DIR writes the same objects one per file with a kustomization.yaml (for Argo CD). The output is byte-stable for the same input, without server-managed metadata. Both are checked like any edit, and stricter: an allowlist without the release payload, blocking quay.io or registry.redhat.io, a blocked scope MCO would drop, or an accidental policy.json allowlist is refused (exit 2, nothing written), as --strict would, because it would break every cluster at once. render -f reads such a Policy file or kustomize directory back.`;
