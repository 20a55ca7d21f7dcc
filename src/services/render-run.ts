/** render, one cluster (or -f manifests): read, validate and render as MCO does, optionally write the node tree. */
import {loadState, type SourceOptions} from '../cluster/source.js';
import {writeTree} from '../cluster/manifest-files.js';
import type {Warning} from '../model/warnings.js';
import {renderService, type RenderResult} from './render.js';

export interface RenderRunOptions extends SourceOptions {
  releaseImage?: string;
  /** Render input the API server would reject (always so for a live cluster). */
  allowInvalid?: boolean;
  pools?: string[];
  /** Write the full node view under this directory. */
  out?: string;
  warn: (w: Warning) => void;
}

export async function runRender(opts: RenderRunOptions): Promise<RenderResult> {
  const loaded = await loadState(opts);
  const result = renderService(loaded, {releaseImage: opts.releaseImage, allowInvalid: opts.allowInvalid || loaded.mode === 'live', pools: opts.pools, warn: opts.warn});
  if (opts.out) result.written = await writeTree(opts.out, result.files);
  return result;
}
