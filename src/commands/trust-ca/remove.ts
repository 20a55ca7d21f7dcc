import {Args} from '@oclif/core';
import {EditCommand, editFlags, type EditResult} from '../../cli/edit-command.js';
import {trustCaEditor} from '../../model/edit.js';

export default class TrustCaRemove extends EditCommand {
  static override summary = 'Stop trusting the additional CA of one registry.';
  static override description = `Removes the key host..port from the additional trusted CA ConfigMap in openshift-config.
The ConfigMap and spec.additionalTrustedCA.name stay. Removing a key that is not there is a no-op (exit 0).`;

  static override examples = [
    {description: 'Preview the removal', command: '<%= config.bin %> trust-ca remove registry.example.com:5000 -f examples/trusted-ca.yaml --dry-run'},
    {description: 'Remove from manifests without asking', command: '<%= config.bin %> trust-ca remove registry.example.com -f manifests/ --yes'},
  ];

  static override args = {
    host: Args.string({description: 'registry HOST[:PORT]', required: true}),
  };

  static override flags = {...editFlags};

  async run(): Promise<EditResult> {
    const {args, flags} = await this.parse(TrustCaRemove);
    return this.edit(trustCaEditor({type: 'trust-ca', op: 'remove', host: args.host}), flags);
  }
}
