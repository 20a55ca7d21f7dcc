/**
 * Manifests (multi-document YAML, as in a GitOps repository) -> ClusterState.
 * Pure: takes file names and texts, returns objects and problems. Unknown keys in
 * the objects this tool owns are errors with a suggestion, as the API server's
 * strict field validation would report them.
 */
import {LineCounter, parseDocument, isNode} from 'yaml';
import type {Problem} from '../lib/errors.js';
import {acmObjectDefinitionsAt, type DocPath} from './acm-unwrap.js';
import {objectProblems} from './api-rules.js';
import {checkSchema, schemas, typeName} from './manifest-schema.js';
import {suggest} from './suggest.js';
import {documentTooLarge, LIMITS, parseBounded, scanText, type DocText} from './yaml-bounds.js';
import {emptyState, type ClusterState, type MirrorRule, type MirrorSet, type MirrorSetKind} from './types.js';

/** apiVersion each kind must have. */
export const KINDS: Record<string, string> = {
  Image: 'config.openshift.io/v1',
  ClusterVersion: 'config.openshift.io/v1',
  ImageDigestMirrorSet: 'config.openshift.io/v1',
  ImageTagMirrorSet: 'config.openshift.io/v1',
  ImageContentSourcePolicy: 'operator.openshift.io/v1alpha1',
  ClusterImagePolicy: 'config.openshift.io/v1',
  ImagePolicy: 'config.openshift.io/v1',
  ConfigMap: 'v1',
  MachineConfigPool: 'machineconfiguration.openshift.io/v1',
  MachineConfig: 'machineconfiguration.openshift.io/v1',
  MachineConfiguration: 'operator.openshift.io/v1', // node disruption policies (node-disruption.ts)
  ...{CatalogSource: 'operators.coreos.com/v1alpha1', ClusterCatalog: 'olm.operatorframework.io/v1', UpdateService: 'updateservice.operator.openshift.io/v1'}, // oc-mirror pass-through
};

const listKeys: Record<MirrorSetKind, string> = {
  ImageContentSourcePolicy: 'repositoryDigestMirrors',
  ImageDigestMirrorSet: 'imageDigestMirrors',
  ImageTagMirrorSet: 'imageTagMirrors',
};

/** A manifest file's text, or objects already parsed (live mode: `file` names the API). */
export type ManifestInput = {file: string; text: string} | {file: string; objects: Array<Record<string, unknown>>; /** Per object: where it is (`file:line`), else `Kind/name`. */ sources?: Array<string | undefined>};

export interface LoadedObject {
  kind: string;
  name: string;
  namespace?: string;
  file: string;
  line: number;
  /** Index of the YAML document in its file. */
  doc: number;
  /** Where in its document, when not the document itself: a List's item, an ACM Policy's object template. */
  path?: DocPath;
  body: Record<string, unknown>;
}

export interface LoadResult {
  state: ClusterState;
  objects: LoadedObject[];
  problems: Problem[];
  /** Kinds seen and not used (other GitOps content), for a debug note. */
  ignored: string[];
  /** Manifest texts by file name, to point problems at the exact line. */
  texts: Map<string, string>;
}

