/**
 * A Red Hat ACM Policy carrying the registry configuration, with its Placement and
 * PlacementBinding. Field by field after the published schemas:
 * - Policy (policy.open-cluster-management.io/v1, CRD policies.policy.open-cluster-management.io,
 *   governance-policy-propagator): spec.disabled and spec.policy-templates are required; each
 *   policy template holds one objectDefinition; spec.remediationAction (inform | enforce) overrides
 *   the templates' own.
 * - ConfigurationPolicy (policy.open-cluster-management.io/v1, config-policy-controller): spec.remediationAction
 *   required; spec.object-templates[] each with complianceType (musthave) and objectDefinition;
 *   severity low | medium | high | critical.
 * - Placement (cluster.open-cluster-management.io/v1beta1): spec.predicates[].requiredClusterSelector.labelSelector,
 *   spec.clusterSets, spec.tolerations (key, operator Exists).
 * - PlacementBinding (policy.open-cluster-management.io/v1): placementRef {apiGroup, kind: Placement, name}
 *   and exactly one subject {apiGroup: policy.open-cluster-management.io, kind: Policy, name}.
 * Pure.
 */
import type {Problem} from '../lib/errors.js';
import type {FleetObject} from './fleet-objects.js';

export const POLICY_API = 'policy.open-cluster-management.io/v1';
export const PLACEMENT_API = 'cluster.open-cluster-management.io/v1beta1';

export interface AcmPolicyOptions {
  name: string;
  namespace: string;
  remediation: 'inform' | 'enforce';
  /** ManagedCluster labels every selected cluster must have (matchLabels). */
  placementLabels: Record<string, string>;
  /** ManagedClusterSets to select from (empty: every set bound to the namespace). */
  clusterSets: string[];
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** `key=value` of --placement-label, checked as Kubernetes label keys and values are. */
export function parseLabel(s: string): {key: string; value: string} | Problem {
  const eq = s.indexOf('=');
  const field = '--placement-label';
  if (eq <= 0) return {field, value: s, message: 'must be key=value'};
  const key = s.slice(0, eq);
  const value = s.slice(eq + 1);
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return {field, value: s, message: `label key prefix ${prefix} must be a DNS subdomain`};
  if (name.length > 63 || !LABEL_NAME.test(name)) return {field, value: s, message: 'label key name must be at most 63 characters: letters, digits, -, _ and ., starting and ending with a letter or digit'};
  if (value !== '' && (value.length > 63 || !LABEL_NAME.test(value))) return {field, value: s, message: 'label value must be empty or at most 63 characters: letters, digits, -, _ and ., starting and ending with a letter or digit'};
  return {key, value};
}

export function validatePolicyOptions(o: AcmPolicyOptions): Problem[] {
  const problems: Problem[] = [];
  if (o.name.length > 253 || !DNS_SUBDOMAIN.test(o.name)) problems.push({field: '--policy-name', value: o.name, message: 'must be a DNS subdomain (lower-case letters, digits, - and .)'});
  if (o.namespace.length > 63 || !DNS_LABEL.test(o.namespace)) problems.push({field: '--policy-namespace', value: o.namespace, message: 'must be a DNS label (at most 63 lower-case letters, digits and -)'});
  // ACM replicates a policy into each cluster namespace as <namespace>.<name>: together at most 62 characters.
  if (o.name.length + o.namespace.length > 62) problems.push({field: '--policy-name', value: o.name, message: `with --policy-namespace ${o.namespace} it is ${o.name.length + o.namespace.length} characters; ACM allows at most 62 for namespace and name together`});
  for (const s of o.clusterSets) if (!DNS_SUBDOMAIN.test(s)) problems.push({field: '--cluster-set', value: s, message: 'must be a ManagedClusterSet name (DNS subdomain)'});
  return problems;
}

export function placementName(policy: string): string {
  return `placement-${policy}`;
}

/** Policy, Placement and PlacementBinding, in that order. */
export function acmPolicyObjects(objects: FleetObject[], o: AcmPolicyOptions): Array<Record<string, unknown>> {
  const policy = {
    apiVersion: POLICY_API,
    kind: 'Policy',
    metadata: {
      name: o.name,
      namespace: o.namespace,
      annotations: {
        'policy.open-cluster-management.io/categories': 'CM Configuration Management',
        'policy.open-cluster-management.io/controls': 'CM-2 Baseline Configuration',
        'policy.open-cluster-management.io/standards': 'NIST SP 800-53',
      },
    },
    spec: {
      disabled: false,
      remediationAction: o.remediation,
      'policy-templates': [
        {
          objectDefinition: {
            apiVersion: POLICY_API,
            kind: 'ConfigurationPolicy',
            metadata: {name: o.name},
            spec: {
              remediationAction: o.remediation,
              severity: 'high',
              'object-templates': objects.map((x) => ({complianceType: 'musthave', objectDefinition: x.body})),
            },
          },
        },
      ],
    },
  };
  const labels = Object.keys(o.placementLabels).sort();
  const placement = {
    apiVersion: PLACEMENT_API,
    kind: 'Placement',
    metadata: {name: placementName(o.name), namespace: o.namespace},
    spec: {
      ...(o.clusterSets.length > 0 ? {clusterSets: [...o.clusterSets].sort()} : {}),
      predicates: [
        {
          requiredClusterSelector: {
            labelSelector: {
              // The registry configuration exists only on OpenShift clusters.
              matchExpressions: [{key: 'vendor', operator: 'In', values: ['OpenShift']}],
              ...(labels.length > 0 ? {matchLabels: Object.fromEntries(labels.map((k) => [k, o.placementLabels[k]!]))} : {}),
            },
          },
        },
      ],
      // Keep the policy on clusters that are briefly unreachable instead of dropping it from them.
      tolerations: [
        {key: 'cluster.open-cluster-management.io/unreachable', operator: 'Exists'},
        {key: 'cluster.open-cluster-management.io/unavailable', operator: 'Exists'},
      ],
    },
  };
  const binding = {
    apiVersion: POLICY_API,
    kind: 'PlacementBinding',
    metadata: {name: `binding-${o.name}`, namespace: o.namespace},
    placementRef: {apiGroup: 'cluster.open-cluster-management.io', kind: 'Placement', name: placementName(o.name)},
    subjects: [{apiGroup: 'policy.open-cluster-management.io', kind: 'Policy', name: o.name}],
  };
  return [policy, placement, binding];
}
