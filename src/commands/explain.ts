import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command.js';
import {UserError} from '../lib/errors.js';
import {explainText} from '../cli/explain-text.js';
import {releaseImageFlag, sourceFlags} from '../cli/flags.js';
import {out} from '../cli/output.js';
import {loadState} from '../cluster/source.js';
import {ExplainError} from '../model/explain.js';
import {NodeConfigError} from '../model/node-config.js';
import {explainService, type ExplainServiceResult} from '../services/explain.js';

export default class Explain extends BaseCommand {
  static override summary = 'How a node resolves and pulls one image, from the node files MCO renders.';
  static override description =
    'Follows containers/image (CRI-O, podman, skopeo) step by step on the rendered node files: short-name candidates, ' +
    'the matching registries.conf entry, blocked and insecure endpoints, the mirrors tried in order (digest-only / tag-only), ' +
    'the policy.json section that decides (judged on the requested name, not the mirror), the certs.d directory used for ' +
    'each endpoint, and the image stream import allowlist verdict.\n\n' +
    'Nothing is pulled: "pulls from X" means X is the first source tried, when it is reachable and has the image.';

  static override examples = [
    {description: 'Will nodes pull this tag, and from where?', command: '<%= config.bin %> explain quay.io/foo/bar:1.2 -f examples/mirrors.yaml'},
    {description: 'A digest pull through mirrors, as JSON', command: '<%= config.bin %> explain quay.io/foo/bar@sha256:4f2b3c7d9e1a5b6c8d0e2f4a6b8c0d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c -f examples/mirrors.yaml --json'},
    {description: 'A short name against the live cluster', command: '<%= config.bin %> explain ubi9/ubi-minimal'},
    {description: 'Signature policy CRI-O applies to a pod in a namespace', command: '<%= config.bin %> explain quay.io/openshift-release-dev/ocp-release:4.18.1 -f examples/signature-policy-default.yaml -n team-a'},
  ];

  static override args = {
    IMAGE_REF: Args.string({required: true, description: 'Image reference: [registry[:port]/]repo[:tag][@digest]; a short name is resolved through the search list.'}),
  };

  static override flags = {
    ...sourceFlags,
    'release-image': releaseImageFlag,
    namespace: Flags.string({char: 'n', description: 'Judge signatures as CRI-O does for a pod in this namespace (its /etc/crio/policies/<namespace>.json, written for ImagePolicy objects).'}),
  };

  async run(): Promise<ExplainServiceResult> {
    const {args, flags} = await this.parse(Explain);
    const loaded = await loadState(flags);
    let result: ExplainServiceResult;
    try {
      result = explainService(loaded, args.IMAGE_REF, {
        releaseImage: flags['release-image'],
        allowInvalid: loaded.mode === 'live',
        namespace: flags.namespace,
        warn: (w) => this.addWarning(w),
      });
    } catch (e) {
      if (e instanceof ExplainError || e instanceof NodeConfigError) throw new UserError(e.message);
      throw e;
    }
    if (!this.jsonEnabled()) out(explainText(result, this.p).join('\n'));
    return result;
  }
}