/** `a.b[2].c` (optionally after `Kind/name `) -> ['a', 'b', 2, 'c']. */
function fieldPath(field: string): Array<string | number> | undefined {
  const f = field.replace(/^[A-Za-z]+\/\S+ /, '');
  if (!/^[A-Za-z]/.test(f)) return undefined;
  const out: Array<string | number> = [];
  for (const m of f.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/**
 * Move each problem's `file:line` from the object's first line to the line of the
 * field it names (the Document API is slow, so this runs only when there are problems).
 */
export function pinpoint(problems: Problem[], texts: Map<string, string>): Problem[] {
  const docs = new Map<string, Array<{line: number; doc: ReturnType<typeof parseDocument>; lc: LineCounter}>>();
  return problems.map((p) => {
    const m = /^(.*):(\d+)$/.exec(p.source ?? '');
    const path = fieldPath(p.field);
    if (!m || !path) return p;
    const [, file, lineText] = m;
    const text = texts.get(file!);
    if (text === undefined) return p;
    let parsed = docs.get(file!);
    if (!parsed) {
      parsed = splitDocuments(text).map((d) => {
        const lc = new LineCounter();
        return {line: d.line, doc: parseDocument(d.text, {lineCounter: lc}), lc, first: d.firstLine} as {line: number; doc: ReturnType<typeof parseDocument>; lc: LineCounter; first: number};
      });
      docs.set(file!, parsed);
    }
    const d = parsed.find((x) => x.line === Number(lineText)) as {doc: ReturnType<typeof parseDocument>; lc: LineCounter; first: number} | undefined;
    if (!d) return p;
    const at = (offset: number) => ({...p, source: `${file}:${d.first + d.lc.linePos(offset).line - 1}`});
    for (let n = path.length; n > 0; n--) {
      const last = path[n - 1];
      const parent = n === 1 ? d.doc.contents : d.doc.getIn(path.slice(0, n - 1), true);
      // A mapping key: point at the key (an unknown field has no value worth pointing at).
      const items = (parent as {items?: Array<{key?: unknown}>} | null)?.items;
      const pair = typeof last === 'string' ? items?.find((it) => isNode(it.key) && (it.key as {value?: unknown}).value === last) : undefined;
      if (pair && isNode(pair.key) && pair.key.range) return at(pair.key.range[0]);
      const node = d.doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return at(node.range[0]);
    }
    return p;
  });
}

function asStringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String(x))) : undefined;
}

function get(o: unknown, ...keys: string[]): unknown {
  let cur = o;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** Where an object that came from the API (no file, no line) is: `Kind/name`, `Kind/name in namespace`. */
export function objectSource(o: Record<string, unknown>): string {
  const name = get(o, 'metadata', 'name');
  const ns = get(o, 'metadata', 'namespace');
  return `${String(get(o, 'kind') ?? '?')}/${String(name ?? '?')}${typeof ns === 'string' ? ` in ${ns}` : ''}`;
}


/** A document start marker line (`---`, optionally followed by content), without its newline. */
const DOC_START = /^---(?:[ \t].*)?\r?$/;

/**
 * THE document splitter. Documents of a YAML stream, with line numbers: split at `---` lines,
 * ended early by `...` lines; a chunk of directives only (`%YAML`) goes with the next document.
 * One pass over the lines (a 20,000-rule manifest is 80,000 of them).
 */
export function splitDocuments(text: string): DocText[] {
  const out: DocText[] = [];
  let cur: string[] = [];
  let first = 1;
  let pendingDirectives = 0;
  const directiveOrBlank = (l: string) => l.startsWith('%') || l.trim() === '' || l.trimStart().startsWith('#');
  const flush = (nextFirst: number) => {
    const meaningful = cur.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
    if (meaningful !== -1) {
      let directivesOnly = true;
      for (let k = meaningful; k < cur.length && directivesOnly; k++) directivesOnly = directiveOrBlank(cur[k]!);
      if (directivesOnly) pendingDirectives = cur.length;
      else {
        // Directive lines stay as blank lines, so line numbers within the document stay right.
        out.push({text: '\n'.repeat(pendingDirectives) + cur.join('\n'), firstLine: first - pendingDirectives, line: first + meaningful, endLine: nextFirst});
        pendingDirectives = 0;
      }
    }
    cur = [];
    first = nextFirst;
  };
  // text.split('\n'): a final newline gives a last, empty line, as an empty text gives one.
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith('---') && DOC_START.test(l)) {
      flush(i + 1);
      cur.push('   ' + l.slice(3));
    } else if (l.startsWith('...') && /^\.\.\.(\s|$)/.test(l)) {
      cur.push('');
      flush(i + 2);
    } else cur.push(l);
  }
  flush(lines.length + 1);
  return out;
}

