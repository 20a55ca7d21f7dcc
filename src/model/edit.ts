/**
 * Editing intents and the editors that turn (current objects, intent) into new
 * objects. Pure. An Editor is the pluggable step of plan(): other commands
 * (e.g. `mirror`) supply their own Editor and reuse the rest of the pipeline.
 */
import type {Problem} from '../lib/errors.js';
import type {Warning} from './warnings.js';
import {CA_NAMESPACE} from './node-files.js';
import {explainBadScope, sourcePattern} from './scope.js';

/** An object as read (live) or loaded (manifests): identity plus its full body. */
export interface CurrentObject {
  kind: string;
  name: string;
  namespace?: string;
  body: Record<string, unknown>;
  /** `file:line` or API path, for messages. */
  source?: string;
  /** Manifest file and document index the object came from (file mode). */
  file?: string;
  doc?: number;
  /** Where in that document, when not the document itself (a List's item, an ACM Policy's object template). */
  path?: Array<string | number>;
}

export interface ObjectKey {
  kind: string;
  name: string;
  namespace?: string;
}

/** One object the editor wants changed: `after` undefined deletes it. */
export interface EditChange extends ObjectKey {
  after: Record<string, unknown> | undefined;
  /** In manifest files, the new object takes the place (document, comments) of this one, which the edit deletes. */
  replaces?: ObjectKey;
}

export interface EditContext {
  objects: CurrentObject[];
  find(kind: string, name: string, namespace?: string): CurrentObject | undefined;
}

export interface EditOutcome {
  changes: EditChange[];
  /** Input problems (bad values): exit 2. */
  problems: Problem[];
  /** What the edit does, in words, one line each (e.g. `add quay.io to allowedRegistries`). */
  summary: string[];
  /** Warnings only the editor can know (e.g. a mirror inside a blocked scope). */
  warnings?: Warning[];
}

/** The pluggable step: current objects -> changed objects. Must be pure and idempotent. */
export type Editor = (ctx: EditContext) => EditOutcome;

export type ListName = 'allowed' | 'blocked' | 'insecure' | 'search';
export type ListOp = 'add' | 'remove' | 'set';

export const LIST_FIELDS: Record<ListName, 'allowedRegistries' | 'blockedRegistries' | 'insecureRegistries' | 'containerRuntimeSearchRegistries'> = {
  allowed: 'allowedRegistries',
  blocked: 'blockedRegistries',
  insecure: 'insecureRegistries',
  search: 'containerRuntimeSearchRegistries',
};

export type Intent =
  | {type: 'list'; list: ListName; op: ListOp; values: string[]; position?: number}
  | {type: 'import'; op: ListOp; values: string[]; insecure?: boolean}
  | {type: 'trust-ca'; op: 'add' | 'remove'; host: string; pem?: string; configMap?: string};

export const IMAGE_API_VERSION = 'config.openshift.io/v1';
export const DEFAULT_CA_CONFIGMAP = 'registry-cas';
/** The API server's maxItems on each registrySources list. */
export const MAX_LIST_ITEMS = 1024;

const clone = <T>(x: T): T => structuredClone(x);

export function makeContext(objects: CurrentObject[]): EditContext {
  return {
    objects,
    find: (kind, name, namespace) => objects.find((o) => o.kind === kind && o.name === name && (namespace === undefined || o.namespace === namespace)),
  };
}

