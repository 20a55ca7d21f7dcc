import {Args, Flags} from '@oclif/core';
import {EditCommand, editFlags, type EditResult} from '../../cli/edit-command.js';
import {mirrorEditor} from '../../render/mirror-editor.js';
import {KIND_OF_FLAG, type MirrorKindFlag} from '../../model/mirrors.js';

export default class MirrorRemove extends EditCommand {
  static override summary = 'Remove mirrors of a source repository, or the source altogether.';
  static override description = `Without MIRROR, removes every rule for SOURCE; with MIRROR..., removes only those mirrors.
Limit it to one kind with --kind or one object with --name. A rule left without mirrors is removed, and an
object left without rules is deleted. Removing something that is not there changes nothing (exit 0).
Removing a mirror drains each node (MCO only skips the drain for added digest-only mirrors).`;

  static override strict = false;
  static override args = {
    source: Args.string({required: true, description: 'Source repository'}),
    mirror: Args.string({required: false, description: 'Mirror repository to remove (repeatable); none: the whole source'}),
  };

  static override examples = [
    {description: 'Drop one mirror (preview only)', command: '<%= config.bin %> mirror remove registry.example.com/apps mirror.example.com:5000/apps -f examples/mirrors.yaml --dry-run'},
    {description: 'Stop mirroring a source in every object, on the cluster', command: '<%= config.bin %> mirror remove docker.io/library --yes'},
  ];

  static override flags = {
    ...editFlags,
    kind: Flags.string({options: ['idms', 'itms', 'icsp'], description: 'Only objects of this kind.'}),
    name: Flags.string({description: 'Only the object with this name.'}),
  };

  async run(): Promise<EditResult> {
    const {flags, argv} = await this.parse(MirrorRemove);
    const [source, ...mirrors] = argv as string[];
    const kind = flags.kind ? KIND_OF_FLAG[flags.kind as MirrorKindFlag] : undefined;
    return this.edit(mirrorEditor({op: 'remove', source: source!, mirrors, kind, name: flags.name}), flags);
  }
}
