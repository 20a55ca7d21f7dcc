/** explain, one cluster (or -f manifests): read, then the explain service; its own errors become usage errors. */
import {loadState, type SourceOptions} from '../cluster/source.js';
import {UserError} from '../lib/errors.js';
import type {Warning} from '../model/warnings.js';
import {ExplainError} from '../model/explain.js';
import {NodeConfigError} from '../model/node-config.js';
import {explainService, type ExplainServiceResult} from './explain.js';

export interface ExplainRunOptions extends SourceOptions {
  ref: string;
  releaseImage?: string;
  namespace?: string;
  warn: (w: Warning) => void;
}

export async function runExplain(opts: ExplainRunOptions): Promise<ExplainServiceResult> {
  const loaded = await loadState(opts);
  try {
    return explainService(loaded, opts.ref, {releaseImage: opts.releaseImage, allowInvalid: loaded.mode === 'live', namespace: opts.namespace, warn: opts.warn});
  } catch (e) {
    if (e instanceof ExplainError || e instanceof NodeConfigError) throw new UserError(e.message);
    throw e;
  }
}
