/** Human output of `mirror migrate`: the equivalence proof below the plan. */
import type {EquivalenceProof} from '../render/mirrors.js';
import type {MigrationReport} from '../services/mirror-migrate.js';
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

export function formatMigrationProof(report: MigrationReport, p: Painter): string[] {
  if (report.objects.length === 0) return ['No ImageContentSourcePolicy objects: nothing to migrate.'];
  const lines = report.proof ? proofLines('after migration', report.proof, p) : [];
  if (report.proofWithoutIcsp) lines.push(...proofLines('after the ICSPs are deleted too', report.proofWithoutIcsp, p));
  return lines;
}
