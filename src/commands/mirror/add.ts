import {Args, Flags} from '@oclif/core';
import {EditCommand, editFlags, type EditResult} from '../../cli/edit-command.js';
import {mirrorEditor} from '../../render/mirror-editor.js';
import {KIND_OF_FLAG, type MirrorKindFlag} from '../../model/mirrors.js';

export default class MirrorAdd extends EditCommand {
  static override summary = 'Add mirrors for a source repository (ImageDigestMirrorSet by default).';
  static override description = `Adds MIRROR... (in order, after any the source already has) to the rule for SOURCE.
The mirrors go into the object named by --name, else into the object of that kind that already lists SOURCE,
else into a new object named after the source. The plan shows the object diff, the registries.conf diff, the
pull order nodes will use and the predicted disruption (adding digest-only mirrors needs no drain: CRI-O
reloads), then asks (or needs --yes) before writing. SOURCE and MIRROR are repositories (host[:port][/path])
without tag or digest. --kind icsp creates the deprecated ImageContentSourcePolicy (with a warning).`;

  static override strict = false;
  static override args = {
    source: Args.string({required: true, description: 'Source repository, e.g. quay.io/openshift-release-dev/ocp-release'}),
    mirror: Args.string({required: true, description: 'Mirror repository (repeatable: all remaining arguments, in pull order)'}),
  };

  static override examples = [
    {description: 'A second mirror for the release payload (preview only)', command: '<%= config.bin %> mirror add quay.io/openshift-release-dev/ocp-release mirror2.example.com:5000/ocp/release -f examples/mirrors.yaml --dry-run'},
    {description: 'Two mirrors, never fall back to the source, applied to the cluster', command: '<%= config.bin %> mirror add registry.redhat.io/ubi9 mirror-a.example.com/ubi9 mirror-b.example.com/ubi9 --never-contact-source --yes'},
    {description: 'Tag mirrors (ImageTagMirrorSet) in a named object', command: '<%= config.bin %> mirror add docker.io/library mirror.example.com/dockerhub --kind itms --name dockerhub -f manifests/ --yes'},
  ];

  static override flags = {
    ...editFlags,
    kind: Flags.string({options: ['idms', 'itms', 'icsp'], default: 'idms', description: 'idms: digest mirrors (ImageDigestMirrorSet); itms: tag mirrors (ImageTagMirrorSet); icsp: deprecated ImageContentSourcePolicy.'}),
    name: Flags.string({description: 'Add to (or create) the object with this name.'}),
    'never-contact-source': Flags.boolean({description: 'mirrorSourcePolicy: NeverContactSource (pulls fail rather than fall back to SOURCE).'}),
  };

  async run(): Promise<EditResult> {
    const {flags, argv} = await this.parse(MirrorAdd);
    const [source, ...mirrors] = argv as string[];
    const kind = KIND_OF_FLAG[flags.kind as MirrorKindFlag];
    return this.edit(mirrorEditor({op: 'add', source: source!, mirrors, kind, name: flags.name, neverContactSource: flags['never-contact-source']}), flags);
  }
}
