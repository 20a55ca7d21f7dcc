/**
 * The explain service: validation and rendering as `render` does them, then the
 * explanation computed from the rendered node files. Pure: state in, result out.
 */
import {ValidationError} from '../lib/errors.js';
import type {Warning} from '../lib/warnings.js';
import {explainImage, type ExplainResult} from '../model/explain.js';
import type {LoadResult} from '../model/manifests.js';
import {renderNodeView} from './node-view.js';
import {prepareState} from './service.js';

export interface ExplainServiceOptions {
  releaseImage?: string;
  allowInvalid?: boolean;
  warn: (w: Warning) => void;
}

export function explainService(loaded: LoadResult, ref: string, opts: ExplainServiceOptions): ExplainResult {
  const state = prepareState(loaded, {releaseImage: opts.releaseImage, allowInvalid: opts.allowInvalid, warn: opts.warn});
  const view = renderNodeView(state);
  if (view.outcome.error) {
    const e = view.outcome.error;
    throw new ValidationError([{field: e.field ?? 'spec', value: e.value, source: e.source, message: `MCO refuses the whole sync and nodes keep their current files: ${e.message}`, mco: e.message}]);
  }
  if (view.problems.length > 0) throw new ValidationError(view.problems);
  const spec = state.image?.spec;
  return explainImage(view.files, ref, {
    allowedRegistriesForImport: spec?.allowedRegistriesForImport,
    internalRegistry: state.image?.status?.internalRegistryHostname,
  });
}
