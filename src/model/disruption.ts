/**
 * Levels, texts and the registries.conf safe-change rule of the node disruption
 * prediction. Which action each file gets (the cluster's node disruption
 * policies, or the fixed rules before 4.17) is decided in node-disruption.ts.
 * Pure.
 */
import {parseToml} from '../lib/toml.js';

export type DisruptionLevel = 'none' | 'crio-reload' | 'services' | 'drain' | 'drain-reboot';

export const DISRUPTION_ORDER: DisruptionLevel[] = ['none', 'crio-reload', 'services', 'drain', 'drain-reboot'];

export const DISRUPTION_TEXT: Record<DisruptionLevel, string> = {
  none: 'none',
  'crio-reload': 'CRI-O reload (no drain, no reboot)',
  services: 'service reload or restart (no drain, no reboot)',
  drain: 'drain, then CRI-O reload (no reboot)',
  'drain-reboot': 'drain and reboot',
};

export interface FileDisruption {
  path: string;
  level: DisruptionLevel;
  reason: string;
  /** Which rule decided it (node-disruption.ts). */
  rule?: string;
}

export interface PoolDisruption {
  pool: string;
  level: DisruptionLevel;
  text: string;
  reasons: string[];
  /** The release basis of the prediction. */
  release: string;
}

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
