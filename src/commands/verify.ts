import {Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command.js';
import {exitCodeHelp} from '../lib/exit-codes.js';
import {out} from '../cli/output.js';
import {durationFlag, releaseImageFlag, sourceFlags} from '../cli/flags.js';
import {counterProgress} from '../cli/progress.js';
import {formatVerifyReport} from '../cli/verify-output.js';
import {contextFlags, isMultiCluster, MULTI_CLUSTER_HELP, singleContext} from '../cli/context-flags.js';
import {runFleet} from '../cli/fleet.js';
import {verifyView} from '../cli/fleet-views.js';

export default class Verify extends BaseCommand {
  static override summary = 'Check that the MachineConfigs and every node really have the rendered registry files.';
  static override description = `Compares, per pool and per node, three layers file by file: the files render produces from the current objects (or from -f manifests), the files inside 99-<pool>-generated-registries and the pool's current rendered-<pool>-* MachineConfig, and the real files on each node (registries.conf, policy.json, registries.conf.d/*, certs.d/*/ca.crt), read with one oc call per node.

TOML and JSON are compared by meaning and by bytes; a file that differs only in bytes is reported but is not drift. Nodes whose currentConfig differs from desiredConfig are "rolling out", not drift.

${exitCodeHelp([0, 1, 5, 3], {0: 'everything matches', 1: 'drift (or a degraded pool)', 5: 'some nodes could not be read, no drift', 3: 'the cluster could not be reached'})}${MULTI_CLUSTER_HELP} With -f, every cluster is compared with the same manifests.`;

  static override examples = [
    {description: 'Every node of every pool', command: '<%= config.bin %> verify'},
    {description: 'Workers only, 20 at a time, through the machine-config daemon pods', command: '<%= config.bin %> verify --pool worker --concurrency 20 --via mcd'},
    {description: 'Does the cluster match the GitOps repository?', command: '<%= config.bin %> verify -f gitops/cluster-config/ --json'},
    {description: 'Every cluster of the kubeconfig, 8 at a time', command: '<%= config.bin %> verify --all-contexts --cluster-concurrency 8'},
  ];

  static override flags = {
    ...sourceFlags,
    ...contextFlags,
    pool: Flags.string({multiple: true, description: 'Only nodes of this MachineConfigPool (repeatable).'}),
    node: Flags.string({multiple: true, description: 'Only this node (repeatable).'}),
    concurrency: Flags.integer({default: 10, min: 1, max: 500, description: 'Nodes read at the same time (per cluster).'}),
    timeout: durationFlag({default: '60s', description: 'Time allowed for reading one node (e.g. 60s, 2m).'}),
    via: Flags.string({options: ['debug', 'mcd'], default: 'debug', description: 'debug: oc debug node/N (a debug pod per node); mcd: oc exec into the machine-config-daemon pod (works when the debug image cannot be pulled).'}),
    oc: Flags.string({description: 'Path of the oc binary (default: oc on PATH).'}),
    'release-image': releaseImageFlag,
  };

  async run(): Promise<unknown> {
    // Start loading the Kubernetes client (the slowest import) while the flags are parsed and oc is looked up.
    import('../cluster/kube.js').then((m) => m.loadClient()).catch(() => {});
    const {flags} = await this.parse(Verify);
    const {runVerify} = await import('../services/verify.js');
    const opts = {...flags, context: singleContext(flags), pools: flags.pool, nodes: flags.node, timeoutMs: flags.timeout, via: flags.via as 'debug' | 'mcd', releaseImage: flags['release-image']};
    if (isMultiCluster(flags)) {
      const fleet = await runFleet(this.io, flags, verifyView(this.p), (t, warn, gate) => runVerify({...opts, context: t.context, warn, beforeNodes: gate}).then(({report}) => ({status: report.summary.exitCode, result: report})), true);
      this.status = fleet.status;
      return fleet.result;
    }
    const {report} = await runVerify({...opts, warn: (w) => this.addWarning(w), onProgress: counterProgress('nodes', {enabled: Boolean(process.stderr.isTTY) && !this.jsonEnabled()})});
    this.status = report.summary.exitCode;
    if (!this.jsonEnabled()) out(formatVerifyReport(report, this.p));
    return report;
  }
}
