/**
 * Predicted node disruption of a change to the rendered node files, following
 * the machine-config daemon (MCO pkg/daemon): the default node disruption
 * policies (pkg/apihelpers/apihelpers.go defaultClusterPolicies, OpenShift 4.17
 * and later) and, before that, calculatePostConfigChangeActionFromMCDiffs
 * (pkg/daemon/update.go), which give the same action for these files:
 *   /etc/containers/registries.conf   Special: CRI-O reload, drain unless the
 *                                     change is "safe" (isSafeContainerRegistryConfChanges, drain.go)
 *   /etc/containers/policy.json       CRI-O reload
 *   /etc/containers/registries.d/...  CRI-O reload
 *   /etc/crio/policies/...            CRI-O reload
 *   any other file (e.g. the search
 *   registries drop-in)               no policy: drain and reboot
 * Files under /etc/docker/certs.d are written by the daemon's certificate writer
 * from the ControllerConfig, outside any MachineConfig: no disruption.
 * Pure.
 */
import {parse as parseToml} from 'smol-toml';
import {CONTAINERS_GPG_PUB_PATH, CRIO_POLICIES_DIR, DOCKER_CERTS_DIR, POLICY_JSON_PATH, REGISTRIES_CONF_PATH, REGISTRIES_D} from './node-files.js';

export type DisruptionLevel = 'none' | 'crio-reload' | 'drain' | 'drain-reboot';

export const DISRUPTION_ORDER: DisruptionLevel[] = ['none', 'crio-reload', 'drain', 'drain-reboot'];

export const DISRUPTION_TEXT: Record<DisruptionLevel, string> = {
  none: 'none',
  'crio-reload': 'CRI-O reload (no drain, no reboot)',
  drain: 'drain, then CRI-O reload (no reboot)',
  'drain-reboot': 'drain and reboot',
};

/** Which releases the prediction is for. */
export const DISRUPTION_BASIS =
  'MCO default node disruption policies (OpenShift 4.17 and later); the post-config-change rules of earlier 4.x releases give the same action for these files';

export interface FileDisruption {
  path: string;
  level: DisruptionLevel;
  reason: string;
}

export interface PoolDisruption {
  pool: string;
  level: DisruptionLevel;
  text: string;
  reasons: string[];
  /** The release basis of the prediction. */
  release: string;
}

const RELOAD_FILES = [POLICY_JSON_PATH, CONTAINERS_GPG_PUB_PATH];
const RELOAD_DIRS = [REGISTRIES_D, CRIO_POLICIES_DIR];
const DAEMON_DIRS = [DOCKER_CERTS_DIR];

export function maxLevel(levels: DisruptionLevel[]): DisruptionLevel {
  let best = 0;
  for (const l of levels) best = Math.max(best, DISRUPTION_ORDER.indexOf(l));
  return DISRUPTION_ORDER[best]!;
}

interface Mirror {
  location: string;
  insecure: boolean;
  pullFromMirror: string;
}
interface Reg {
  prefix: string;
  location: string;
  insecure: boolean;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  mirrors: Mirror[];
}
interface Conf {
  search: string[];
  registries: Reg[];
}

function readConf(text: string): Conf {
  const t = parseToml(text) as Record<string, unknown>;
  const regs = (Array.isArray(t.registry) ? t.registry : []) as Array<Record<string, unknown>>;
  return {
    search: (t['unqualified-search-registries'] as string[] | undefined) ?? [],
    registries: regs.map((r) => ({
      prefix: String(r.prefix ?? ''),
      location: String(r.location ?? ''),
      insecure: r.insecure === true,
      blocked: r.blocked === true,
      mirrorByDigestOnly: r['mirror-by-digest-only'] === true,
      mirrors: ((Array.isArray(r.mirror) ? r.mirror : []) as Array<Record<string, unknown>>).map((m) => ({
        location: String(m.location ?? ''),
        insecure: m.insecure === true,
        pullFromMirror: String(m['pull-from-mirror'] ?? ''),
      })),
    })),
  };
}

