/**
 * Reading a node's registry files with ONE `oc` call: a POSIX shell script that
 * prints every file base64-encoded between marker lines. Base64 output holds only
 * [A-Za-z0-9+/=], so a marker line starting with `#` can never occur inside a file.
 *
 * --via debug: oc debug node/N -- chroot /host sh -c SCRIPT sh /
 * --via mcd:   oc exec -n openshift-machine-config-operator POD -c machine-config-daemon -- sh -c SCRIPT sh /rootfs
 * The script's first argument is the host root; paths are printed relative to it.
 * `oc debug` with a command returns the pod's log, where stdout and stderr are merged: the script
 * keeps stderr out of its output (errors become marker lines).
 */
import {runOc, type OcResult} from './oc.js';

export const MARKER = '#ocreg#';
export const MCD_NAMESPACE = 'openshift-machine-config-operator';
export const MCD_CONTAINER = 'machine-config-daemon';

/** Files every node is asked for, besides the directories below and any rendered path. */
export const FIXED_PATHS = ['/etc/containers/registries.conf', '/etc/containers/policy.json'];
export const DROPIN_DIR = '/etc/containers/registries.conf.d';
export const CERTS_DIR = '/etc/docker/certs.d';

const shQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** The read script. `extra` are further absolute paths to read (e.g. sigstore files the render produces). */
export function readScript(extra: string[] = []): string {
  const paths = [...new Set([...FIXED_PATHS, ...extra])].filter((p) => !p.startsWith(`${DROPIN_DIR}/`) && !p.startsWith(`${CERTS_DIR}/`));
  return [
    'R="${1%/}"',
    `M='${MARKER}'`,
    'emit() {',
    '  if [ ! -r "$R$1" ]; then echo "$M UNREADABLE $1"; return; fi',
    '  echo "$M FILE $1"',
    '  base64 < "$R$1" 2>/dev/null || echo "$M ERROR $1"',
    '}',
    `for f in ${paths.map(shQuote).join(' ')}; do`,
    '  if [ -f "$R$f" ]; then emit "$f"; elif [ -e "$R$f" ]; then echo "$M NOTFILE $f"; else echo "$M ABSENT $f"; fi',
    'done',
    `if [ -d "$R${DROPIN_DIR}" ]; then for f in "$R${DROPIN_DIR}"/*; do [ -f "$f" ] && emit "\${f#"$R"}"; done; else echo "$M ABSENT ${DROPIN_DIR}"; fi`,
    `if [ -d "$R${CERTS_DIR}" ]; then for d in "$R${CERTS_DIR}"/*/; do for f in "$d"*; do`,
    '  [ -f "$f" ] || continue',
    '  case "$f" in',
    '    */ca.crt) emit "${f#"$R"}" ;;',
    '    *) echo "$M HASH ${f#"$R"} $(sha256sum < "$f" 2>/dev/null | cut -d" " -f1)" ;;',
    '  esac',
    `done; done; else echo "$M ABSENT ${CERTS_DIR}"; fi`,
    'echo "$M END"',
  ].join('\n');
}

export interface NodeRead {
  /** path -> content, for every file read. */
  files: Map<string, string>;
  /** Paths that exist but could not be read. */
  unreadable: string[];
  /** Files listed by hash only (client certificates and keys in certs.d are never read). */
  hashes: Map<string, string>;
  /** Paths (files or directories) that are absent. */
  absent: string[];
  /** The output ended with the END marker. */
  complete: boolean;
}

export function parseReadOutput(stdout: string): NodeRead {
  const read: NodeRead = {files: new Map(), unreadable: [], hashes: new Map(), absent: [], complete: false};
  let current: string | undefined;
  let chunks: string[] = [];
  const flush = () => {
    if (current !== undefined) read.files.set(current, Buffer.from(chunks.join(''), 'base64').toString('utf8'));
    current = undefined;
    chunks = [];
  };
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(MARKER + ' ')) {
      if (current !== undefined) chunks.push(line.trim());
      continue;
    }
    flush();
    const rest = line.slice(MARKER.length + 1);
    const sp = rest.indexOf(' ');
    const tag = sp < 0 ? rest : rest.slice(0, sp);
    const arg = sp < 0 ? '' : rest.slice(sp + 1);
    switch (tag) {
      case 'FILE': current = arg; break;
      case 'UNREADABLE': case 'ERROR': case 'NOTFILE': read.unreadable.push(arg); break;
      case 'ABSENT': read.absent.push(arg); break;
      case 'HASH': {
        const i = arg.lastIndexOf(' ');
        read.hashes.set(arg.slice(0, i), arg.slice(i + 1));
        break;
      }
      case 'END': read.complete = true; break;
    }
  }
  flush();
  // A file cut off by an error is not a file.
  for (const p of read.unreadable) read.files.delete(p);
  return read;
}

