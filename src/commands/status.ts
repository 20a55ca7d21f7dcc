import {BaseCommand} from '../cli/base-command.js';
import {formatStatus} from '../cli/status-text.js';
import {out} from '../cli/output.js';
import {releaseImageFlag, sourceFlags} from '../cli/flags.js';
import type {StatusResult} from '../services/status.js';

export default class Status extends BaseCommand {
  static override summary = 'One screen: registry configuration, mirror sets, CAs, warnings and per-pool rollout.';
  static override description =
    "Shows spec.registrySources, the import allowlist, the additional trusted CAs with their expiry, the mirror sets, every warning the editing commands would give for the current configuration, and per MachineConfigPool: machines updated/total, degraded (with the message), and whether the pool's current rendered config already holds the files render produces now. With -f only the configuration part is shown.";

  static override examples = [
    {description: 'The live cluster', command: '<%= config.bin %> status'},
    {description: 'A GitOps repository (no pools)', command: '<%= config.bin %> status -f gitops/cluster-config/'},
    {description: 'For scripts', command: '<%= config.bin %> status --json'},
  ];

  static override flags = {...sourceFlags, 'release-image': releaseImageFlag};

  async run(): Promise<StatusResult> {
    const {flags} = await this.parse(Status);
    const {runStatus} = await import('../services/status.js');
    const r = await runStatus({...flags, releaseImage: flags['release-image'], warn: (w) => this.addWarning(w)});
    if (!this.jsonEnabled()) out(formatStatus(r, this.p));
    return r;
  }
}
