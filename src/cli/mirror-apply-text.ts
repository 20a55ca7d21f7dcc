/** Text of the `mirror apply` preview that the per-stage plans do not show. */
import type {Painter} from './output.js';
import type {MirrorApplyReport} from '../services/mirror-apply.js';

export function mirrorApplyReportLines(r: MirrorApplyReport, p: Painter): string[] {
  const lines = [p.bold(`oc-mirror output: ${r.dir} (${r.layout})`)];
  for (const n of r.notes) lines.push(p.dim(`  ${n}`));
  if (r.passedThrough.length > 0) {
    lines.push(p.bold(r.passedThrough[0]!.applied ? 'Catalog objects (applied with --include-catalogs):' : 'Passed through, not applied (not node configuration; add --include-catalogs to apply):'));
    for (const o of r.passedThrough) lines.push(`  ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}  ${p.dim(o.file)}`);
  }
  lines.push(p.bold(r.lostEntries.length > 0 ? `Mirror entries that disappear (${r.lostEntries.length}):` : 'Mirror entries that disappear: none'));
  for (const e of r.lostEntries) lines.push(p.warn(`  ${e.source} -> ${e.mirror}  (${e.pulls} pulls; listed today in ${e.objects.join(', ')})`));
  if (r.podsLosingMirrors) {
    lines.push(p.bold(r.podsLosingMirrors.length > 0 ? `Pod images that lose a mirror (${r.podsLosingMirrors.length}):` : 'Pod images that lose a mirror: none'));
    for (const x of r.podsLosingMirrors) {
      const left = x.remaining.length > 0 ? `still mirrored by ${x.remaining.join(', ')}` : 'no mirror left: pulls go to the source';
      lines.push(p.warn(`  ${x.namespace}/${x.pod} ${x.container}: ${x.image}`) + p.dim(`  loses ${x.lost.join(', ')}; ${left}`));
    }
  }
  lines.push('');
  return lines;
}
