/**
 * Shell completion: what may come next on a command line, in Cobra's protocol (the one kubectl and
 * oc speak for plugins): one candidate per line (`value<TAB>description`), then `:<directive>`.
 * The command table is data (built from oclif's manifest in src/cli/completion-spec.ts); pool, node,
 * mirror-set and context names come from injected sources (src/cluster/completion-data.ts), each
 * bounded by a deadline, so a slow or unreachable cluster costs at most that much and yields nothing.
 */
import type {CompletionSources, MirrorSetName, SourceSelection} from '../cluster/completion-data.js';

export type {CompletionSources, MirrorSetName, SourceSelection};

/** Cobra's ShellCompDirective bits. */
export const Directive = {
  /** Complete file names (the shell's default). */
  default: 0,
  error: 1,
  noSpace: 2,
  noFileComp: 4,
  filterFileExt: 8,
  filterDirs: 16,
  keepOrder: 32,
} as const;

export interface FlagSpec {
  name: string;
  char?: string;
  /** `option` flags take a value. */
  type: 'boolean' | 'option';
  options?: string[];
  multiple?: boolean;
  description?: string;
  hidden?: boolean;
}

export interface CommandSpec {
  /** oclif id, topics joined with `:` (`mirror:add`). */
  id: string;
  summary?: string;
  hidden?: boolean;
  flags: FlagSpec[];
  args: ArgSpec[];
}

export interface ArgSpec {
  name: string;
  options?: string[];
}

export interface Candidate {
  value: string;
  description?: string;
}

export interface Completion {
  candidates: Candidate[];
  directive: number;
}


export interface CompleteOptions {
  commands: CommandSpec[];
  /** Topic descriptions, by topic id. */
  topics?: Record<string, string>;
  sources: CompletionSources;
  /** Settles a lookup within the completion deadline, or gives undefined. */
  deadline<T>(lookup: Promise<T>): Promise<T | undefined>;
}

/** Flags whose value is a path: left to the shell's file completion (directories only for --out). */
const FILE_FLAGS = new Set(['file', 'kubeconfig', 'cert', 'oc']);
const DIR_FLAGS = new Set(['out']);
const KIND_OF: Record<string, string> = {idms: 'ImageDigestMirrorSet', itms: 'ImageTagMirrorSet', icsp: 'ImageContentSourcePolicy'};
const ROOT_FLAGS: Candidate[] = [
  {value: '--help', description: 'Show help.'},
  {value: '--version', description: 'Show the version.'},
];

interface Parsed {
  command?: CommandSpec;
  /** Words naming the command or topic so far. */
  path: string[];
  values: Map<string, string[]>;
  positionals: number;
  /** An option flag still waiting for its value (the word being completed is that value). */
  pending?: FlagSpec;
  afterDoubleDash: boolean;
}

function findFlag(cmd: CommandSpec, word: string): FlagSpec | undefined {
  if (word.startsWith('--')) return cmd.flags.find((f) => f.name === word.slice(2));
  return cmd.flags.find((f) => f.char !== undefined && f.char === word.slice(1));
}

function parse(commands: CommandSpec[], words: string[]): Parsed {
  const p: Parsed = {path: [], values: new Map(), positionals: 0, afterDoubleDash: false};
  const ids = new Map(commands.map((c) => [c.id, c]));
  for (const word of words) {
    if (p.pending) {
      p.values.set(p.pending.name, [...(p.values.get(p.pending.name) ?? []), word]);
      p.pending = undefined;
      continue;
    }
    if (!p.command) {
      if (word.startsWith('-')) continue;
      p.path.push(word);
      p.command = ids.get(p.path.join(':'));
      continue;
    }
    if (p.afterDoubleDash || !word.startsWith('-') || word === '-') {
      p.positionals++;
      continue;
    }
    if (word === '--') {
      p.afterDoubleDash = true;
      continue;
    }
    const eq = word.indexOf('=');
    const flag = findFlag(p.command, eq > 0 ? word.slice(0, eq) : word);
    if (!flag) continue;
    if (flag.type === 'boolean') p.values.set(flag.name, ['true']);
    else if (eq > 0) p.values.set(flag.name, [...(p.values.get(flag.name) ?? []), word.slice(eq + 1)]);
    else p.pending = flag;
  }
  return p;
}

const startsWith = (prefix: string) => (c: Candidate) => c.value.startsWith(prefix);

