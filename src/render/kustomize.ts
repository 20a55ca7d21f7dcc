/** The registry configuration objects as a kustomize directory: one file per object and a kustomization.yaml. Pure. */
import type {FleetObject} from './fleet-objects.js';
import {objectYaml} from './k8s-yaml.js';

export const KUSTOMIZATION = 'kustomization.yaml';

/** `<kind>-<name>.yaml`, or `<kind>-<namespace>_<name>.yaml` for a namespaced object (`_` never occurs in names). */
export function objectFileName(o: FleetObject): string {
  return `${o.kind.toLowerCase()}-${o.namespace ? `${o.namespace}_` : ''}${o.name}.yaml`;
}

export function kustomizeFiles(objects: FleetObject[]): Array<{path: string; content: string}> {
  const files = objects.map((o) => ({path: objectFileName(o), content: objectYaml(o.body)}));
  const kustomization = {apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: files.map((f) => f.path)};
  return [...files, {path: KUSTOMIZATION, content: objectYaml(kustomization)}];
}