const hostPortRe = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]{1,5})?$/;
const wildcardRe = /^\*(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+$/;

/** Problems with one value given on the command line for a list. */
export function checkValue(list: ListName | 'import', value: string, field: string): Problem | undefined {
  if (list === 'search' || list === 'import') {
    const ok = list === 'search' ? hostPortRe.test(value) : hostPortRe.test(value) || wildcardRe.test(value);
    if (ok && value.length <= 253) return undefined;
    const why = explainBadScope(value, list === 'import');
    const generic = why.startsWith('must be a valid');
    return {field, value, message: value.includes('/') && !why.includes('scheme') && generic ? `must be a registry host[:port]${list === 'import' ? ' or *.domain' : ''}, without a repository path` : generic ? `must be a registry host[:port]${list === 'import' ? ' or *.domain' : ''}` : why};
  }
  if (value.length > 0 && value.length <= 256 && sourcePattern.test(value)) return undefined;
  return {field, value, message: explainBadScope(value)};
}

function imageOf(ctx: EditContext): {obj?: CurrentObject; body: Record<string, unknown>} {
  const obj = ctx.find('Image', 'cluster');
  const body = obj ? clone(obj.body) : {apiVersion: IMAGE_API_VERSION, kind: 'Image', metadata: {name: 'cluster'}, spec: {}};
  if (!body.spec || typeof body.spec !== 'object') body.spec = {};
  return {obj, body};
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

function isEmptyObject(x: unknown): boolean {
  return !!x && typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length === 0;
}

/** An Editor for `allow|block|insecure|search add|remove|set`. */
export function listEditor(intent: Extract<Intent, {type: 'list'}>): Editor {
  return (ctx) => {
    const key = LIST_FIELDS[intent.list];
    const field = `spec.registrySources.${key}`;
    const problems: Problem[] = [];
    const values = dedupe(intent.values);
    const {body} = imageOf(ctx);
    const spec = body.spec as Record<string, unknown>;
    const rs = (spec.registrySources && typeof spec.registrySources === 'object' ? spec.registrySources : {}) as Record<string, unknown>;
    const cur = Array.isArray(rs[key]) ? (rs[key] as unknown[]).map(String) : undefined;
    values.forEach((v) => {
      // Removing an entry that is there is how an admin fixes it, even one `add` would refuse (e.g. Quay.io/NS).
      if (intent.op === 'remove' && (cur ?? []).includes(v)) return;
      const p = checkValue(intent.list, v, `${intent.op} ${intent.list === 'allowed' ? 'allow' : intent.list === 'blocked' ? 'block' : intent.list}`);
      if (p) problems.push(p);
    });
    if (values.length > MAX_LIST_ITEMS) problems.push({field, message: `would get ${values.length} entries; the API server allows at most ${MAX_LIST_ITEMS}`});
    if (problems.length > 0) return {changes: [], problems, summary: []};
    let next: string[] | undefined;
    const summary: string[] = [];
    if (intent.op === 'add') {
      next = [...(cur ?? [])];
      let position = intent.position;
      for (const v of values) {
        const at = next.indexOf(v);
        if (position !== undefined && intent.list === 'search') {
          const want = Math.min(Math.max(position - 1, 0), next.length - (at >= 0 ? 1 : 0));
          if (at === want) {
            position = want + 2;
            continue;
          }
          if (at >= 0) next.splice(at, 1);
          next.splice(want, 0, v);
          summary.push(`${at >= 0 ? 'move' : 'add'} ${v} ${at >= 0 ? 'to' : 'at'} position ${want + 1} of ${key}`);
          position = want + 2;
        } else if (at < 0) {
          next.push(v);
          summary.push(`add ${v} to ${key}`);
        }
      }
    } else if (intent.op === 'remove') {
      next = (cur ?? []).filter((x) => !values.includes(x));
      for (const v of values) if ((cur ?? []).includes(v)) summary.push(`remove ${v} from ${key}`);
    } else {
      next = values;
      if (JSON.stringify(cur ?? []) !== JSON.stringify(values)) summary.push(values.length === 0 ? `clear ${key}` : `set ${key} to ${values.join(', ')}`);
    }
    if (summary.length === 0) return {changes: [], problems, summary: []};
    if (next.length > MAX_LIST_ITEMS) return {changes: [], problems: [{field, message: `would get ${next.length} entries; the API server allows at most ${MAX_LIST_ITEMS}`}], summary};
    if (next.length === 0) {
      // An empty list is not "unset" for every list (insecure [] regenerates registries.conf, search [] is
      // rejected): remove the field, and the registrySources map when nothing else is left in it.
      delete rs[key];
      if (isEmptyObject(rs)) delete spec.registrySources;
      else spec.registrySources = rs;
    } else {
      rs[key] = next;
      spec.registrySources = rs;
    }
    return {changes: [{kind: 'Image', name: 'cluster', after: body}], problems, summary};
  };
}

/** An Editor for `import add|remove|set` (spec.allowedRegistriesForImport). */
export function importEditor(intent: Extract<Intent, {type: 'import'}>): Editor {
  return (ctx) => {
    const problems: Problem[] = [];
    const values = dedupe(intent.values);
    const {body} = imageOf(ctx);
    const spec = body.spec as Record<string, unknown>;
    type Loc = {domainName: string; insecure?: boolean};
    const cur = (Array.isArray(spec.allowedRegistriesForImport) ? spec.allowedRegistriesForImport : []) as Loc[];
    values.forEach((v) => {
      // Any entry that is there can be removed, even one `add` would refuse.
      if (intent.op === 'remove' && cur.some((l) => l?.domainName === v)) return;
      const p = checkValue('import', v, `import ${intent.op}`);
      if (p) problems.push(p);
    });
    if (values.length > MAX_LIST_ITEMS) problems.push({field: 'spec.allowedRegistriesForImport', message: `would get ${values.length} entries; at most ${MAX_LIST_ITEMS} are accepted here`});
    if (problems.length > 0) return {changes: [], problems, summary: []};
    const insecure = intent.insecure === true;
    const summary: string[] = [];
    let next: Loc[];
    if (intent.op === 'add') {
      next = cur.map((l) => ({...l}));
      for (const v of values) {
        const have = next.find((l) => l.domainName === v);
        if (!have) {
          next.push(insecure ? {domainName: v, insecure: true} : {domainName: v});
          summary.push(`add ${v}${insecure ? ' (insecure)' : ''} to allowedRegistriesForImport`);
        } else if ((have.insecure === true) !== insecure) {
          if (insecure) have.insecure = true;
          else delete have.insecure;
          summary.push(`mark ${v} ${insecure ? 'insecure' : 'secure'} in allowedRegistriesForImport`);
        }
      }
    } else if (intent.op === 'remove') {
      next = cur.filter((l) => !values.includes(l.domainName));
      for (const v of values) if (cur.some((l) => l.domainName === v)) summary.push(`remove ${v} from allowedRegistriesForImport`);
    } else {
      next = values.map((v) => (insecure ? {domainName: v, insecure: true} : {domainName: v}));
      if (JSON.stringify(cur) !== JSON.stringify(next)) summary.push(values.length === 0 ? 'clear allowedRegistriesForImport' : `set allowedRegistriesForImport to ${values.join(', ')}${insecure ? ' (insecure)' : ''}`);
    }
    if (summary.length === 0) return {changes: [], problems, summary: []};
    if (next.length === 0) delete spec.allowedRegistriesForImport;
    else spec.allowedRegistriesForImport = next;
    return {changes: [{kind: 'Image', name: 'cluster', after: body}], problems, summary};
  };
}

/** `HOST[:PORT]` -> ConfigMap key `host..port` (the daemon maps `..` back to `:`). */
export function caKey(hostPort: string): string | undefined {
  if (!hostPortRe.test(hostPort)) return undefined;
  return hostPort.replace(':', '..');
}

/** An Editor for `trust-ca add|remove`. `pem` must already be validated (lib/certs.ts). */
export function trustCaEditor(intent: Extract<Intent, {type: 'trust-ca'}>): Editor {
  return (ctx) => {
    const key = caKey(intent.host);
    if (!key) {
      const why = explainBadScope(intent.host, false);
      return {changes: [], problems: [{field: `trust-ca ${intent.op}`, value: intent.host, message: why.startsWith('must be a valid') || intent.host.includes('/') ? 'must be a registry HOST[:PORT] (no scheme, no path)' : why}], summary: []};
    }
    const {obj: imageObj, body: image} = imageOf(ctx);
    const spec = image.spec as Record<string, unknown>;
    const ref = (spec.additionalTrustedCA ?? {}) as {name?: string};
    const cmName = ref.name || intent.configMap || DEFAULT_CA_CONFIGMAP;
    const cmObj = ctx.find('ConfigMap', cmName, CA_NAMESPACE);
    const changes: EditChange[] = [];
    const summary: string[] = [];
    if (intent.op === 'remove') {
      const data = (cmObj?.body.data ?? {}) as Record<string, string>;
      if (!cmObj || !Object.hasOwn(data, key)) return {changes: [], problems: [], summary: []};
      const cm = clone(cmObj.body);
      delete (cm.data as Record<string, string>)[key];
      changes.push({kind: 'ConfigMap', name: cmName, namespace: CA_NAMESPACE, after: cm});
      summary.push(`remove the CA for ${intent.host} (key ${key}) from ConfigMap ${CA_NAMESPACE}/${cmName}`);
      return {changes, problems: [], summary};
    }
    const pem = intent.pem ?? '';
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) return {changes: [], problems: [{field: '--cert', message: 'is not a PEM certificate'}], summary: []};
    const cm = cmObj ? clone(cmObj.body) : {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: cmName, namespace: CA_NAMESPACE}, data: {}};
    if (!cm.data || typeof cm.data !== 'object') cm.data = {};
    const data = cm.data as Record<string, string>;
    if (data[key] !== pem) {
      summary.push(`${key in data ? 'replace' : 'add'} the CA for ${intent.host} (key ${key}) in ConfigMap ${CA_NAMESPACE}/${cmName}${cmObj ? '' : ' (created)'}`);
      data[key] = pem;
      changes.push({kind: 'ConfigMap', name: cmName, namespace: CA_NAMESPACE, after: cm});
    }
    if (!ref.name) {
      spec.additionalTrustedCA = {...ref, name: cmName};
      summary.push(`set spec.additionalTrustedCA.name to ${cmName}${imageObj ? '' : ' (Image cluster created)'}`);
      changes.push({kind: 'Image', name: 'cluster', after: image});
    }
    return {changes, problems: [], summary};
  };
}

export function editorFor(intent: Intent): Editor {
  switch (intent.type) {
    case 'list':
      return listEditor(intent);
    case 'import':
      return importEditor(intent);
    case 'trust-ca':
      return trustCaEditor(intent);
  }
}
