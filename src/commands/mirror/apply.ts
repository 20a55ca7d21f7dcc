import {Args, Flags} from '@oclif/core';
import {mirrorApplyReportLines} from '../../cli/mirror-apply-text.js';
import {EditCommand, editFlags, toEditResult, type EditResult} from '../../cli/edit-command.js';
import {out} from '../../cli/output.js';
import type {MirrorApplyResult} from '../../services/mirror-apply.js';
import type {DryRunMode} from '../../services/edit-session.js';

export type MirrorApplyJson = Omit<MirrorApplyResult, 'stages'> & {stages: Array<{name: string; result: EditResult}>};

export default class MirrorApply extends EditCommand {
  static override summary = 'Plan and apply oc-mirror output (v2 cluster-resources, v1 results) like every edit, optionally in two low-disruption stages.';
  static override description = `DIR is an oc-mirror v2 working-dir/cluster-resources folder (or working-dir, or its parent) or a v1 results-* folder (or oc-mirror-workspace: the newest results-* is used). Each ImageDigestMirrorSet, ImageTagMirrorSet and ImageContentSourcePolicy replaces the object of the same name (oc-mirror v2 writes full sets); an ICSP whose entries the new digest sets all provide is deleted. The preview lists every mirror entry that disappears and, live, every pod image that would lose a mirror, then the object diffs, node-file diffs and what each pool will do under the cluster's own node disruption policies. Release signature ConfigMaps go to openshift-config-managed. CatalogSource, ClusterCatalog and UpdateService are listed and applied only with --include-catalogs. --staged adds the new mirrors first, waits for the pools, then removes the old entries (with -f: one stage per run).`;

  static override args = {dir: Args.string({required: true, description: 'oc-mirror output folder'})};
  static override examples = [
    {description: 'Preview a v2 output against GitOps manifests, in stages', command: '<%= config.bin %> mirror apply examples/oc-mirror-v2/working-dir -f examples/oc-mirror-v2/cluster --staged --dry-run'},
    {description: 'Preview a v1 results folder', command: '<%= config.bin %> mirror apply examples/oc-mirror-v1/oc-mirror-workspace -f examples/oc-mirror-v2/cluster --dry-run'},
    {description: 'Apply to the cluster in two stages, catalogs included', command: '<%= config.bin %> mirror apply working-dir/cluster-resources --staged --include-catalogs --yes'},
  ];

  static override flags = {
    ...editFlags,
    staged: Flags.boolean({description: 'Stage 1 adds the new mirrors (old entries stay), waits for the pools; stage 2 removes the old entries and replaced ICSPs.'}),
    'include-catalogs': Flags.boolean({description: 'Also apply CatalogSource, ClusterCatalog and UpdateService objects.'}),
  };

  async run(): Promise<MirrorApplyJson> {
    const {args, flags} = await this.parse(MirrorApply);
    const {runMirrorApply} = await import('../../services/mirror-apply.js');
    const interval = Number(process.env.OC_REGISTRIES_WAIT_INTERVAL_MS);
    const res = await runMirrorApply(
      {dir: args.dir, staged: flags.staged, includeCatalogs: flags['include-catalogs'], file: flags.file, kubeconfig: flags.kubeconfig, context: flags.context, releaseImage: flags['release-image'], strict: flags.strict, dryRun: (flags['dry-run'] ?? 'none') as DryRunMode, wait: flags.wait, timeoutMs: flags.timeout, waitIntervalMs: interval > 0 ? interval : undefined},
      {...this.sessionHooks(flags), report: (r) => !this.jsonEnabled() && out(mirrorApplyReportLines(r, this.p).join('\n')), stage: (t) => !this.jsonEnabled() && out(this.p.bold(`=== ${t}`))},
    );
    if (!this.jsonEnabled()) for (const s of res.stages) this.showOutcome(s.result);
    if (res.next && !this.jsonEnabled()) out(this.p.bold(`Next: ${res.next}`));
    return {...res, stages: res.stages.map((s) => ({name: s.name, result: toEditResult(s.result)}))};
  }
}
