import {Flags} from '@oclif/core';
import {runMigrate, type MigrateResult} from '../../services/mirror-migrate.js';
import {BaseCommand} from '../../cli/base-command.js';
import {releaseImageFlag, sourceFlags} from '../../cli/flags.js';
import {note, out} from '../../cli/output.js';
import {formatMigrate} from '../../cli/migrate-text.js';
import {ask} from '../../cli/prompt.js';

export default class MirrorMigrate extends BaseCommand {
  static override summary = 'Convert every ImageContentSourcePolicy into an ImageDigestMirrorSet, with proof that nodes see no change.';
  static override description =
    'Each ICSP becomes an IDMS with the same name (and the same rules, in order). The registries.conf and policy.json MCO would render are compared before and after: the command shows that they are byte-identical, or lists every difference (and then writes nothing unless --allow-differences). Output: --out DIR writes one file per IDMS; with -f the ICSP documents are rewritten in place (comments and the other documents of the file are kept); otherwise the IDMS objects are created on the cluster, and the ICSPs are deleted only with --delete-icsp.';

  static override examples = [
    {description: 'Preview the conversion and the proof for a manifest', command: '<%= config.bin %> mirror migrate -f examples/payload-blocking.yaml --dry-run'},
    {description: 'Rewrite the manifests in place', command: '<%= config.bin %> mirror migrate -f manifests/ --yes'},
    {description: 'Write IDMS files for the cluster\'s ICSPs to a directory', command: '<%= config.bin %> mirror migrate --out ./idms --yes'},
    {description: 'Migrate the cluster and delete the ICSPs', command: '<%= config.bin %> mirror migrate --delete-icsp --yes'},
  ];

  static override flags = {
    ...sourceFlags,
    out: Flags.string({description: 'Write the ImageDigestMirrorSet objects to this directory (one file each) instead of applying them.'}),
    'delete-icsp': Flags.boolean({exclusive: ['file', 'out'], description: 'Live mode: delete each ImageContentSourcePolicy after its ImageDigestMirrorSet is created (with -f the ICSP documents are replaced in place; with --out nothing is deleted).'}),
    'dry-run': Flags.boolean({description: 'Show the objects and the proof; write nothing.'}),
    yes: Flags.boolean({char: 'y', description: 'Do not ask for confirmation (required without a terminal).'}),
    'allow-differences': Flags.boolean({description: 'Write even when the rendered node files would differ.'}),
    'release-image': releaseImageFlag,
  };

  async run(): Promise<MigrateResult> {
    const {flags} = await this.parse(MirrorMigrate);
    const tty = Boolean(process.stdin.isTTY && process.stderr.isTTY) && !this.jsonEnabled();
    const result = await runMigrate(
      {file: flags.file, kubeconfig: flags.kubeconfig, context: flags.context, out: flags.out, deleteIcsp: flags['delete-icsp'], dryRun: flags['dry-run'], yes: flags.yes, allowDifferences: flags['allow-differences'], releaseImage: flags['release-image']},
      {
        progress: (m) => note(this.pe.dim(m)),
        ...(tty
          ? {
              confirm: (message: string) => ask(message),
            }
          : {}),
      },
    );
    if (this.jsonEnabled()) return result;
    const text = formatMigrate(result, this.p);
    out(text.stdout);
    for (const n of text.notes) note(n);
    return result;
  }
}
