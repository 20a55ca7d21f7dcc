import {Flags} from '@oclif/core';
import {BaseCommand} from '../../cli/base-command.js';
import {durationFlag, releaseImageFlag, sourceFlags} from '../../cli/flags.js';
import {mirrorCheckText} from '../../cli/mirror-check-text.js';
import {out} from '../../cli/output.js';
import {counterProgress} from '../../cli/progress.js';
import {exitCodeHelp} from '../../lib/exit-codes.js';
import {runMirrorCheck, type MirrorCheckResult} from '../../services/mirror-check.js';

export default class MirrorCheck extends BaseCommand {
  static override summary = 'Check that the registries serve each image where nodes will pull it: mirrors in node order, before nodes try.';
  static override description = `For each image, the endpoints a node tries (the evaluation explain uses: mirrors in order, digest-only mirrors skipped for tag pulls, blocked endpoints, NeverContactSource, policy.json), probed in that order with HEAD /v2/<repo>/manifests/<digest|tag>, with the node's CAs (certs.d from additionalTrustedCA) and the pull secret (live: openshift-config/pull-secret; else --pull-secret). Stops at the first endpoint that serves it, as a node does. Verdicts: mirror, source, fail, rejected.

${exitCodeHelp([0, 1, 5, 2, 3], {0: 'every image is served (by a mirror with --require-mirror)', 1: 'an image fails or is rejected', 5: 'only unreachable or timed-out endpoints stood in the way', 2: 'usage', 3: 'the cluster could not be reached'})}`;

  static override examples = [
    {description: 'Is this digest on the mirrors the manifests configure?', command: '<%= config.bin %> mirror check quay.io/foo/bar@sha256:4f2b3c7d9e1a5b6c8d0e2f4a6b8c0d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c -f manifests/ --pull-secret pull-secret.json'},
    {description: 'Every image the cluster runs, for a disconnected cluster', command: '<%= config.bin %> mirror check --from-pods --require-mirror'},
    {description: 'A list of images, every endpoint probed, as JSON', command: '<%= config.bin %> mirror check --images images.txt -f manifests/ --all-endpoints --json'},
  ];

  static override strict = false;
  static override usage = 'mirror check [IMAGE_REF...] [--images FILE] [--from-pods] [-f FILE]';
  static override flags = {
    ...sourceFlags,
    images: Flags.string({description: 'File with one image reference a line (`#` starts a comment).'}),
    'from-pods': Flags.boolean({description: "Every container image of the cluster's pods (by digest where the pod status has one)."}),
    'pull-secret': Flags.string({description: 'dockerconfigjson or containers auth.json with registry credentials (live default: openshift-config/pull-secret).'}),
    'require-mirror': Flags.boolean({description: 'Disconnected clusters: an image only the source serves is a failure.'}),
    'all-endpoints': Flags.boolean({description: 'Probe every endpoint, not only up to the first that serves.'}),
    concurrency: Flags.integer({default: 16, min: 1, max: 256, description: 'Images checked at once, and requests in flight per registry host.'}),
    timeout: durationFlag({default: '10s', description: 'Time allowed for one registry request (e.g. 10s, 500ms).'}),
    'release-image': releaseImageFlag,
  };

  async run(): Promise<MirrorCheckResult> {
    const {argv, flags} = await this.parse(MirrorCheck);
    const result = await runMirrorCheck(
      {...flags, refs: argv as string[], imagesFile: flags.images, fromPods: flags['from-pods'], pullSecretFile: flags['pull-secret']},
      {concurrency: flags.concurrency, timeoutMs: flags.timeout, allEndpoints: flags['all-endpoints'], requireMirror: flags['require-mirror'], releaseImage: flags['release-image'], warn: (w) => this.addWarning(w), onProgress: counterProgress('images', {enabled: Boolean(process.stderr.isTTY) && !this.jsonEnabled()})},
    );
    this.status = result.exitStatus;
    if (!this.jsonEnabled()) out(mirrorCheckText(result, this.p).join('\n'));
    return result;
  }
}
