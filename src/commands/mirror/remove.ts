import {Args, Flags} from '@oclif/core';
import {runMirrorEdit, type EditResult} from '../../cluster/mirror-edit.js';
import {BaseCommand} from '../../lib/base-command.js';
import {releaseImageFlag, sourceFlags} from '../../lib/flags.js';
import {editFlags, printPlan, terminalIo} from '../../lib/mirror-command.js';
import {note} from '../../lib/output.js';
import {KIND_OF_FLAG, removeMirrors, type MirrorKindFlag} from '../../model/mirrors.js';

export default class MirrorRemove extends BaseCommand {
  static override summary = 'Remove mirrors of a source repository, or the source altogether.';
  static override description = `Without MIRROR, removes every rule for SOURCE; with MIRROR..., removes only those mirrors.
Limit it to one kind with --kind or one object with --name. A rule left without mirrors is removed, and an
object left without rules is deleted. Removing something that is not there changes nothing (exit 0).`;

  static override strict = false;
  static override args = {
    source: Args.string({required: true, description: 'Source repository'}),
    mirror: Args.string({required: false, description: 'Mirror repository to remove (repeatable); none: the whole source'}),
  };

  static override examples = [
    {description: 'Drop one mirror (preview only)', command: '<%= config.bin %> mirror remove registry.redhat.io/ubi9 mirror-b.example.com/ubi9 -f examples/mirrors.yaml --dry-run'},
    {description: 'Stop mirroring a source in every object, on the cluster', command: '<%= config.bin %> mirror remove docker.io/library --yes'},
  ];

  static override flags = {
    ...sourceFlags,
    ...editFlags,
    kind: Flags.string({options: ['idms', 'itms', 'icsp'], description: 'Only objects of this kind.'}),
    name: Flags.string({description: 'Only the object with this name.'}),
    'release-image': releaseImageFlag,
  };

  async run(): Promise<EditResult> {
    const {flags, argv} = await this.parse(MirrorRemove);
    const [source, ...mirrors] = argv as string[];
    const kind = flags.kind ? KIND_OF_FLAG[flags.kind as MirrorKindFlag] : undefined;
    const io = terminalIo(this.p, (w) => this.addWarning(w), this.jsonEnabled());
    const result = await runMirrorEdit(
      {file: flags.file, kubeconfig: flags.kubeconfig, context: flags.context, dryRun: flags['dry-run'], yes: flags.yes, strict: flags.strict, releaseImage: flags['release-image']},
      io,
      (state) => ({edit: removeMirrors(state, {source: source!, mirrors, kind, name: flags.name}), sources: [source!]}),
    );
    if (this.jsonEnabled()) return result;
    printPlan(result.plan, this.p, result.applied && !flags.yes && !flags['dry-run']);
    for (const w of result.written) note(this.p.ok(result.mode === 'file' ? `wrote ${w}` : `${w}: done`));
    if (flags['dry-run'] && !result.plan.noop) note(this.p.dim('dry run: nothing was written'));
    return result;
  }
}
