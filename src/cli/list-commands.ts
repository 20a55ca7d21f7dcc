/**
 * The list-editing commands (`allow|block|insecure|search|import add|remove|set|list`)
 * are the same command with a different field: one factory builds them all, so
 * each file under src/commands/<noun>/ is one line.
 */
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from './base-command.js';
import {EditCommand, editFlags, type EditFlags, type EditResult} from './edit-command.js';
import {sourceFlags} from './flags.js';
import {out} from './output.js';
import {importEditor, LIST_FIELDS, listEditor, type ListName, type ListOp} from '../model/edit.js';

export type Noun = 'allow' | 'block' | 'insecure' | 'search' | 'import';

const LIST_OF: Record<Exclude<Noun, 'import'>, ListName> = {allow: 'allowed', block: 'blocked', insecure: 'insecure', search: 'search'};

const FIELD: Record<Noun, string> = {
  allow: 'spec.registrySources.allowedRegistries',
  block: 'spec.registrySources.blockedRegistries',
  insecure: 'spec.registrySources.insecureRegistries',
  search: 'spec.registrySources.containerRuntimeSearchRegistries',
  import: 'spec.allowedRegistriesForImport',
};

const WHAT: Record<Noun, string> = {
  allow: 'the registries nodes may pull from (policy.json allowlist; everything else is rejected)',
  block: 'the registries nodes must not pull from (registries.conf blocked = true and policy.json reject)',
  insecure: 'registries reached without TLS verification (registries.conf insecure = true)',
  search: 'the registries CRI-O searches for short image names, in order (registries.conf.d drop-in)',
  import: 'the registries image streams may import from (openshift-apiserver; not written to nodes)',
};

const SAMPLE: Record<Noun, string[]> = {
  allow: ['quay.io', 'registry.redhat.io', 'image-registry.openshift-image-registry.svc:5000'],
  block: ['docker.io', 'ghcr.io/untrusted'],
  insecure: ['registry.lab.example.com:5000'],
  search: ['registry.example.com'],
  import: ['registry.example.com'],
};

interface ListResult {
  field: string;
  entries: unknown[];
  set: boolean;
}

function opDescription(noun: Noun, op: ListOp | 'list'): string {
  switch (op) {
    case 'add':
      return `Add entries to ${FIELD[noun]}: ${WHAT[noun]}. Entries already there are left alone (exit 0).`;
    case 'remove':
      return `Remove entries from ${FIELD[noun]}. Entries that are not there are ignored (exit 0). An emptied list is removed from the object.`;
    case 'set':
      return `Replace ${FIELD[noun]} with exactly the given entries (none: remove the list).`;
    default:
      return `Show ${FIELD[noun]}: ${WHAT[noun]}.`;
  }
}

const EXAMPLE_FILE: Record<Noun, string> = {allow: 'allowlist', block: 'blocklist', insecure: 'insecure', search: 'search', import: 'allowlist'};

const SUMMARY: Record<ListOp | 'list', (field: string) => string> = {
  add: (f) => `Add entries to ${f}.`,
  remove: (f) => `Remove entries from ${f}.`,
  set: (f) => `Replace ${f} with exactly the given entries.`,
  list: (f) => `Show ${f}.`,
};

export function summaryOf(noun: Noun, op: ListOp | 'list'): string {
  return SUMMARY[op](FIELD[noun]);
}

