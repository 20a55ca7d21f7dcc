import {BaseCommand} from '../cli/base-command.js';
import {formatStatus} from '../cli/status-text.js';
import {out} from '../cli/output.js';
import {releaseImageFlag, sourceFlags} from '../cli/flags.js';
import {contextFlags, isMultiCluster, MULTI_CLUSTER_HELP, refuseFileWithContexts, singleContext} from '../cli/context-flags.js';
import {runFleet} from '../cli/fleet.js';
import {statusView} from '../cli/fleet-views.js';

export default class Status extends BaseCommand {
  static override summary = 'One screen: registry configuration, mirror sets, CAs, warnings and per-pool rollout.';
  static override description =
    "Shows spec.registrySources, the import allowlist, the additional trusted CAs with their expiry, the mirror sets, every warning the editing commands would give for the current configuration, and per MachineConfigPool: machines updated/total, degraded (with the message), and whether the pool's current rendered config already holds the files render produces now. With -f only the configuration part is shown." +
    MULTI_CLUSTER_HELP;

  static override examples = [
    {description: 'The live cluster', command: '<%= config.bin %> status'},
    {description: 'A GitOps repository (no pools)', command: '<%= config.bin %> status -f gitops/cluster-config/'},
    {description: 'For scripts', command: '<%= config.bin %> status --json'},
    {description: 'Two clusters side by side', command: '<%= config.bin %> status --context prod-east --context prod-west'},
  ];

  static override flags = {...sourceFlags, ...contextFlags, 'release-image': releaseImageFlag};

  async run(): Promise<unknown> {
    const {flags} = await this.parse(Status);
    refuseFileWithContexts(flags, 'status');
    const {runStatus} = await import('../services/status.js');
    const opts = {...flags, context: singleContext(flags), releaseImage: flags['release-image']};
    if (isMultiCluster(flags)) {
      const fleet = await runFleet(this.io, flags, statusView(this.p), (t, warn) => runStatus({...opts, context: t.context, warn}).then((result) => ({status: 0, result})));
      this.status = fleet.status;
      return fleet.result;
    }
    const r = await runStatus({...opts, warn: (w) => this.addWarning(w)});
    if (!this.jsonEnabled()) out(formatStatus(r, this.p));
    return r;
  }
}
