import {readFile} from 'node:fs/promises';
import {Args, Flags} from '@oclif/core';
import {parsePemBundle} from '../../model/certs.js';
import {EditCommand, editFlags, type EditResult} from '../../cli/edit-command.js';
import {UserError, ValidationError} from '../../lib/errors.js';
import {note} from '../../cli/output.js';
import {DEFAULT_CA_CONFIGMAP, trustCaEditor} from '../../model/edit.js';

export default class TrustCaAdd extends EditCommand {
  static override summary = 'Trust a CA bundle for one registry (additional trusted CA ConfigMap).';
  static override description = `Stores the PEM certificates from --cert under the key host..port of the ConfigMap named by
spec.additionalTrustedCA.name in openshift-config; the machine-config daemon writes it to
/etc/docker/certs.d/host:port/ca.crt on every node. Creates the ConfigMap (default name ${DEFAULT_CA_CONFIGMAP}) and sets
spec.additionalTrustedCA.name when missing. Several certificates per key are allowed. Non-PEM input, garbage
and private keys are refused (exit 2); expired, not-yet-valid and non-CA certificates are warned about.`;

  static override examples = [
    {description: 'Preview trusting a lab registry on port 5000', command: '<%= config.bin %> trust-ca add registry.lab.example.com:5000 --cert test/fixtures/certs/ca.pem -f examples/trusted-ca.yaml --dry-run'},
    {description: 'Apply to a GitOps manifest directory', command: '<%= config.bin %> trust-ca add registry.example.com --cert ca.pem -f manifests/ --yes'},
  ];

  static override args = {
    host: Args.string({description: 'registry HOST[:PORT]', required: true}),
  };

  static override flags = {
    ...editFlags,
    cert: Flags.string({description: 'PEM file with one or more CA certificates.', required: true}),
    configmap: Flags.string({description: `ConfigMap name to create when spec.additionalTrustedCA.name is unset (default ${DEFAULT_CA_CONFIGMAP}).`}),
  };

  async run(): Promise<EditResult & {certificates: unknown[]}> {
    const {args, flags} = await this.parse(TrustCaAdd);
    let text: string;
    try {
      text = await readFile(flags.cert, 'latin1');
    } catch (e) {
      throw new UserError(`--cert ${flags.cert}: ${(e as Error).message}`);
    }
    const bundle = parsePemBundle(text, `--cert ${flags.cert}`, new Date());
    if (bundle.problems.length > 0) throw new ValidationError(bundle.problems);
    for (const w of bundle.warnings) this.addWarning(w);
    if (!this.jsonEnabled()) for (const c of bundle.certs) note(this.p.dim(`certificate: ${c.subject} (CA: ${c.ca ? 'yes' : 'no'}, expires ${c.notAfter.slice(0, 10)}, in ${c.daysToExpiry} days)`));
    const cm = flags.configmap ?? DEFAULT_CA_CONFIGMAP;
    const result = await this.edit(trustCaEditor({type: 'trust-ca', op: 'add', host: args.host, pem: bundle.pem, configMap: cm}), flags, {configMaps: [cm]});
    return {...result, certificates: bundle.certs};
  }
}
