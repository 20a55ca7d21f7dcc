/** `render --format acm-policy | kustomize`: run the export and print it (YAML on stdout, or the files written). */
import {UserError} from '../lib/errors.js';
import {out} from './output.js';
import type {Warning} from '../model/warnings.js';
import {runFleetExport, type FleetExportOptions, type FleetExportResult} from '../services/fleet-export.js';
import type {FleetIo} from './fleet.js';

export interface ExportFlags extends Omit<FleetExportOptions, 'format' | 'policyName' | 'policyNamespace' | 'remediation' | 'placementLabels' | 'clusterSets' | 'warn'> {
  format: string;
  multi: boolean;
  remediation: string;
  'policy-name': string;
  'policy-namespace': string;
  'placement-label'?: string[];
  'cluster-set'?: string[];
}

export async function exportFleetFormat(io: FleetIo, f: ExportFlags): Promise<FleetExportResult> {
  if (f.multi) throw new UserError(`--format ${f.format} builds one configuration: pass -f, or at most one --context`);
  const r = await runFleetExport({
    ...f,
    format: f.format as FleetExportOptions['format'],
    policyName: f['policy-name'],
    policyNamespace: f['policy-namespace'],
    remediation: f.remediation as 'inform' | 'enforce',
    placementLabels: f['placement-label'] ?? [],
    clusterSets: f['cluster-set'] ?? [],
    warn: (w: Warning) => io.warn(w),
  });
  if (!io.json) out(r.written ? r.written.join('\n') : r.documents.map((d) => d.content).join(''));
  return r;
}