/** Parse manifests into cluster state. Objects of kinds the tool does not use are ignored. */
export function loadManifests(inputs: ManifestInput[]): LoadResult {
  const state = emptyState();
  const problems: Problem[] = [];
  const objects: LoadedObject[] = [];
  const ignored: string[] = [];
  const texts = new Map<string, string>();
  const seen = new Map<string, string>();

  const addObject = (body: Record<string, unknown>, file: string, line: number, doc: number, path: DocPath = []) => {
    const source = line > 0 ? `${file}:${line}` : file;
    const kind = body.kind;
    const apiVersion = body.apiVersion;
    if (typeof kind !== 'string' || typeof apiVersion !== 'string') {
      problems.push({field: typeof kind !== 'string' ? 'kind' : 'apiVersion', message: 'is missing: every manifest needs apiVersion and kind', source});
      return;
    }
    const wrapped = acmObjectDefinitionsAt(body);
    if (wrapped) {
      for (const o of wrapped) addObject(o.object, file, line, doc, [...path, ...o.path]);
      return;
    }
    if (kind === 'List' || kind.endsWith('List')) {
      const items = body.items;
      if (Array.isArray(items)) items.forEach((it, i) => it && typeof it === 'object' && addObject(it as Record<string, unknown>, file, line, doc, [...path, 'items', i]));
      return;
    }
    // Own keys only: `constructor` or `toString` is an unknown kind, not an Object.prototype member.
    const want = Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
    if (want === undefined) {
      const hint = suggest(kind, Object.keys(KINDS));
      if (hint && apiVersion.includes('openshift.io')) problems.push({field: 'kind', value: kind, message: `unknown kind; did you mean ${hint}?`, source});
      else ignored.push(`${kind}`);
      return;
    }
    if (apiVersion !== want) {
      problems.push({field: 'apiVersion', value: apiVersion, message: `${kind} must have apiVersion ${want}`, source});
      return;
    }
    const name = get(body, 'metadata', 'name');
    const namespace = get(body, 'metadata', 'namespace');
    if (typeof name !== 'string' || name === '') {
      problems.push({field: 'metadata.name', message: `is missing on ${kind}`, source});
      return;
    }
    const schema = Object.hasOwn(schemas, kind) ? schemas[kind] : undefined;
    if (schema) checkSchema(body, schema, '', problems, source);
    problems.push(...objectProblems(kind, name, body, source));
    const key = `${kind}/${typeof namespace === 'string' ? namespace + '/' : ''}${name}`;
    const first = seen.get(key);
    if (first) {
      problems.push({field: 'metadata.name', value: name, message: `${kind} ${name} is defined twice (first at ${first}); refusing to guess which one applies`, source});
      return;
    }
    seen.set(key, source);
    objects.push({kind, name, namespace: typeof namespace === 'string' ? namespace : undefined, file, line, doc, ...(path.length > 0 ? {path} : {}), body});

    switch (kind) {
      case 'Image': {
        if (name !== 'cluster') {
          problems.push({field: 'metadata.name', value: name, message: 'the Image config object must be named cluster (MCO reads only images.config.openshift.io/cluster)', source});
          return;
        }
        const spec = (get(body, 'spec') ?? {}) as Record<string, unknown>;
        const rs = get(spec, 'registrySources') as Record<string, unknown> | undefined;
        state.image = {
          name,
          source,
          spec: {
            ...(spec as object),
            registrySources: rs
              ? {
                  allowedRegistries: asStringList(rs.allowedRegistries),
                  blockedRegistries: asStringList(rs.blockedRegistries),
                  insecureRegistries: asStringList(rs.insecureRegistries),
                  containerRuntimeSearchRegistries: asStringList(rs.containerRuntimeSearchRegistries),
                }
              : undefined,
          },
          status: (get(body, 'status') ?? undefined) as {internalRegistryHostname?: string} | undefined,
          resourceVersion: get(body, 'metadata', 'resourceVersion') as string | undefined,
        };
        return;
      }
      case 'ClusterVersion': {
        state.hasClusterVersion = true;
        const img = get(body, 'status', 'desired', 'image');
        // MCO parses status.desired.image on every sync: missing (or not a string) is the empty reference it refuses.
        state.releaseImage = typeof img === 'string' ? img : '';
        state.clusterVersionSource = source;
        const version = get(body, 'status', 'desired', 'version');
        if (typeof version === 'string' && version !== '') state.releaseVersion = version;
        return;
      }
      case 'ImageContentSourcePolicy':
      case 'ImageDigestMirrorSet':
      case 'ImageTagMirrorSet': {
        const list = get(body, 'spec', listKeys[kind]);
        const rules: MirrorRule[] = Array.isArray(list)
          ? list.map((r) => ({
              source: String(get(r, 'source') ?? ''),
              mirrors: asStringList(get(r, 'mirrors')) ?? [],
              mirrorSourcePolicy: kind === 'ImageContentSourcePolicy' ? '' : String(get(r, 'mirrorSourcePolicy') ?? ''),
            }))
          : [];
        const set: MirrorSet = {kind, name, rules, source};
        state.mirrorSets.push(set);
        return;
      }
      case 'ConfigMap': {
        const data = (get(body, 'data') ?? {}) as Record<string, string>;
        state.configMaps.push({name, namespace: typeof namespace === 'string' ? namespace : 'default', data, source});
        return;
      }
      case 'MachineConfigPool': {
        const labels = (get(body, 'metadata', 'labels') ?? {}) as Record<string, string>;
        const sel = (get(body, 'spec', 'machineConfigSelector', 'matchLabels') ?? {}) as Record<string, string>;
        const exprs = get(body, 'spec', 'machineConfigSelector', 'matchExpressions');
        const roles: string[] = [];
        if (Array.isArray(exprs)) {
          for (const e of exprs) {
            if (get(e, 'key') === 'machineconfiguration.openshift.io/role' && get(e, 'operator') === 'In') roles.push(...(asStringList(get(e, 'values')) ?? []));
          }
        }
        const role = sel['machineconfiguration.openshift.io/role'];
        if (role) roles.push(role);
        state.pools.push({name, labels, machineConfigSelector: sel, machineConfigRoles: roles, status: get(body, 'status') as Record<string, unknown> | undefined, source});
        return;
      }
      case 'ClusterImagePolicy':
      case 'ImagePolicy': {
        const generation = get(body, 'metadata', 'generation');
        state.policies.push({
          kind,
          name,
          namespace: typeof namespace === 'string' ? namespace : undefined,
          generation: typeof generation === 'number' ? generation : undefined,
          spec: (get(body, 'spec') ?? {}) as Record<string, unknown>,
          status: (get(body, 'status') ?? undefined) as Record<string, unknown> | undefined,
          source,
        });
        return;
      }
      default:
        return;
    }
  };

  for (const input of inputs) {
    const file = input.file;
    if ('objects' in input) {
      input.objects.forEach((o, i) => addObject(o, input.sources?.[i] ?? objectSource(o), 0, i));
      continue;
    }
    // Bounds first: a refused file is not parsed at all (nor its problems pinpointed).
    const scan = scanText(input.text);
    if (scan.refusal) {
      problems.push({field: 'yaml', message: scan.refusal.message, source: `${file}:${scan.refusal.line}`});
      continue;
    }
    const docs = splitDocuments(input.text);
    const big = docs.find((d) => documentTooLarge(d.text.length));
    if (docs.length > LIMITS.documents || big) {
      const message = big ? documentTooLarge(big.text.length)! : `holds ${docs.length} documents; manifests are refused above ${LIMITS.documents} per file`;
      problems.push({field: 'yaml', message, source: `${file}:${big?.line ?? 1}`});
      continue;
    }
    texts.set(file, input.text);
    docs.forEach((d, i) => {
      const parsed = parseBounded(d, file, scan.hasAlias);
      if ('problem' in parsed) {
        problems.push(parsed.problem);
        return;
      }
      const body = parsed.body;
      if (body === null || body === undefined) return;
      if (typeof body !== 'object' || Array.isArray(body)) {
        problems.push({field: 'document', message: `must be a Kubernetes object, not a ${typeName(body)}`, source: `${file}:${d.line}`});
        return;
      }
      addObject(body as Record<string, unknown>, file, d.line, i);
    });
  }
  return {state, objects, problems: pinpoint(problems, texts), ignored, texts};
}
