/**
 * `mirror migrate`: every ImageContentSourcePolicy becomes an ImageDigestMirrorSet,
 * with the proof that nodes render the same files before and after. Writes to
 * --out DIR, rewrites -f files in place, or applies to the cluster (deleting the
 * ICSPs only with --delete-icsp).
 */
import {join} from 'node:path';
import {ConflictError, UserError, ValidationError} from '../lib/errors.js';
import {ExitCode} from '../lib/exit-codes.js';
import {editManifests, type FileText, type PlacedChange} from '../model/manifest-edit.js';
import {stringify} from 'yaml';
import {loadManifests, type LoadedObject} from '../model/manifests.js';
import {migrateIcsp, mirrorSetObject, type Migration, type MigrationPair} from '../model/mirrors.js';
import type {ObjectChange as PlannedChange} from '../render/plan.js';
import type {ClusterState} from '../model/types.js';
import {validateMirrorSets} from '../model/validate.js';
import {proveEquivalent, type EquivalenceProof} from '../render/mirrors.js';
import type {KubeOptions} from '../cluster/kube.js';
import {readManifests} from '../cluster/manifest-files.js';
import {writeFilesAtomic} from '../cluster/mirror-io.js';

export interface MigrateOptions extends KubeOptions {
  file?: string[];
  out?: string;
  deleteIcsp: boolean;
  dryRun: boolean;
  yes: boolean;
  allowDifferences: boolean;
  releaseImage?: string;
}

export interface MigratedObject {
  icsp: string;
  idms: string;
  alreadyMigrated: boolean;
  yaml: string;
}

export interface MigrateResult {
  mode: 'file' | 'live';
  /** Where the result went: out (--out DIR), in-place (-f), cluster, or nowhere (dry run / nothing to do). */
  target: 'out' | 'in-place' | 'cluster' | 'none';
  objects: MigratedObject[];
  /** Node files before vs after this command. */
  proof: EquivalenceProof;
  /** When the ICSPs stay (live without --delete-icsp): before vs the state once they are deleted. */
  proofWithoutIcsp?: EquivalenceProof;
  written: string[];
  icspDeleted: string[];
}

export interface MigrateIo {
  confirm?: (question: string) => Promise<boolean>;
  progress(message: string): void;
}

function plan(state: ClusterState, deleteIcsp: boolean): {migration: Migration; proof: EquivalenceProof; proofWithoutIcsp?: EquivalenceProof} {
  const migration = migrateIcsp(state.mirrorSets, {deleteIcsp});
  const after = {...state, mirrorSets: migration.sets};
  const problems = validateMirrorSets(after).filter((p) => migration.pairs.some((x) => p.field.startsWith(`ImageDigestMirrorSet/${x.idms.name} `)));
  if (problems.length > 0) throw new ValidationError(problems.map((p) => ({...p, message: `${p.message} (converted from the ImageContentSourcePolicy, which has no such check; fix it there first)`})));
  const proof = proveEquivalent(state, after);
  const proofWithoutIcsp = deleteIcsp ? undefined : proveEquivalent(state, {...state, mirrorSets: migrateIcsp(state.mirrorSets, {deleteIcsp: true}).sets});
  return {migration, proof, ...(proofWithoutIcsp ? {proofWithoutIcsp} : {})};
}

const toYaml = (body: Record<string, unknown>) => stringify(body, {indentSeq: false, lineWidth: 0});

function objectsOf(m: Migration, objects: LoadedObject[]): MigratedObject[] {
  return m.pairs.map((p) => ({icsp: p.icsp.name, idms: p.idms.name, alreadyMigrated: p.alreadyMigrated, yaml: toYaml(idmsBody(p, objects))}));
}

function requireProof(opts: MigrateOptions, proofs: Array<EquivalenceProof | undefined>): void {
  const bad = proofs.filter((p): p is EquivalenceProof => p !== undefined && !p.identical);
  if (bad.length > 0 && !opts.allowDifferences) {
    const files = [...new Set(bad.flatMap((p) => p.differences.map((d) => d.path)))];
    throw new UserError(`the migrated configuration renders differently on nodes (${files.join(', ') || 'MCO error'}); nothing was written. Review the differences with --dry-run and pass --allow-differences to write anyway`, ExitCode.usage);
  }
}

async function confirm(opts: MigrateOptions, io: MigrateIo, where: string): Promise<void> {
  if (opts.yes) return;
  if (!io.confirm) throw new UserError('no terminal to confirm on: pass --yes to apply, or --dry-run to only preview; nothing was changed', ExitCode.usage);
  if (!(await io.confirm(`Write the migration to ${where}?`))) throw new UserError('not confirmed; nothing was changed', ExitCode.usage);
}

/**
 * The IDMS object for one pair: the converted rules, plus the ICSP's labels and
 * annotations (oc-mirror marks its objects with labels that tooling selects on).
 */
function idmsBody(pair: MigrationPair, objects: LoadedObject[]): Record<string, unknown> {
  const body = mirrorSetObject(pair.idms) as {metadata: Record<string, unknown>};
  const meta = objects.find((o) => o.kind === 'ImageContentSourcePolicy' && o.name === pair.icsp.name)?.body.metadata as Record<string, unknown> | undefined;
  const labels = meta?.labels as Record<string, string> | undefined;
  const annotations = {...((meta?.annotations as Record<string, string> | undefined) ?? {})};
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  if (labels && Object.keys(labels).length > 0) body.metadata.labels = {...labels};
  if (Object.keys(annotations).length > 0) body.metadata.annotations = annotations;
  return body;
}

