/** Human output of `mirror migrate`: the objects and the equivalence proof on stdout, what was written on stderr. */
import type {EquivalenceProof} from '../render/mirrors.js';
import type {MigrateResult} from '../services/mirror-migrate.js';
import type {Painter} from './output.js';

function proofLines(what: string, proof: EquivalenceProof, p: Painter): string[] {
  if (proof.identical) {
    return [p.ok(`# proof (${what}): registries.conf and policy.json render byte-identical, nodes see no change and nothing rolls out`), p.dim('# /etc/containers/registries.conf, before = after:'), proof.registriesConf.trimEnd()];
  }
  const lines = [p.err(`# proof (${what}): the rendered node files DIFFER`)];
  if (proof.errorBefore !== proof.errorAfter) lines.push(`MCO error before: ${proof.errorBefore ?? 'none'}\nMCO error after: ${proof.errorAfter ?? 'none'}`);
  for (const d of proof.differences) lines.push(d.diff.trimEnd());
  return lines;
}

export function formatMigrate(result: MigrateResult, p: Painter): {stdout: string; notes: string[]} {
  if (result.objects.length === 0) return {stdout: 'No ImageContentSourcePolicy objects: nothing to migrate.', notes: []};
  const lines: string[] = [];
  for (const o of result.objects) {
    lines.push(p.bold(`# ImageContentSourcePolicy ${o.icsp} -> ImageDigestMirrorSet ${o.idms}${o.alreadyMigrated ? ' (already exists)' : ''}`));
    lines.push(o.yaml.trimEnd());
  }
  lines.push(...proofLines('after migration', result.proof, p));
  if (result.proofWithoutIcsp) lines.push(...proofLines('after the ICSPs are deleted too', result.proofWithoutIcsp, p));
  const notes = result.written.map((w) => p.ok(result.target === 'cluster' ? `${w}: done` : `wrote ${w}`));
  if (result.target === 'none') notes.push(p.dim('dry run: nothing was written'));
  if (result.target === 'cluster' && result.icspDeleted.length === 0) notes.push(p.dim('the ImageContentSourcePolicy objects stay; delete them with --delete-icsp once you are satisfied'));
  return {stdout: lines.join('\n'), notes};
}
