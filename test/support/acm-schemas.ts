/**
 * The published schemas of the ACM objects, transcribed field by field (required fields, enums,
 * item counts) from:
 * - policies.policy.open-cluster-management.io (stolostron/governance-policy-propagator,
 *   deploy/crds/policy.open-cluster-management.io_policies.yaml)
 * - configurationpolicies.policy.open-cluster-management.io (open-cluster-management-io/config-policy-controller,
 *   deploy/crds/policy.open-cluster-management.io_configurationpolicies.yaml)
 * - placementbindings.policy.open-cluster-management.io (governance-policy-propagator,
 *   deploy/crds/policy.open-cluster-management.io_placementbindings.yaml)
 * - Placement cluster.open-cluster-management.io/v1beta1 (open-cluster-management-io/api, cluster/v1beta1/types_placement.go)
 * and a small validator for that subset of OpenAPI v3 (type, required, enum, properties, items,
 * minItems, maxItems, additionalProperties: false where the CRD is closed).
 */
export interface Schema {
  type?: 'object' | 'array' | 'string' | 'boolean' | 'integer';
  required?: string[];
  enum?: string[];
  properties?: Record<string, Schema>;
  /** Unknown fields are an error (a structural CRD prunes or rejects them). */
  closed?: boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
}

const str: Schema = {type: 'string'};
const remediation: Schema = {type: 'string', enum: ['Inform', 'inform', 'Enforce', 'enforce']};
const meta: Schema = {type: 'object'};
const labelSelector: Schema = {
  type: 'object',
  closed: true,
  properties: {
    matchLabels: {type: 'object'},
    matchExpressions: {type: 'array', items: {type: 'object', required: ['key', 'operator'], properties: {key: str, operator: {type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist']}, values: {type: 'array', items: str}}}},
  },
};

export const CONFIGURATION_POLICY: Schema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: {type: 'string', enum: ['policy.open-cluster-management.io/v1']},
    kind: {type: 'string', enum: ['ConfigurationPolicy']},
    metadata: meta,
    spec: {
      type: 'object',
      closed: true,
      required: ['remediationAction', 'object-templates'],
      properties: {
        remediationAction: remediation,
        severity: {type: 'string', enum: ['low', 'Low', 'medium', 'Medium', 'high', 'High', 'critical', 'Critical']},
        pruneObjectBehavior: {type: 'string', enum: ['DeleteAll', 'DeleteIfCreated', 'None']},
        namespaceSelector: {type: 'object'},
        'object-templates': {
          type: 'array',
          items: {
            type: 'object',
            closed: true,
            required: ['complianceType', 'objectDefinition'],
            properties: {
              complianceType: {type: 'string', enum: ['MustHave', 'Musthave', 'musthave', 'MustOnlyHave', 'Mustonlyhave', 'mustonlyhave', 'MustNotHave', 'Mustnothave', 'mustnothave']},
              metadataComplianceType: {type: 'string', enum: ['MustHave', 'Musthave', 'musthave', 'MustOnlyHave', 'Mustonlyhave', 'mustonlyhave']},
              recordDiff: {type: 'string', enum: ['Log', 'InStatus', 'None']},
              recreateOption: {type: 'string', enum: ['None', 'IfRequired', 'Always']},
              objectDefinition: {type: 'object'},
            },
          },
        },
      },
    },
  },
};

export const POLICY: Schema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: {type: 'string', enum: ['policy.open-cluster-management.io/v1']},
    kind: {type: 'string', enum: ['Policy']},
    metadata: meta,
    spec: {
      type: 'object',
      closed: true,
      required: ['disabled', 'policy-templates'],
      properties: {
        disabled: {type: 'boolean'},
        remediationAction: remediation,
        copyPolicyMetadata: {type: 'boolean'},
        dependencies: {type: 'array'},
        'policy-templates': {type: 'array', items: {type: 'object', closed: true, required: ['objectDefinition'], properties: {objectDefinition: {type: 'object'}, extraDependencies: {type: 'array'}, ignorePending: {type: 'boolean'}}}},
      },
    },
  },
};

export const PLACEMENT_BINDING: Schema = {
  type: 'object',
  closed: true,
  required: ['placementRef', 'subjects'],
  properties: {
    apiVersion: {type: 'string', enum: ['policy.open-cluster-management.io/v1']},
    kind: {type: 'string', enum: ['PlacementBinding']},
    metadata: meta,
    placementRef: {
      type: 'object',
      required: ['apiGroup', 'kind', 'name'],
      properties: {apiGroup: {type: 'string', enum: ['apps.open-cluster-management.io', 'cluster.open-cluster-management.io'], minLength: 1}, kind: {type: 'string', enum: ['PlacementRule', 'Placement'], minLength: 1}, name: {type: 'string', minLength: 1}},
    },
    subjects: {
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {type: 'object', required: ['apiGroup', 'kind', 'name'], properties: {apiGroup: {type: 'string', enum: ['policy.open-cluster-management.io']}, kind: {type: 'string', enum: ['Policy', 'PolicySet']}, name: {type: 'string', minLength: 1}}},
    },
  },
};

export const PLACEMENT: Schema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: {type: 'string', enum: ['cluster.open-cluster-management.io/v1beta1']},
    kind: {type: 'string', enum: ['Placement']},
    metadata: meta,
    spec: {
      type: 'object',
      closed: true,
      properties: {
        clusterSets: {type: 'array', items: str},
        numberOfClusters: {type: 'integer'},
        predicates: {type: 'array', items: {type: 'object', closed: true, properties: {requiredClusterSelector: {type: 'object', closed: true, properties: {labelSelector, claimSelector: {type: 'object'}}}}}},
        prioritizerPolicy: {type: 'object'},
        tolerations: {type: 'array', items: {type: 'object', closed: true, properties: {key: str, operator: {type: 'string', enum: ['Exists', 'Equal']}, value: str, effect: {type: 'string', enum: ['NoSelect', 'PreferNoSelect', 'NoSelectIfNew']}, tolerationSeconds: {type: 'integer'}}}},
      },
    },
  },
};

const typeOf = (x: unknown) => (Array.isArray(x) ? 'array' : x === null ? 'null' : Number.isInteger(x) ? 'integer' : typeof x);

/** Every violation, as `path: problem`. */
export function validate(x: unknown, s: Schema, path = ''): string[] {
  const out: string[] = [];
  if (s.type && typeOf(x) !== s.type) return [`${path || '.'}: is ${typeOf(x)}, want ${s.type}`];
  if (s.enum && !s.enum.includes(x as string)) out.push(`${path}: ${JSON.stringify(x)} not in ${s.enum.join('|')}`);
  if (s.minLength !== undefined && typeof x === 'string' && x.length < s.minLength) out.push(`${path}: shorter than ${s.minLength}`);
  if (Array.isArray(x)) {
    if (s.minItems !== undefined && x.length < s.minItems) out.push(`${path}: fewer than ${s.minItems} items`);
    if (s.maxItems !== undefined && x.length > s.maxItems) out.push(`${path}: more than ${s.maxItems} items`);
    if (s.items) x.forEach((it, i) => out.push(...validate(it, s.items!, `${path}[${i}]`)));
  } else if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    for (const r of s.required ?? []) if (!(r in o)) out.push(`${path}.${r}: required`);
    for (const [k, v] of Object.entries(o)) {
      const sub = s.properties?.[k];
      if (sub) out.push(...validate(v, sub, `${path}.${k}`));
      else if (s.closed) out.push(`${path}.${k}: unknown field`);
    }
  }
  return out;
}