function examples(noun: Noun, op: ListOp | 'list'): Array<{description: string; command: string}> {
  const bin = `<%= config.bin %> ${noun} ${op}`;
  const s = SAMPLE[noun];
  const file = `examples/${EXAMPLE_FILE[noun]}.yaml`;
  if (op === 'list') return [{description: `Show ${FIELD[noun]} of a manifest`, command: `${bin} -f ${file}`}, {description: 'From the cluster, as JSON', command: `${bin} --json`}];
  const verb = op === 'add' ? 'adding' : op === 'remove' ? 'removing' : 'setting';
  const list = [
    {description: `Preview ${verb} ${s[0]} in a manifest (object diff, node-file diffs, disruption); nothing is written`, command: `${bin} ${s[0]} -f ${file} --dry-run`},
    {description: 'The same on the live cluster', command: `${bin} ${s[0]} --dry-run`},
    {description: 'Edit a GitOps directory in place without asking', command: `${bin} ${s.join(' ')} -f clusters/prod/ --yes`},
  ];
  if (noun === 'search' && op === 'add') list.push({description: 'Put a registry first in the search order', command: `${bin} registry.example.com --position 1 -f ${file} --dry-run`});
  if (noun === 'import' && op === 'add') list.push({description: 'Allow importing from a registry without TLS verification', command: `${bin} registry.lab.example.com:5000 --insecure -f ${file} --dry-run`});
  if (op !== 'set' && noun !== 'import') list.push({description: 'Apply to the cluster and wait for the pools to roll out', command: `${bin} ${s[0]} --yes --wait --timeout 45m`});
  return list;
}

export function listEditCommand(noun: Noun, op: ListOp) {
  return class extends EditCommand {
    static override summary = summaryOf(noun, op);
    static override description = `${opDescription(noun, op)}

The change is planned first. Errors (anything the API server or MCO would refuse) exit 2 with nothing written.
The preview shows the object diff, the diff of every node file that changes and the predicted disruption per
pool. Without a terminal, --yes is required. Live mode writes with the resourceVersion it read and re-applies
the same intent after a conflict (exit 4 when that keeps failing); with -f the manifests are rewritten in
place, keeping comments and formatting, atomically (one writer at a time).`;
    static override examples = examples(noun, op);
    static override strict = false;
    static override args = {
      entries: Args.string({description: noun === 'import' ? 'registry domain names (host[:port] or *.domain)' : noun === 'search' ? 'registry hosts (host[:port])' : 'registry scopes: host[:port][/repository] or *.domain', required: op !== 'set'}),
    };
    static override flags = {
      ...editFlags,
      ...(noun === 'search' && op === 'add' ? {position: Flags.integer({min: 1, description: 'Insert at this position (1 = searched first) instead of the end; an entry already in the list is moved.'})} : {}),
      ...(noun === 'import' && op !== 'remove' ? {insecure: Flags.boolean({description: 'Mark the entries insecure (import over HTTP or without TLS verification).'})} : {}),
    };

    async run(): Promise<EditResult> {
      const {flags, argv} = await this.parse();
      const values = (argv as string[]).map(String);
      const f = flags as unknown as EditFlags & {position?: number; insecure?: boolean};
      const editor = noun === 'import' ? importEditor({type: 'import', op, values, insecure: f.insecure}) : listEditor({type: 'list', list: LIST_OF[noun], op, values, position: f.position});
      return this.edit(editor, f);
    }
  };
}

export function listShowCommand(noun: Noun) {
  return class extends BaseCommand {
    static override summary = summaryOf(noun, 'list');
    static override description = opDescription(noun, 'list') + '\nOne entry per line on stdout (import: `domain` or `domain insecure`).';
    static override examples = examples(noun, 'list');
    static override flags = {...sourceFlags};

    async run(): Promise<ListResult> {
      const {flags} = (await this.parse()) as unknown as {flags: {file?: string[]; kubeconfig?: string; context?: string}};
      const {loadState} = await import('../cluster/source.js');
      const loaded = await loadState(flags);
      const spec = loaded.state.image?.spec;
      let entries: unknown[] | undefined;
      if (noun === 'import') entries = spec?.allowedRegistriesForImport;
      else entries = spec?.registrySources?.[LIST_FIELDS[LIST_OF[noun]]];
      const result = {field: FIELD[noun], entries: entries ?? [], set: entries !== undefined};
      if (!this.jsonEnabled()) {
        for (const e of result.entries) {
          if (typeof e === 'string') out(e);
          else {
            const l = e as {domainName: string; insecure?: boolean};
            out(l.insecure ? `${l.domainName} insecure` : l.domainName);
          }
        }
      }
      return result;
    }
  };
}
