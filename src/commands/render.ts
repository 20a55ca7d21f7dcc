import {Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command.js';
import {out, note} from '../cli/output.js';
import {releaseImageFlag, sourceFlags} from '../cli/flags.js';
import {loadState} from '../cluster/source.js';
import {writeTree} from '../cluster/manifest-files.js';
import {formatNodeFiles} from '../cli/render-text.js';
import {renderService, renderedMachineConfigYaml, type RenderResult} from '../services/render.js';

export default class Render extends BaseCommand {
  static override summary = 'Render the node files MCO would write for the current (or -f) configuration.';
  static override description =
    'Renders /etc/containers/registries.conf, policy.json, the search-registries drop-in and the certs.d CA files exactly as the Machine Config Operator would write them, without touching the cluster. ClusterImagePolicy and ImagePolicy objects add sigstoreSigned requirements to policy.json, /etc/containers/registries.d/sigstore-registries.yaml and one /etc/crio/policies/<namespace>.json per namespace. Input that the API server or MCO would refuse is an error (exit 2) naming the field and value.';

  static override examples = [
    {description: 'Show the node files for a manifest', command: '<%= config.bin %> render -f examples/allowlist.yaml'},
    {description: 'Write a node /etc tree usable by skopeo and podman', command: '<%= config.bin %> render -f examples/blocklist.yaml --out /tmp/node'},
    {description: 'The generated MachineConfig for the worker pool', command: '<%= config.bin %> render -f examples/mirrors.yaml --format machineconfig --pool worker'},
    {description: 'Machine-readable result', command: '<%= config.bin %> render -f examples/search.yaml --json'},
    {description: 'What the default `openshift` ClusterImagePolicy (4.21+) writes to nodes', command: '<%= config.bin %> render -f examples/signature-policy-default.yaml'},
  ];

  static override flags = {
    ...sourceFlags,
    out: Flags.string({description: 'Write the full node view (changed and base-template files) under this directory, as DIR/etc/...'}),
    format: Flags.string({options: ['files', 'machineconfig'], default: 'files', description: 'files: node files with headers; machineconfig: the 99-<pool>-generated-registries MachineConfig YAML.'}),
    pool: Flags.string({multiple: true, description: 'Pool(s) for --format machineconfig (default: the built-in pools).'}),
    'release-image': releaseImageFlag,
    'allow-invalid': Flags.boolean({description: 'Render input the API server would reject (as it may exist on older clusters), reporting it as warnings.'}),
  };

  async run(): Promise<RenderResult> {
    const {flags} = await this.parse(Render);
    const loaded = await loadState(flags);
    const result = renderService(loaded, {
      releaseImage: flags['release-image'],
      allowInvalid: flags['allow-invalid'] || loaded.mode === 'live',
      pools: flags.pool,
      warn: (w) => this.addWarning(w),
    });
    if (flags.out) {
      const written = await writeTree(flags.out, result.files);
      result.written = written;
      if (!this.jsonEnabled()) for (const w of written) out(w);
      return result;
    }
    if (this.jsonEnabled()) return result;
    if (flags.format === 'machineconfig') {
      out(renderedMachineConfigYaml(result));
      return result;
    }
    if (!result.machineConfig) note(this.pe.dim('MCO creates no MachineConfig for this input; every file stays at the base template.'));
    out(formatNodeFiles(result.files, this.p));
    return result;
  }
}
