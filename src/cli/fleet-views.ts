/** What each read-only command shows per cluster in a multi-cluster run: its own text and its matrix cells. */
import type {Painter} from './output.js';
import {formatVerifyReport} from './verify-output.js';
import {sha256} from '../lib/semantic.js';
import {explainText} from './explain-text.js';
import type {StatusResult} from '../services/status.js';
import type {RenderResult} from '../services/render.js';
import type {PoolReport, VerifyReport} from '../render/verify.js';
import type {ExplainServiceResult} from '../services/explain.js';
import type {FleetView} from './fleet.js';
import {formatStatus} from './status-text.js';
import {formatRender, NO_MACHINECONFIG_NOTE} from './render-text.js';

/** One pool of a verify report in one word: drift > degraded > partial (unreadable nodes) > pending (rolling out) > match. */
export function verifyPoolWord(pool: PoolReport): string {
  if (pool.drift || pool.nodes.some((n) => n.drift || n.state === 'differs')) return 'drift';
  if (pool.degraded || pool.nodes.some((n) => n.state === 'pool-degraded')) return 'degraded';
  if (pool.nodes.some((n) => n.state === 'unreadable')) return 'partial';
  if (pool.updating || pool.nodes.some((n) => n.state === 'rolling-out') || pool.generated.state === 'rolling-out' || pool.rendered.state === 'rolling-out') return 'pending';
  return 'match';
}

export const verifyView = (p: Painter): FleetView<VerifyReport> => ({
  section: (r) => formatVerifyReport(r, p),
  cells: (r) => Object.fromEntries(r.pools.map((pool) => [pool.name || '(no pool)', verifyPoolWord(pool)])),
});

export function statusPoolWord(pool: StatusResult['pools'][number]): string {
  if (pool.degraded) return 'degraded';
  if (pool.renderedConfigHasFiles === 'no' || pool.renderedConfigHasFiles === 'missing') return 'drift';
  if (pool.renderedConfigHasFiles === 'unknown') return 'unknown';
  if (pool.updating || pool.renderedConfigHasFiles === 'rolling-out') return 'pending';
  if (pool.generatedMachineConfigState !== 'match') return pool.generatedMachineConfigState === 'rolling-out' ? 'pending' : 'drift';
  return 'match';
}

export const statusView = (p: Painter): FleetView<StatusResult> => ({
  section: (r) => formatStatus(r, p),
  cells: (r) => Object.fromEntries(r.pools.map((pool) => [pool.name, statusPoolWord(pool)])),
});

/** A short digest of the rendered node files: equal digests, equal files on the nodes. */
export function filesDigest(r: RenderResult): string {
  return sha256(r.files.map((f) => `${f.path}\0${f.content}\0`).join('')).slice(0, 12);
}

export const renderView = (p: Painter, format: string): FleetView<RenderResult> => ({
  section: (r) => (r.machineConfig || format === 'machineconfig' ? '' : p.dim(`# ${NO_MACHINECONFIG_NOTE}`) + '\n\n') + formatRender(r, format, p),
  cells: (r) => ({'node files': filesDigest(r), changed: String(r.files.filter((f) => f.changed).length)}),
});

export const explainView = (p: Painter): FleetView<ExplainServiceResult> => ({
  section: (r) => explainText(r, p).join('\n'),
  cells: (r) => {
    const c = r.candidates.find((x) => x.outcome === 'pull') ?? r.candidates[0];
    return {result: c?.outcome ?? '-', 'pulls from': c?.pullFrom ?? '-'};
  },
});

