/**
 * `mirror migrate` on the shared editing path: the migrate editor (every
 * ImageContentSourcePolicy becomes an ImageDigestMirrorSet) planned, shown,
 * confirmed and applied like any edit, live or in the manifest files, or
 * exported as new files (--out DIR). Its own check is the equivalence proof:
 * the plan must render every MCO node file byte-identical, or nothing is
 * written without --allow-differences.
 */
import {stringify} from 'yaml';
import type {Problem} from '../lib/errors.js';
import type {CurrentObject} from '../model/edit.js';
import {loadManifests} from '../model/manifests.js';
import {migrateIcsp} from '../model/mirrors.js';
import {equivalenceOf, idmsBody, migrateEditor} from '../render/migrate-editor.js';
import type {EquivalenceProof} from '../render/mirrors.js';
import {plan as makePlan, type Plan} from '../render/plan.js';
import type {SessionOptions} from './edit-session.js';

export interface MigrateOptions {
  file?: string[];
  out?: string;
  deleteIcsp: boolean;
  allowDifferences: boolean;
  dryRun?: boolean;
  releaseImage?: string;
}

export interface MigratedObject {
  icsp: string;
  idms: string;
  alreadyMigrated: boolean;
  yaml: string;
}

/** What `mirror migrate` adds to the edit result. */
export interface MigrationReport {
  objects: MigratedObject[];
  /** Node files before vs after this command. */
  proof?: EquivalenceProof;
  /** When the ICSPs stay (live without --delete-icsp): before vs the state once they are deleted too. */
  proofWithoutIcsp?: EquivalenceProof;
}

export interface Migration {
  editor: ReturnType<typeof migrateEditor>;
  options: Partial<SessionOptions>;
  report: MigrationReport;
}

function refuseDifferences(what: string, proof: EquivalenceProof): Problem[] {
  if (proof.identical) return [];
  const files = proof.differences.map((d) => d.path).join(', ') || `MCO error: ${proof.errorAfter ?? proof.errorBefore}`;
  return [{field: 'mirror migrate', message: `the migrated configuration renders differently on nodes ${what} (${files}); nothing was written. Review the differences with --dry-run and pass --allow-differences to write anyway`}];
}

export function migration(opts: MigrateOptions): Migration {
  const fileMode = Boolean(opts.file && opts.file.length > 0);
  // In files without --out, "in place" means the ICSP document becomes the IDMS document.
  const inPlace = fileMode && !opts.out;
  const deleteIcsp = !opts.out && opts.deleteIcsp;
  const editor = migrateEditor({deleteIcsp, inPlace});
  const report: MigrationReport = {objects: []};
  const checks = (plan: Plan, current: CurrentObject[]): Problem[] => {
    const state = loadManifests([{file: 'objects', objects: current.map((o) => o.body)}]).state;
    report.objects = migrateIcsp(state.mirrorSets, {deleteIcsp: false}).pairs.map((p) => ({
      icsp: p.icsp.name,
      idms: p.idms.name,
      alreadyMigrated: p.alreadyMigrated,
      yaml: stringify(idmsBody(p, current.find((o) => o.kind === 'ImageContentSourcePolicy' && o.name === p.icsp.name)?.body), {indentSeq: false, lineWidth: 0}),
    }));
    report.proof = equivalenceOf(plan);
    // ICSPs left next to their IDMS: prove the later deletion safe too.
    report.proofWithoutIcsp = inPlace || deleteIcsp ? undefined : equivalenceOf(makePlan(current, migrateEditor({deleteIcsp: true, inPlace: false}), {releaseImage: opts.releaseImage}));
    // A dry run shows the differences; only a write is refused.
    if (opts.allowDifferences || opts.dryRun) return [];
    return [...refuseDifferences('after migration', report.proof), ...(report.proofWithoutIcsp ? refuseDifferences('once the ICSPs are deleted', report.proofWithoutIcsp) : [])];
  };
  return {editor, report, options: {checks, ...(opts.out ? {exportTo: opts.out} : {})}};
}
