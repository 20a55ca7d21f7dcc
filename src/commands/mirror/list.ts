import {Flags} from '@oclif/core';
import {loadState} from '../../cluster/source.js';
import {BaseCommand} from '../../cli/base-command.js';
import {formatProblem} from '../../lib/errors.js';
import {sourceFlags} from '../../cli/flags.js';
import {out} from '../../cli/output.js';
import {formatMirrorTable, listMirrors, type MirrorListRow} from '../../model/mirrors.js';
import {effectiveMirrors, type EffectiveMirrors} from '../../render/mirrors.js';

export interface MirrorListResult {
  rows: MirrorListRow[];
  /** Per source, the order a node tries the mirrors in (merged across objects, as MCO writes registries.conf). */
  effective: EffectiveMirrors[];
}

export default class MirrorList extends BaseCommand {
  static override summary = 'List mirror sets: object, kind, source, mirrors in order, policy.';
  static override description = `One row per rule of every ImageDigestMirrorSet, ImageTagMirrorSet and ImageContentSourcePolicy.
With --effective, the merged pull order per source that nodes use (MCO merges all objects for a source).`;

  static override examples = [
    {description: 'The table for a manifest directory', command: '<%= config.bin %> mirror list -f examples/mirrors.yaml'},
    {description: 'The pull order nodes use, per source', command: '<%= config.bin %> mirror list -f examples/mirrors.yaml --effective'},
    {description: 'Machine-readable', command: '<%= config.bin %> mirror list --json'},
  ];

  static override flags = {
    ...sourceFlags,
    effective: Flags.boolean({description: 'Show the merged pull order per source instead of the objects.'}),
  };

  async run(): Promise<MirrorListResult> {
    const {flags} = await this.parse(MirrorList);
    const loaded = await loadState(flags);
    if (loaded.problems.length > 0) {
      // Manifests must be valid; what is already in a cluster is shown anyway, with the problems as warnings.
      if (loaded.mode === 'file') this.fail(loaded.problems);
      for (const p of loaded.problems) this.addWarning({code: 'invalid-object', field: p.field, message: formatProblem(p)});
    }
    const result: MirrorListResult = {rows: listMirrors(loaded.state), effective: effectiveMirrors(loaded.state.mirrorSets)};
    if (this.jsonEnabled()) return result;
    if (flags.effective) {
      for (const e of result.effective) {
        out(`${e.source}${e.sourceBlocked ? '  (never contact source)' : ''}`);
        e.mirrors.forEach((m, i) => out(`  ${i + 1}. ${m.location}  ${m.pullFromMirror}`));
        if (!e.sourceBlocked) out(`  ${e.mirrors.length + 1}. ${e.source}  (source)`);
      }
      if (result.effective.length === 0) out('no mirrors');
      return result;
    }
    out(result.rows.length > 0 ? formatMirrorTable(result.rows) : 'no mirror sets');
    return result;
  }
}
