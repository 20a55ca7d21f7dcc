import {BaseCommand} from '../../cli/base-command.js';
import {caHost} from '../../model/node-files.js';
import {parsePemBundle, type CertInfo} from '../../model/certs.js';
import {sourceFlags} from '../../cli/flags.js';
import {out} from '../../cli/output.js';
import {CA_NAMESPACE} from '../../model/node-files.js';

interface Entry {
  key: string;
  host: string;
  certificates: CertInfo[];
  problems: string[];
}

export default class TrustCaList extends BaseCommand {
  static override summary = 'List the additional trusted CAs per registry, with subject and days to expiry.';
  static override description = `Reads spec.additionalTrustedCA.name and that ConfigMap in ${CA_NAMESPACE}; one line per certificate: HOST[:PORT], days to expiry, CA or not, subject.`;

  static override examples = [
    {description: 'From a manifest', command: '<%= config.bin %> trust-ca list -f examples/trusted-ca.yaml'},
    {description: 'From the cluster', command: '<%= config.bin %> trust-ca list'},
    {description: 'From manifests, as JSON', command: '<%= config.bin %> trust-ca list -f manifests/ --json'},
  ];

  static override flags = {...sourceFlags};

  async run(): Promise<{configMap?: string; entries: Entry[]}> {
    const {flags} = await this.parse(TrustCaList);
    const {loadState} = await import('../../cluster/source.js');
    const loaded = await loadState(flags);
    const name = loaded.state.image?.spec.additionalTrustedCA?.name;
    const cm = loaded.state.configMaps.find((c) => c.name === name && c.namespace === CA_NAMESPACE);
    const now = new Date();
    const entries: Entry[] = Object.keys(cm?.data ?? {})
      .sort()
      .map((key) => {
        const b = parsePemBundle(cm!.data[key]!, `data.${key}`, now);
        return {key, host: caHost(key), certificates: b.certs, problems: b.problems.map((p) => p.message)};
      });
    if (!this.jsonEnabled()) {
      if (!name) out(this.p.dim('spec.additionalTrustedCA.name is not set: no additional CAs.'));
      else if (!cm) out(this.p.dim(`ConfigMap ${CA_NAMESPACE}/${name} does not exist.`));
      for (const e of entries) {
        for (const c of e.certificates) out(`${e.host}\t${c.daysToExpiry < 0 ? this.p.err(`expired ${-c.daysToExpiry} days ago`) : `${c.daysToExpiry} days`}\t${c.ca ? 'CA' : 'not a CA'}\t${c.subject}`);
        for (const p of e.problems) out(`${e.host}\t${this.p.err(p)}`);
      }
    }
    return {configMap: name, entries};
  }
}
