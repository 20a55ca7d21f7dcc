import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command.js';
import {explainText} from '../cli/explain-text.js';
import {releaseImageFlag, sourceFlags} from '../cli/flags.js';
import {out} from '../cli/output.js';
import {contextFlags, isMultiCluster, MULTI_CLUSTER_HELP, refuseFileWithContexts, singleContext} from '../cli/context-flags.js';
import {runFleet} from '../cli/fleet.js';
import {explainView} from '../cli/fleet-views.js';
import {runExplain} from '../services/explain-run.js';

export default class Explain extends BaseCommand {
  static override summary = 'How a node resolves and pulls one image, from the node files MCO renders.';
  static override description =
    'Follows containers/image (CRI-O, podman, skopeo) step by step on the rendered node files: short-name candidates, ' +
    'the matching registries.conf entry, blocked and insecure endpoints, the mirrors tried in order (digest-only / tag-only), ' +
    'the policy.json section that decides (judged on the requested name, not the mirror), the certs.d directory used for ' +
    'each endpoint, and the image stream import allowlist verdict.\n\n' +
    'Nothing is pulled: "pulls from X" means X is the first source tried, when it is reachable and has the image.' +
    MULTI_CLUSTER_HELP.replace('context x pool', 'context x verdict');

  static override examples = [
    {description: 'Will nodes pull this tag, and from where?', command: '<%= config.bin %> explain quay.io/foo/bar:1.2 -f manifests/'},
    {description: 'A digest pull through mirrors, as JSON', command: '<%= config.bin %> explain quay.io/foo/bar@sha256:4f2b3c7d9e1a5b6c8d0e2f4a6b8c0d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c -f manifests/ --json'},
    {description: 'A short name against the live cluster', command: '<%= config.bin %> explain ubi9/ubi-minimal'},
    {description: 'Signature policy CRI-O applies to a pod in a namespace', command: '<%= config.bin %> explain quay.io/openshift-release-dev/ocp-release:4.18.1 -f examples/signature-policy-default.yaml -n team-a'},
    {description: 'Where every cluster of the kubeconfig pulls an image from', command: '<%= config.bin %> explain quay.io/foo/bar:1.2 --all-contexts'},
  ];

  static override args = {
    IMAGE_REF: Args.string({required: true, description: 'Image reference: [registry[:port]/]repo[:tag][@digest]; a short name is resolved through the search list.'}),
  };

  static override flags = {
    ...sourceFlags,
    ...contextFlags,
    'release-image': releaseImageFlag,
    namespace: Flags.string({char: 'n', description: 'Judge signatures as CRI-O does for a pod in this namespace (its /etc/crio/policies/<namespace>.json, written for ImagePolicy objects).'}),
  };

  async run(): Promise<unknown> {
    const {args, flags} = await this.parse(Explain);
    refuseFileWithContexts(flags, 'explain');
    const opts = {...flags, context: singleContext(flags), ref: args.IMAGE_REF, releaseImage: flags['release-image']};
    if (isMultiCluster(flags)) {
      const fleet = await runFleet(this.io, flags, explainView(this.p), (t, warn) => runExplain({...opts, context: t.context, warn}).then((result) => ({status: 0, result})));
      this.status = fleet.status;
      return fleet.result;
    }
    const result = await runExplain({...opts, warn: (w) => this.addWarning(w)});
    if (!this.jsonEnabled()) out(explainText(result, this.p).join('\n'));
    return result;
  }
}