/** Live writes: every IDMS is created before any ICSP is deleted, so nodes never lose a mirror. */
function liveChanges(m: Migration, objects: LoadedObject[]): PlannedChange[] {
  const creates = m.pairs.filter((p) => !p.alreadyMigrated).map((p): PlannedChange => ({kind: 'ImageDigestMirrorSet', name: p.idms.name, action: 'create', after: idmsBody(p, objects), diff: ''}));
  const deletes = m.changes.filter((c) => c.action === 'delete').map((c): PlannedChange => ({kind: c.kind, name: c.name, action: 'delete', diff: ''}));
  return [...creates, ...deletes];
}

export async function runMigrate(opts: MigrateOptions, io: MigrateIo): Promise<MigrateResult> {
  const fileMode = Boolean(opts.file && opts.file.length > 0);
  let state: ClusterState;
  let objects: LoadedObject[];
  let texts: FileText[] = [];
  let live: Awaited<ReturnType<typeof import('../cluster/live-state.js').readLiveState>> | undefined;
  const readLive = async () => {
    const {readLiveState} = await import('../cluster/live-state.js');
    const l = await readLiveState(opts);
    if (opts.releaseImage) l.state.releaseImage = opts.releaseImage;
    return l;
  };
  if (fileMode) {
    const inputs = await readManifests(opts.file!);
    texts = inputs.filter((i): i is FileText => 'text' in i);
    const loaded = loadManifests(inputs);
    if (loaded.problems.length > 0) throw new ValidationError(loaded.problems);
    state = loaded.state;
    objects = loaded.objects;
    if (opts.releaseImage) state.releaseImage = opts.releaseImage;
  } else {
    live = await readLive();
    state = live.state;
    objects = live.objects;
  }
  // In files, "in place" means the ICSP document becomes the IDMS document.
  const deleteIcsp = fileMode && !opts.out ? true : opts.deleteIcsp && !opts.out;
  const p = plan(state, deleteIcsp);
  const base = {mode: fileMode ? ('file' as const) : ('live' as const), objects: objectsOf(p.migration, objects), proof: p.proof, ...(p.proofWithoutIcsp ? {proofWithoutIcsp: p.proofWithoutIcsp} : {}), written: [] as string[], icspDeleted: [] as string[]};
  if (p.migration.pairs.length === 0 || opts.dryRun) return {...base, target: 'none'};
  requireProof(opts, [p.proof, p.proofWithoutIcsp]);

  if (opts.out) {
    const edits = p.migration.pairs.map((x) => ({file: join(opts.out!, `imagedigestmirrorset-${x.idms.name}.yaml`), after: toYaml(idmsBody(x, objects))}));
    await confirm(opts, io, opts.out);
    return {...base, target: 'out', written: await writeFilesAtomic(edits)};
  }
  if (fileMode) {
    const placed: PlacedChange[] = p.migration.pairs.map((x) =>
      x.alreadyMigrated
        ? {action: 'delete', kind: 'ImageContentSourcePolicy', name: x.icsp.name, before: x.icsp}
        : {action: 'create', kind: 'ImageDigestMirrorSet', name: x.idms.name, after: x.idms, replaces: {kind: 'ImageContentSourcePolicy', name: x.icsp.name}},
    );
    const {keepFormatting} = await import('../cluster/edit-files.js');
    const edits = editManifests(texts, placed, keepFormatting);
    await confirm(opts, io, edits.map((e) => e.file).join(', '));
    return {...base, target: 'in-place', written: await writeFilesAtomic(edits), icspDeleted: p.migration.pairs.map((x) => x.icsp.name)};
  }
  await confirm(opts, io, `the cluster at ${live!.kube.server}`);
  const {applyLive, WriteConflict} = await import('../cluster/write-live.js');
  const written: string[] = [];
  const rolledBack: string[] = [];
  let changes = liveChanges(p.migration, objects);
  for (let attempt = 1; ; attempt++) {
    try {
      for (const a of await applyLive(live!.kube, changes)) written.push(`${a.action} ${a.kind}/${a.name}`);
      break;
    } catch (e) {
      if (!(e instanceof WriteConflict)) throw e;
      rolledBack.push(...e.rolledBack);
      const left = rolledBack.length > 0 ? `; every write was rolled back (${[...new Set(rolledBack)].join(', ')}), the cluster is as before` : '; nothing was changed';
      if (attempt >= 4) throw new ConflictError(`${e.message}; still conflicting after ${attempt} attempts${written.length ? ` (already applied: ${written.join('; ')})` : left}`);
      io.progress(`conflict: ${e.message}; re-reading (attempt ${attempt + 1})`);
      live = await readLive();
      objects = live.objects;
      changes = liveChanges(plan(live.state, deleteIcsp).migration, objects);
    }
  }
  return {...base, target: 'cluster', written, icspDeleted: deleteIcsp ? p.migration.pairs.map((x) => x.icsp.name) : []};
}
