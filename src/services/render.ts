/**
 * The render service: one evaluation of the configuration, its errors raised,
 * its warnings reported, and the MachineConfigs MCO would write per pool.
 */
import {ValidationError} from '../lib/errors.js';
import type {LoadResult} from '../model/manifests.js';
import type {NodeFile} from '../model/node-files.js';
import type {Warning} from '../model/warnings.js';
import {evaluate, type Evaluation, type EvaluateOptions} from '../render/evaluate.js';
import {machineConfig, machineConfigYaml, managedKey} from '../render/machineconfig.js';

export interface RenderOptions extends EvaluateOptions {
  pools?: string[];
  warn: (w: Warning) => void;
}

export interface RenderResult {
  /** False when MCO would create no MachineConfig (no Image `cluster`). */
  machineConfig: boolean;
  files: NodeFile[];
  machineConfigs: Array<{name: string; pool: string; ignition: string}>;
  written?: string[];
}

/** Evaluate and refuse what the API server or MCO would refuse; warnings go to `warn`. */
export function evaluateOrThrow(loaded: LoadResult, opts: RenderOptions): Evaluation {
  const ev = evaluate(loaded, opts);
  for (const w of ev.warnings) opts.warn(w);
  if (ev.errors.length > 0) throw new ValidationError(ev.errors);
  return ev;
}

export function renderService(loaded: LoadResult, opts: RenderOptions): RenderResult {
  return renderResult(evaluateOrThrow(loaded, opts), opts);
}

/** The MachineConfigs of an evaluation, for the built-in pools or the ones asked for. */
export function renderResult(ev: Evaluation, opts: Pick<RenderOptions, 'pools' | 'warn'>): RenderResult {
  let pools = ev.pools;
  if (opts.pools && opts.pools.length > 0) {
    for (const c of opts.pools.filter((p) => !pools.includes(p))) {
      opts.warn({code: 'custom-pool', message: `pool ${c} is not a built-in pool: MCO generates no registries MachineConfig for it; it inherits 99-worker-generated-registries through its role selector`});
    }
    pools = [...new Set(opts.pools.map((p) => (pools.includes(p) ? p : 'worker')))];
  }
  const result: RenderResult = {machineConfig: ev.machineConfig, files: ev.files, machineConfigs: []};
  if (ev.machineConfig) {
    // The files are identical for every pool (MCO renders them once per pool from the same input).
    // Serialized only when it is read (--json): at 20,000 mirror rules it is a fifth of a render.
    let ignition: string | undefined;
    const ignitionOf = () => (ignition ??= machineConfig(pools[0]!, generatedFiles(ev.files)).ignition);
    result.machineConfigs = pools.map((pool) => ({
      name: managedKey(pool),
      pool,
      get ignition() {
        return ignitionOf();
      },
    }));
  }
  return result;
}

function generatedFiles(files: NodeFile[]): NodeFile[] {
  return files.filter((f) => f.origin === 'machineconfig');
}

/** The MachineConfig YAML of each pool in a result (its generated files are the `machineconfig` ones, in order). */
export function renderedMachineConfigYaml(result: RenderResult): string {
  const generated = generatedFiles(result.files);
  return result.machineConfigs.map((m) => machineConfigYaml(m.pool, generated)).join('---\n');
}

/**
 * `render --out DIR`: the node view (DIR/etc/...) or, with `--format
 * machineconfig`, one 99-<pool>-generated-registries.yaml per pool; DIR ends
 * holding exactly this render.
 */
export async function writeRenderOut(dir: string, result: RenderResult, format: string): Promise<string[]> {
  const {writeRenderDir} = await import('../cluster/render-out.js');
  if (format !== 'machineconfig') return writeRenderDir(dir, result.files, 'node files');
  const generated = generatedFiles(result.files);
  return writeRenderDir(dir, result.machineConfigs.map((m) => ({path: `${m.name}.yaml`, content: machineConfigYaml(m.pool, generated)})), 'MachineConfigs');
}
