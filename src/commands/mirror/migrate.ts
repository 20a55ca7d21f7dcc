import {Flags} from '@oclif/core';
import {editFlags, EditCommand, type EditResult} from '../../cli/edit-command.js';
import {formatMigrationProof} from '../../cli/migrate-text.js';
import type {Plan} from '../../render/plan.js';
import {migration, type Migration, type MigrationReport} from '../../services/mirror-migrate.js';

export default class MirrorMigrate extends EditCommand {
  static override summary = 'Convert every ImageContentSourcePolicy into an ImageDigestMirrorSet, with proof that nodes see no change.';
  static override description =
    'Each ICSP becomes an IDMS with the same name (and the same rules, in order), on the same plan, preview, confirmation and apply path as every edit. The proof is the plan itself: every node file MCO writes must render byte-identical before and after, or nothing is written unless --allow-differences. With -f the ICSP documents are rewritten in place (comments and the other documents of the file are kept); --out DIR writes one new file per IDMS without asking (nothing existing changes); otherwise the IDMS objects are created on the cluster, and the ICSPs are deleted only with --delete-icsp.';

  static override examples = [
    {description: 'Preview the conversion and the proof for a manifest', command: '<%= config.bin %> mirror migrate -f examples/payload-blocking.yaml --dry-run'},
    {description: 'Rewrite the manifests in place', command: '<%= config.bin %> mirror migrate -f manifests/ --yes'},
    {description: "Write IDMS files for the cluster's ICSPs to a directory", command: '<%= config.bin %> mirror migrate --out ./idms'},
    {description: 'Migrate the cluster and delete the ICSPs', command: '<%= config.bin %> mirror migrate --delete-icsp --yes'},
  ];

  static override flags = {
    ...editFlags,
    out: Flags.string({description: 'Write the ImageDigestMirrorSet objects to this directory (one new file each) instead of applying them.'}),
    'delete-icsp': Flags.boolean({exclusive: ['file', 'out'], description: 'Live mode: delete each ImageContentSourcePolicy after its ImageDigestMirrorSet is created (with -f the ICSP documents are replaced in place; with --out nothing is deleted).'}),
    'allow-differences': Flags.boolean({description: 'Write even when the rendered node files would differ.'}),
  };

  private migration?: Migration;

  async run(): Promise<EditResult & MigrationReport> {
    const {flags} = await this.parse(MirrorMigrate);
    this.migration = migration({file: flags.file, out: flags.out, deleteIcsp: flags['delete-icsp'], allowDifferences: flags['allow-differences'], dryRun: flags['dry-run'], releaseImage: flags['release-image']});
    // --out changes nothing that exists: no confirmation needed.
    const result = await this.edit(this.migration.editor, {...flags, yes: flags.yes || Boolean(flags.out)}, this.migration.options);
    return {...result, ...this.migration.report};
  }

  protected override describePlan(_plan: Plan): string[] {
    return this.migration ? formatMigrationProof(this.migration.report, this.p) : [];
  }
}