/**
 * isSafeContainerRegistryConfChanges (pkg/daemon/drain.go): returns undefined when
 * the change needs no drain, else the reason a drain is needed.
 */
export function registriesConfDrainReason(oldText: string, newText: string): string | undefined {
  let a: Conf;
  let b: Conf;
  try {
    a = readConf(oldText);
    b = readConf(newText);
  } catch (e) {
    return `registries.conf does not parse (${(e as Error).message}); the daemon drains`;
  }
  if (a.search.length > b.search.length) return 'unqualified-search-registries lost an entry';
  for (let i = 0; i < a.search.length; i++) if (b.search[i] !== a.search[i]) return 'unqualified-search-registries changed order or content';
  const scope = (r: Reg) => (r.prefix !== '' ? r.prefix : r.location);
  const oldMap = new Map(a.registries.map((r) => [scope(r), r]));
  const newMap = new Map(b.registries.map((r) => [scope(r), r]));
  for (const k of oldMap.keys()) if (!newMap.has(k)) return `registry ${k} is removed from registries.conf`;
  for (const [k, nr] of newMap) {
    const or = oldMap.get(k);
    if (!or) {
      const digestOnly = nr.mirrors.length === 0 ? nr.mirrorByDigestOnly : nr.mirrors.every((m) => m.pullFromMirror === 'digest-only');
      if (!digestOnly) return `registry ${k} is added${nr.blocked ? ' (blocked)' : nr.insecure ? ' (insecure)' : ''} without only digest-only mirrors`;
      continue;
    }
    if (JSON.stringify(or) === JSON.stringify(nr)) continue;
    if (or.prefix !== nr.prefix) return `prefix of registry ${k} changes`;
    if (or.location !== nr.location) return `location of registry ${k} changes`;
    if (or.blocked !== nr.blocked) return `registry ${k} becomes ${nr.blocked ? 'blocked' : 'unblocked'}`;
    if (or.insecure !== nr.insecure) return `registry ${k} becomes ${nr.insecure ? 'insecure' : 'secure'}`;
    for (const m of or.mirrors) if (!nr.mirrors.some((x) => x.location === m.location)) return `mirror ${m.location} of ${k} is removed`;
    for (const m of nr.mirrors) {
      const old = or.mirrors.find((x) => x.location === m.location);
      if (old && m.pullFromMirror !== old.pullFromMirror && m.pullFromMirror !== 'digest-only') return `pull-from-mirror of ${m.location} changes to ${m.pullFromMirror || 'all'}`;
      if (!old && m.pullFromMirror !== 'digest-only' && !nr.mirrorByDigestOnly) return `mirror ${m.location} is added to ${k} without pull-from-mirror = "digest-only"`;
    }
  }
  return undefined;
}

/** The action for one changed file. `before`/`after` are undefined when the file is absent. */
export function fileDisruption(path: string, before: string | undefined, after: string | undefined): FileDisruption {
  if (DAEMON_DIRS.some((d) => path.startsWith(d + '/'))) {
    return {path, level: 'none', reason: `${path}: written by the machine-config daemon from the trusted-CA ConfigMap, outside any MachineConfig`};
  }
  if (path === REGISTRIES_CONF_PATH) {
    const why = registriesConfDrainReason(before ?? '', after ?? '');
    return why
      ? {path, level: 'drain', reason: `${path}: ${why} (not a drain-free change)`}
      : {path, level: 'crio-reload', reason: `${path}: only drain-free changes (digest-only mirrors added)`};
  }
  if (RELOAD_FILES.includes(path) || RELOAD_DIRS.some((d) => path.startsWith(d + '/'))) {
    return {path, level: 'crio-reload', reason: `${path}: CRI-O reload`};
  }
  return {path, level: 'drain-reboot', reason: `${path}: no node disruption policy covers this file, so the daemon drains and reboots`};
}
