/** Human output of `status`: one screen, configuration first, then the pools. */
import {caHost} from '../model/node-files.js';
import type {StatusResult} from '../services/status.js';
import type {Painter} from './output.js';

export function formatStatus(r: StatusResult, p: Painter): string {
  const L: string[] = [];
  const list = (v: string[] | undefined) => (v === undefined ? p.dim('(not set)') : v.length === 0 ? p.dim('(empty)') : v.join(', '));
  const rs = r.registrySources;
  L.push(p.bold('registrySources'));
  L.push(`  allowed:   ${list(rs.allowedRegistries)}`);
  L.push(`  blocked:   ${list(rs.blockedRegistries)}`);
  L.push(`  insecure:  ${list(rs.insecureRegistries)}`);
  L.push(`  search:    ${list(rs.containerRuntimeSearchRegistries)}`);
  const imports = r.allowedRegistriesForImport.map((x) => `${x.domainName}${x.insecure ? ' (insecure)' : ''}`);
  L.push(`${p.bold('import allowlist')}  ${imports.length > 0 ? imports.join(', ') : p.dim('(not set: image streams may import from any registry)')}`);
  const ca = r.additionalTrustedCA;
  L.push(`${p.bold('additional trusted CA')}  ${ca.name ? `ConfigMap ${ca.name}${ca.configMapFound ? '' : p.err(' (missing)')}` : p.dim('(not set)')}`);
  for (const k of ca.keys) {
    for (const c of k.certificates) {
      const days = c.expired ? p.err(`expired ${c.notAfter.slice(0, 10)}`) : c.daysToExpiry < 30 ? p.warn(`${c.daysToExpiry} days left (${c.notAfter.slice(0, 10)})`) : `${c.daysToExpiry} days left (${c.notAfter.slice(0, 10)})`;
      L.push(`  ${caHost(k.key)}  ${c.subject}  ${days}`);
    }
    for (const e of k.errors ?? []) L.push(`  ${caHost(k.key)}  ${p.err(e)}`);
  }
  L.push(p.bold(`mirror sets (${r.mirrorSets.length})`));
  for (const s of r.mirrorSets) {
    for (const rule of s.rules) L.push(`  ${s.kind}/${s.name}  ${rule.source} -> ${rule.mirrors.join(', ') || p.dim('(no mirrors)')}${rule.mirrorSourcePolicy ? p.dim(`  ${rule.mirrorSourcePolicy}`) : ''}`);
  }
  L.push(p.bold(`warnings (${r.warnings.length})`));
  for (const w of r.warnings) L.push(`  ${p.warn(w.code)}  ${w.message}`);
  if (r.renderError) L.push(`  ${p.err('render')}  ${r.renderError.split('\n').join('; ')}`);
  if (r.source === 'file') {
    L.push(p.dim('pools: not shown for -f (manifests have no rollout state)'));
    return L.join('\n');
  }
  L.push(p.bold('pools'));
  for (const pool of r.pools) {
    const state = pool.degraded ? p.err(`DEGRADED: ${pool.degradedMessage ?? ''}`) : pool.updating ? p.warn('updating') : p.ok('updated');
    const has = {yes: p.ok('has the rendered files'), no: p.err(`lacks the rendered files: ${pool.differingFiles.join(', ')}`), 'rolling-out': p.warn('moving to a config with the rendered files'), missing: p.err('rendered config not found'), unknown: p.warn('unknown (render failed, see above)')}[pool.renderedConfigHasFiles];
    L.push(`  ${pool.name}  ${pool.updatedMachineCount ?? '?'}/${pool.machineCount ?? '?'} updated, ${pool.degradedMachineCount ?? 0} degraded  ${state}`);
    L.push(`    ${pool.renderedConfig ?? '(no rendered config)'}: ${has}`);
    if (pool.generatedMachineConfigState !== 'match') L.push(`    ${pool.generatedMachineConfig}: ${p.err(pool.generatedMachineConfigState)}`);
  }
  return L.join('\n');
}
