/**
 * status: the registry configuration in effect, its warnings, and per pool how
 * far the rollout is and whether the pool's rendered config has the rendered files.
 */
import {certificatesIn, type CertInfo} from '../model/certs.js';
import {ValidationError} from '../lib/errors.js';
import {type Warning} from '../model/warnings.js';
import {poolRollout, type MirrorRule, type PoolRollout, type RegistryLocation, type RegistrySources} from '../model/types.js';
import {CA_NAMESPACE, caHost, caPath} from '../model/node-files.js';
import {builtInPools, evaluate} from '../render/evaluate.js';
import {compareGenerated, compareRenderedMc} from '../render/verify.js';
import type {Kube} from '../cluster/kube.js';
import {listPools, readPools} from '../cluster/machine-state.js';
import {loadState, type SourceOptions} from '../cluster/source.js';

export interface StatusCa {
  key: string;
  path: string;
  certificates: CertInfo[];
  errors?: string[];
}

export interface StatusPool extends PoolRollout {
  /** Does the pool's current rendered config hold the currently rendered files? */
  renderedConfigHasFiles: 'yes' | 'no' | 'rolling-out' | 'missing' | 'unknown';
  /** The files that differ or are absent in that config. */
  differingFiles: string[];
  generatedMachineConfig: string;
  generatedMachineConfigState: string;
}

export interface StatusResult {
  source: 'live' | 'file';
  registrySources: RegistrySources;
  allowedRegistriesForImport: RegistryLocation[];
  additionalTrustedCA: {name?: string; configMapFound: boolean; keys: StatusCa[]};
  mirrorSets: Array<{kind: string; name: string; rules: MirrorRule[]}>;
  warnings: Warning[];
  /** Why render failed, when it did (the pools cannot be compared then). */
  renderError?: string;
  pools: StatusPool[];
}

export async function runStatus(opts: SourceOptions & {releaseImage?: string; now?: Date; warn: (w: Warning) => void}): Promise<StatusResult> {
  const now = opts.now ?? new Date();
  const loaded = await loadState(opts);
  const live = loaded.mode === 'live';
  const state = loaded.state;
  const spec = state.image?.spec ?? {};
  const caName = spec.additionalTrustedCA?.name;
  const cm = caName ? state.configMaps.find((c) => c.name === caName && c.namespace === CA_NAMESPACE) : undefined;
  const result: StatusResult = {
    source: loaded.mode,
    registrySources: spec.registrySources ?? {},
    allowedRegistriesForImport: spec.allowedRegistriesForImport ?? [],
    additionalTrustedCA: {
      ...(caName ? {name: caName} : {}),
      configMapFound: Boolean(cm),
      keys: Object.keys(cm?.data ?? {})
        .sort()
        .map((key) => {
          const {certs, errors} = certificatesIn(cm!.data[key]!, now);
          return {key, path: caPath(key), certificates: certs, ...(errors.length > 0 ? {errors} : {})};
        }),
    },
    mirrorSets: state.mirrorSets.map((s) => ({kind: s.kind, name: s.name, rules: s.rules})),
    warnings: [],
    pools: [],
  };
  const seen = new Set<string>();
  const warn = (w: Warning) => {
    const k = `${w.code}\0${w.message}`;
    if (seen.has(k)) return;
    seen.add(k);
    result.warnings.push(w);
    opts.warn(w);
  };
  if (caName && !cm) warn({code: 'ca-configmap-missing', field: 'spec.additionalTrustedCA.name', message: `ConfigMap ${caName} does not exist in ${CA_NAMESPACE}: no additional CA reaches the nodes`});
  for (const k of result.additionalTrustedCA.keys) {
    for (const c of k.certificates) {
      if (c.expired) warn({code: 'cert-expired', field: `ConfigMap/${caName} data.${k.key}`, message: `CA for ${caHost(k.key)} (${c.subject}) expired on ${c.notAfter.slice(0, 10)}`});
      else if (c.daysToExpiry < 30) warn({code: 'cert-expiring', field: `ConfigMap/${caName} data.${k.key}`, message: `CA for ${caHost(k.key)} (${c.subject}) expires in ${c.daysToExpiry} day(s), on ${c.notAfter.slice(0, 10)}`});
    }
    for (const e of k.errors ?? []) warn({code: 'ca-unparsable', field: `ConfigMap/${caName} data.${k.key}`, message: e});
  }
  // The configuration's warnings apply even when MCO would refuse the sync (then the pools cannot be compared).
  const ev = evaluate(loaded, {releaseImage: opts.releaseImage, allowInvalid: live});
  for (const w of ev.warnings) warn(w);
  if (ev.errors.length > 0) result.renderError = new ValidationError(ev.errors).message;
  const render = ev.errors.length > 0 ? undefined : ev;
  if (!live) return result;
  const kube = (loaded as {kube?: Kube}).kube!;
  const pools = await readPools(kube, await listPools(kube), builtInPools(state));
  result.pools = pools.map((p) => {
    const rendered = render ? compareRenderedMc(p, render.files) : undefined;
    const generated = render ? compareGenerated(p, render.files, Boolean(state.image)) : undefined;
    return {
      ...poolRollout(p),
      renderedConfigHasFiles: !rendered ? 'unknown' : rendered.state === 'match' ? 'yes' : rendered.state === 'rolling-out' ? 'rolling-out' : rendered.state === 'missing' ? 'missing' : 'no',
      differingFiles: (rendered?.files ?? []).filter((f) => f.state !== 'match').map((f) => `${f.path} (${f.state})`),
      generatedMachineConfig: p.generatedMcName,
      generatedMachineConfigState: generated?.state ?? 'unknown',
    };
  });
  return result;
}