/** Commands and topics that may follow the words typed so far. */
function nextWords(opts: CompleteOptions, path: string[], current: string): Completion {
  const seen = new Map<string, Candidate>();
  for (const c of opts.commands) {
    if (c.hidden) continue;
    const parts = c.id.split(':');
    if (parts.length <= path.length || parts.slice(0, path.length).join(':') !== path.join(':')) continue;
    const word = parts[path.length];
    if (seen.has(word)) continue;
    const isTopic = parts.length > path.length + 1;
    const topicId = parts.slice(0, path.length + 1).join(':');
    seen.set(word, {value: word, description: isTopic ? opts.topics?.[topicId] : c.summary});
  }
  const candidates = [...seen.values()].filter(startsWith(current)).sort((a, b) => (a.value < b.value ? -1 : 1));
  if (path.length === 0 && current.startsWith('-')) return {candidates: ROOT_FLAGS.filter(startsWith(current)), directive: Directive.noFileComp};
  return {candidates, directive: Directive.noFileComp};
}

function flagCandidates(cmd: CommandSpec, given: Map<string, string[]>, current: string): Completion {
  const out: Candidate[] = [];
  for (const f of cmd.flags) {
    if (f.hidden || (given.has(f.name) && !f.multiple)) continue;
    out.push({value: `--${f.name}`, description: f.description});
    if (f.char && !current.startsWith('--')) out.push({value: `-${f.char}`, description: f.description});
  }
  out.push({value: '--help', description: 'Show help.'});
  return {candidates: out.filter(startsWith(current)), directive: Directive.noFileComp};
}

async function flagValues(opts: CompleteOptions, flag: FlagSpec, p: Parsed, current: string): Promise<Completion> {
  const none: Completion = {candidates: [], directive: Directive.noFileComp};
  if (flag.options) return {candidates: flag.options.map((value) => ({value})).filter(startsWith(current)), directive: Directive.noFileComp};
  if (FILE_FLAGS.has(flag.name)) return {candidates: [], directive: Directive.default};
  if (DIR_FLAGS.has(flag.name)) return {candidates: [], directive: Directive.filterDirs};
  const sel: SourceSelection = {file: p.values.get('file'), kubeconfig: p.values.get('kubeconfig')?.at(-1), context: p.values.get('context')?.at(-1)};
  const names = async (lookup: () => Promise<string[]>, description?: string): Promise<Completion> => {
    const found = await opts.deadline(lookup().catch(() => [] as string[]));
    const unique = [...new Set(found ?? [])].sort();
    return {candidates: unique.map((value) => ({value, ...(description ? {description} : {})})).filter(startsWith(current)), directive: Directive.noFileComp};
  };
  switch (flag.name) {
    case 'pool':
      return names(() => opts.sources.pools(sel), 'MachineConfigPool');
    case 'node':
      return names(() => opts.sources.nodes(sel), 'Node');
    case 'context':
      return names(() => opts.sources.contexts(sel));
    case 'name': {
      const kind = KIND_OF[p.values.get('kind')?.at(-1) ?? ''];
      const found = await opts.deadline(opts.sources.mirrorSets(sel).catch(() => [] as MirrorSetName[]));
      const sets = (found ?? []).filter((s) => !kind || s.kind === kind);
      const byName = new Map(sets.map((s) => [s.name, s.kind]));
      const candidates = [...byName].sort(([a], [b]) => (a < b ? -1 : 1)).map(([value, description]) => ({value, description}));
      return {candidates: candidates.filter(startsWith(current)), directive: Directive.noFileComp};
    }
    default:
      return none;
  }
}

/**
 * Completions for `words`: the arguments after the program name, the last one being the word under
 * the cursor (empty when the cursor is after a space).
 */
export async function complete(opts: CompleteOptions, words: string[]): Promise<Completion> {
  const typed = words.slice(0, -1);
  const current = words.at(-1) ?? '';
  const p = parse(opts.commands, typed);
  if (!p.command) {
    // A topic alone is not a command: offer its commands (or the top level).
    return nextWords(opts, p.path, current);
  }
  if (p.pending) return flagValues(opts, p.pending, p, current);
  if (!p.afterDoubleDash && current.startsWith('--') && current.includes('=')) {
    const eq = current.indexOf('=');
    const flag = findFlag(p.command, current.slice(0, eq));
    if (!flag || flag.type !== 'option') return {candidates: [], directive: Directive.noFileComp};
    const values = await flagValues(opts, flag, p, current.slice(eq + 1));
    return {...values, candidates: values.candidates.map((c) => ({...c, value: `${current.slice(0, eq + 1)}${c.value}`}))};
  }
  if (!p.afterDoubleDash && current.startsWith('-')) return flagCandidates(p.command, p.values, current);
  const arg = p.command.args[p.positionals];
  return {candidates: (arg?.options ?? []).map((value) => ({value})).filter(startsWith(current)), directive: Directive.noFileComp};
}

/** Cobra's wire format: candidates, then `:<directive>`. Tabs and newlines in descriptions become spaces. */
export function formatCompletion(c: Completion): string {
  const clean = (s: string) => s.replace(/[\t\r\n]+/g, ' ').trim();
  const lines = c.candidates.map((x) => (x.description ? `${x.value}\t${clean(x.description)}` : x.value));
  return [...lines, `:${c.directive}`].join('\n') + '\n';
}