export type Via = 'debug' | 'mcd';

export interface ReadNodeOptions {
  oc?: string;
  timeoutMs: number;
  via: Via;
  /** machine-config-daemon pod on the node (for --via mcd). */
  mcdPod?: string;
  extraPaths?: string[];
  /** oc's own flags naming the cluster (`--kubeconfig=F`, `--context=C`), so oc reads the same cluster as the API calls. */
  ocFlags?: string[];
  env?: NodeJS.ProcessEnv;
}

/** The oc flags for an explicitly chosen kubeconfig / context (none: oc uses its own current context, as before). */
export function ocClusterFlags(o: {kubeconfig?: string; context?: string}): string[] {
  return [...(o.kubeconfig ? [`--kubeconfig=${o.kubeconfig}`] : []), ...(o.context ? [`--context=${o.context}`] : [])];
}

export function ocArgs(node: string, opts: Pick<ReadNodeOptions, 'via' | 'mcdPod' | 'extraPaths' | 'ocFlags'>): string[] {
  const script = readScript(opts.extraPaths);
  const flags = opts.ocFlags ?? [];
  if (opts.via === 'mcd') return ['exec', '-n', MCD_NAMESPACE, opts.mcdPod ?? '', '-c', MCD_CONTAINER, ...flags, '--', 'sh', '-c', script, 'sh', '/rootfs'];
  return ['debug', `node/${node}`, '--quiet', ...flags, '--', 'chroot', '/host', 'sh', '-c', script, 'sh', '/'];
}

export type NodeReadResult =
  | {ok: true; read: NodeRead; elapsedMs: number}
  | {ok: false; error: string; hint?: string; kind: 'timeout' | 'image-pull' | 'exit' | 'spawn' | 'incomplete' | 'no-mcd-pod'; elapsedMs: number};

const IMAGE_PULL = /ErrImagePull|ImagePullBackOff|image pull|pulling image|pull image|manifest unknown|not allowed by policy|InvalidImageName/i;

export function classifyFailure(r: OcResult, via: Via, timeoutMs: number): Extract<NodeReadResult, {ok: false}> {
  const lastLines = r.stderr.trim().split('\n').filter((l) => l.trim() !== '').slice(-2).join(' / ');
  if (r.spawnError) return {ok: false, kind: 'spawn', error: `cannot run oc: ${r.spawnError}`, hint: 'install oc or pass --oc PATH', elapsedMs: r.elapsedMs};
  if (via === 'debug' && IMAGE_PULL.test(r.stderr)) {
    const line = r.stderr.split('\n').find((l) => IMAGE_PULL.test(l))!.trim().replace(/^error: /, '');
    return {ok: false, kind: 'image-pull', error: `the debug pod's image could not be pulled: ${line}`, hint: 'the node may not pull the debug image (e.g. an allowlist without quay.io); retry with --via mcd', elapsedMs: r.elapsedMs};
  }
  if (r.timedOut) {
    return {ok: false, kind: 'timeout', error: `no answer within ${Math.round(timeoutMs / 100) / 10}s${lastLines ? ` (${lastLines})` : ''}`, ...(via === 'debug' ? {hint: 'a debug pod that never starts often means its image cannot be pulled; try --via mcd'} : {}), elapsedMs: r.elapsedMs};
  }
  if (r.code !== 0) return {ok: false, kind: 'exit', error: `oc exited ${r.code ?? r.signal}${lastLines ? `: ${lastLines}` : ''}`, elapsedMs: r.elapsedMs};
  return {ok: false, kind: 'incomplete', error: 'the output ended before the end marker', elapsedMs: r.elapsedMs};
}

/** Read one node. Never throws: failures come back as results. */
export async function readNode(node: string, opts: ReadNodeOptions): Promise<NodeReadResult> {
  if (opts.via === 'mcd' && !opts.mcdPod) return {ok: false, kind: 'no-mcd-pod', error: `no ${MCD_CONTAINER} pod runs on node ${node}`, elapsedMs: 0};
  const r = await runOc(ocArgs(node, opts), {oc: opts.oc, timeoutMs: opts.timeoutMs, env: opts.env});
  if (r.code === 0 && !r.timedOut) {
    const read = parseReadOutput(r.stdout);
    if (read.complete) return {ok: true, read, elapsedMs: r.elapsedMs};
  }
  return classifyFailure(r, opts.via, opts.timeoutMs);
}
