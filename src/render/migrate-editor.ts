/**
 * `mirror migrate` as an Editor of the shared editing path: every
 * ImageContentSourcePolicy becomes an ImageDigestMirrorSet (same name unless
 * taken, same rules in order, the ICSP's labels and annotations kept), and the
 * ICSP is deleted or, in manifest files, replaced in place by its IDMS. The
 * equivalence proof is the plan's own node-file diff: none means nodes see no
 * change. Pure.
 */
import type {EditChange, Editor} from '../model/edit.js';
import {loadManifests} from '../model/manifests.js';
import {migrateIcsp, mirrorSetObject, type MigrationPair} from '../model/mirrors.js';
import {validateMirrorSets} from '../model/validate.js';
import {MCO_ORIGINS, type Plan} from './plan.js';
import type {EquivalenceProof} from './mirrors.js';
import {REGISTRIES_CONF_PATH} from '../model/node-files.js';

export interface MigrateIntent {
  /** Delete each ICSP once its IDMS exists (live `--delete-icsp`). */
  deleteIcsp: boolean;
  /** Manifest files: the IDMS document takes the place of its ICSP document. */
  inPlace: boolean;
}

/** The IDMS object for one pair: the converted rules, plus the ICSP's labels and annotations (oc-mirror marks its objects with labels tooling selects on). */
export function idmsBody(pair: MigrationPair, icspBody: Record<string, unknown> | undefined): Record<string, unknown> {
  const body = mirrorSetObject(pair.idms) as {metadata: Record<string, unknown>};
  const meta = icspBody?.metadata as Record<string, unknown> | undefined;
  const labels = meta?.labels as Record<string, string> | undefined;
  const annotations = {...((meta?.annotations as Record<string, string> | undefined) ?? {})};
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  if (labels && Object.keys(labels).length > 0) body.metadata.labels = {...labels};
  if (Object.keys(annotations).length > 0) body.metadata.annotations = annotations;
  return body;
}

export function migrateEditor(intent: MigrateIntent): Editor {
  return (ctx) => {
    const state = loadManifests([{file: 'objects', objects: ctx.objects.map((o) => o.body)}]).state;
    const removeIcsp = intent.deleteIcsp || intent.inPlace;
    const m = migrateIcsp(state.mirrorSets, {deleteIcsp: removeIcsp});
    const created = new Set(m.pairs.filter((p) => !p.alreadyMigrated).map((p) => p.idms.name));
    const problems = validateMirrorSets({...state, mirrorSets: m.sets})
      .filter((p) => [...created].some((n) => p.field.startsWith(`ImageDigestMirrorSet/${n} `)))
      .map((p) => ({...p, message: `${p.message} (converted from the ImageContentSourcePolicy, which has no such check; fix it there first)`}));
    const creates: EditChange[] = [];
    const deletes: EditChange[] = [];
    const summary: string[] = [];
    for (const p of m.pairs) {
      const icsp = ctx.find('ImageContentSourcePolicy', p.icsp.name);
      if (!p.alreadyMigrated) {
        creates.push({kind: 'ImageDigestMirrorSet', name: p.idms.name, after: idmsBody(p, icsp?.body), ...(intent.inPlace ? {replaces: {kind: 'ImageContentSourcePolicy', name: p.icsp.name}} : {})});
        summary.push(`convert ImageContentSourcePolicy ${p.icsp.name} to ImageDigestMirrorSet ${p.idms.name}${removeIcsp ? (intent.inPlace ? ' (in place)' : ', then delete the ICSP') : ''}`);
      } else if (removeIcsp) summary.push(`delete ImageContentSourcePolicy ${p.icsp.name}: ImageDigestMirrorSet ${p.idms.name} already holds its rules`);
      if (removeIcsp) deletes.push({kind: 'ImageContentSourcePolicy', name: p.icsp.name, after: undefined});
    }
    // Every IDMS is created before any ICSP is deleted, so nodes never lose a mirror.
    return {changes: [...creates, ...deletes], problems, summary};
  };
}

/** The proof that nodes see no change: the plan renders every node file MCO writes byte-identical before and after. */
export function equivalenceOf(plan: Plan): EquivalenceProof {
  const differences = plan.files.filter((f) => MCO_ORIGINS.includes(f.origin)).map((f) => ({path: f.path, diff: f.diff}));
  const {before, after} = plan.mcoRefusal;
  return {
    identical: differences.length === 0 && before === after,
    registriesConf: plan.renderedAfter.find((f) => f.path === REGISTRIES_CONF_PATH)?.content ?? '',
    differences,
    ...(before ? {errorBefore: before} : {}),
    ...(after ? {errorAfter: after} : {}),
  };
}
