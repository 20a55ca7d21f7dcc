/**
 * Reading configuration back out of a Red Hat ACM Policy (policy.open-cluster-management.io/v1):
 * the objectDefinition of every musthave / mustonlyhave object template of each ConfigurationPolicy
 * in spec.policy-templates (or of a bare ConfigurationPolicy). mustnothave templates describe
 * objects that must be absent and are not configuration. Pure.
 */
import {isPlainObject} from '../lib/objects.js';

const GROUP = 'policy.open-cluster-management.io/v1';
type Obj = Record<string, unknown>;

/** Where a wrapped object sits in its document: keys and list indexes from the document's root. */
export type DocPath = Array<string | number>;

function fromConfigurationPolicy(cp: Obj, at: DocPath): Array<{path: DocPath; object: Obj}> {
  const templates = (cp.spec as Obj | undefined)?.['object-templates'];
  if (!Array.isArray(templates)) return [];
  return templates.flatMap((t, i) =>
    isPlainObject(t) && isPlainObject(t.objectDefinition) && /^must(only)?have$/i.test(String(t.complianceType ?? '')) ? [{path: [...at, 'spec', 'object-templates', i, 'objectDefinition'], object: t.objectDefinition}] : [],
  );
}

/** The wrapped objects with their paths, or undefined when `body` is not an ACM Policy / ConfigurationPolicy. */
export function acmObjectDefinitionsAt(body: Obj): Array<{path: DocPath; object: Obj}> | undefined {
  if (body.apiVersion !== GROUP) return undefined;
  if (body.kind === 'ConfigurationPolicy') return fromConfigurationPolicy(body, []);
  if (body.kind !== 'Policy') return undefined;
  const templates = (body.spec as Obj | undefined)?.['policy-templates'];
  if (!Array.isArray(templates)) return [];
  return templates.flatMap((t, i) =>
    isPlainObject(t) && isPlainObject(t.objectDefinition) && t.objectDefinition.kind === 'ConfigurationPolicy' && t.objectDefinition.apiVersion === GROUP ? fromConfigurationPolicy(t.objectDefinition, ['spec', 'policy-templates', i, 'objectDefinition']) : [],
  );
}
