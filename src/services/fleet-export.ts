/**
 * render --format acm-policy | kustomize: the checked configuration handed to a fleet engine.
 * The input goes through the same validation and render as any edit; on top of that, warnings
 * that would break every cluster of a fleet at once (an allowlist without the release payload,
 * blocking quay.io or registry.redhat.io, a blocked scope MCO silently drops, policy.json turned
 * into an allowlist by accident) refuse the export (exit 2, nothing written).
 */
import {loadState, type SourceOptions} from '../cluster/source.js';
import {writeExportDir, writeExportFile} from '../cluster/export-files.js';
import {UserError, ValidationError, type Problem} from '../lib/errors.js';
import type {Warning} from '../model/warnings.js';
import {fleetObjects} from '../render/fleet-objects.js';
import {acmPolicyObjects, parseLabel, validatePolicyOptions, type AcmPolicyOptions} from '../render/acm-policy.js';
import {objectsYaml} from '../render/k8s-yaml.js';
import {kustomizeFiles} from '../render/kustomize.js';
import {renderService} from './render.js';

/** Warning codes that refuse a fleet export. */
export const FLEET_REFUSED = ['allowlist-missing-payload', 'blocked-critical', 'mco-dropped', 'implicit-allowlist'];

export interface FleetExportOptions extends SourceOptions {
  format: 'acm-policy' | 'kustomize';
  out?: string;
  releaseImage?: string;
  allowInvalid?: boolean;
  policyName: string;
  policyNamespace: string;
  remediation: 'inform' | 'enforce';
  placementLabels: string[];
  clusterSets: string[];
  warn: (w: Warning) => void;
}

export interface FleetExportResult {
  format: string;
  /** The configuration objects carried, in output order. */
  objects: Array<{kind: string; name: string; namespace?: string}>;
  /** Every document written: the Policy, Placement and PlacementBinding, or the objects and the kustomization. */
  documents: Array<{path?: string; content: string}>;
  written?: string[];
}

function policyOptions(o: FleetExportOptions): AcmPolicyOptions {
  const labels: Record<string, string> = {};
  const problems: Problem[] = [];
  for (const s of o.placementLabels) {
    const l = parseLabel(s);
    if ('message' in l) problems.push(l);
    else labels[l.key] = l.value;
  }
  const opts: AcmPolicyOptions = {name: o.policyName, namespace: o.policyNamespace, remediation: o.remediation, placementLabels: labels, clusterSets: o.clusterSets};
  problems.push(...validatePolicyOptions(opts));
  if (problems.length > 0) throw new ValidationError(problems);
  return opts;
}

export async function runFleetExport(o: FleetExportOptions): Promise<FleetExportResult> {
  if (o.format === 'kustomize' && !o.out) throw new UserError('--format kustomize writes one file per object: pass --out DIR');
  const policy = o.format === 'acm-policy' ? policyOptions(o) : undefined;
  const loaded = await loadState(o);
  const refused: Problem[] = [];
  renderService(loaded, {
    releaseImage: o.releaseImage,
    allowInvalid: o.allowInvalid,
    warn: (w) => {
      if (FLEET_REFUSED.includes(w.code)) refused.push({field: w.field ?? 'spec', message: `${w.message} [${w.code}: refused for --format ${o.format}, it would reach every cluster of the fleet]`});
      else o.warn(w);
    },
  });
  if (refused.length > 0) throw new ValidationError(refused);
  const objects = fleetObjects(loaded);
  if (objects.length === 0) throw new UserError('the input holds no registry configuration (Image cluster, mirror sets, image policies): nothing to hand to a fleet');
  const keys = objects.map((x) => ({kind: x.kind, name: x.name, ...(x.namespace ? {namespace: x.namespace} : {})}));
  if (policy) {
    const content = objectsYaml(acmPolicyObjects(objects, policy));
    return {format: o.format, objects: keys, documents: [{content}], ...(o.out ? {written: await writeExportFile(o.out, content)} : {})};
  }
  const files = kustomizeFiles(objects);
  return {format: o.format, objects: keys, documents: files, written: await writeExportDir(o.out!, files)};
}
