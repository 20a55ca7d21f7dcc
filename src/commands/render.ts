import {Flags} from '@oclif/core';
import {join} from 'node:path';
import {BaseCommand} from '../cli/base-command.js';
import {releaseImageFlag, sourceFlags} from '../cli/flags.js';
import {contextFlags, isMultiCluster, MULTI_CLUSTER_HELP, refuseFileWithContexts, singleContext} from '../cli/context-flags.js';
import {EXPORT_FORMATS, EXPORT_HELP, exportFlags} from '../cli/export-flags.js';
import {runFleet} from '../cli/fleet.js';
import {renderView} from '../cli/fleet-views.js';
import {printRender} from '../cli/render-text.js';
import {runRender} from '../services/render-run.js';

export default class Render extends BaseCommand {
  static override summary = 'Render the node files MCO would write for the current (or -f) configuration.';
  static override description =
    'Renders /etc/containers/registries.conf, policy.json, the search-registries drop-in and the certs.d CA files exactly as the Machine Config Operator would write them, without touching the cluster. ClusterImagePolicy and ImagePolicy objects add sigstoreSigned requirements to policy.json, /etc/containers/registries.d/sigstore-registries.yaml and one /etc/crio/policies/<namespace>.json per namespace. Input that the API server or MCO would refuse is an error (exit 2) naming the field and value.' +
    EXPORT_HELP +
    MULTI_CLUSTER_HELP.replace('context x pool: match, drift, pending, partial, degraded, unreachable', 'context x digest of the node files') +
    ' --out DIR writes DIR/<context>/etc/... (a / in a context name becomes _).';

  static override examples = [
    {description: 'Show the node files for a manifest', command: '<%= config.bin %> render -f examples/allowlist.yaml'},
    {description: 'Write a node /etc tree usable by skopeo and podman', command: '<%= config.bin %> render -f examples/blocklist.yaml --out /tmp/node'},
    {description: 'The generated MachineConfig for the worker pool', command: '<%= config.bin %> render -f examples/mirrors.yaml --format machineconfig --pool worker'},
    {description: 'Machine-readable result', command: '<%= config.bin %> render -f examples/search.yaml --json'},
    {description: 'What the default `openshift` ClusterImagePolicy (4.21+) writes to nodes', command: '<%= config.bin %> render -f examples/signature-policy-default.yaml'},
    {description: 'An ACM policy enforcing the mirrors on the production clusters', command: '<%= config.bin %> render -f examples/mirrors.yaml --format acm-policy --remediation enforce --placement-label env=prod'},
    {description: 'The same objects as a kustomize directory', command: '<%= config.bin %> render -f examples/mirrors.yaml --format kustomize --out /tmp/registries'},
  ];

  static override flags = {
    ...sourceFlags,
    ...contextFlags,
    out: Flags.string({description: 'Write the full node view (changed and base-template files) under this directory, as DIR/etc/... (acm-policy: the Policy file; kustomize: the directory).'}),
    format: Flags.string({options: ['files', 'machineconfig', ...EXPORT_FORMATS], default: 'files', description: 'files: node files with headers; machineconfig: the 99-<pool>-generated-registries MachineConfig YAML; acm-policy / kustomize: the configuration objects for a fleet engine.'}),
    pool: Flags.string({multiple: true, description: 'Pool(s) for --format machineconfig (default: the built-in pools).'}),
    'release-image': releaseImageFlag,
    'allow-invalid': Flags.boolean({description: 'Render input the API server would reject (as it may exist on older clusters), reporting it as warnings.'}),
    ...exportFlags,
  };

  async run(): Promise<unknown> {
    const {flags} = await this.parse(Render);
    refuseFileWithContexts(flags, 'render');
    const opts = {...flags, context: singleContext(flags), releaseImage: flags['release-image'], allowInvalid: flags['allow-invalid'], pools: flags.pool};
    if (EXPORT_FORMATS.includes(flags.format)) {
      const {exportFleetFormat} = await import('../cli/export-run.js');
      return exportFleetFormat(this.io, {...opts, multi: isMultiCluster(flags)});
    }
    if (isMultiCluster(flags)) {
      const fleet = await runFleet(this.io, flags, renderView(this.p, flags.format), (t, warn) => runRender({...opts, context: t.context, out: flags.out && join(flags.out, t.context.replaceAll('/', '_')), warn}).then((result) => ({status: 0, result})));
      this.status = fleet.status;
      return fleet.result;
    }
    const result = await runRender({...opts, warn: (w) => this.addWarning(w)});
    if (!this.jsonEnabled()) printRender(result, flags.format, this.p);
    return result;
  }
}
