import {BaseCommand} from '../cli/base-command.js';
import {caHost} from '../model/node-files.js';
import {out} from '../cli/output.js';
import {releaseImageFlag, sourceFlags} from '../cli/flags.js';
import type {StatusResult} from '../services/status.js';

export default class Status extends BaseCommand {
  static override summary = 'One screen: registry configuration, mirror sets, CAs, warnings and per-pool rollout.';
  static override description = `Shows spec.registrySources, the import allowlist, the additional trusted CAs with their expiry,
the mirror sets, every warning the editing commands would give for the current configuration, and per
MachineConfigPool: machines updated/total, degraded (with the message), and whether the pool's current
rendered config already holds the files render produces now. With -f only the configuration part is shown.`;

  static override examples = [
    {description: 'The live cluster', command: '<%= config.bin %> status'},
    {description: 'A GitOps repository (no pools)', command: '<%= config.bin %> status -f gitops/cluster-config/'},
    {description: 'For scripts', command: '<%= config.bin %> status --json'},
  ];

  static override flags = {...sourceFlags, 'release-image': releaseImageFlag};

  async run(): Promise<StatusResult> {
    const {flags} = await this.parse(Status);
    const {runStatus} = await import('../services/status.js');
    const r = await runStatus({...flags, releaseImage: flags['release-image'], warn: (w) => this.addWarning(w)});
    if (!this.jsonEnabled()) out(this.format(r));
    return r;
  }

  private format(r: StatusResult): string {
    const p = this.p;
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
        const days = c.expired ? p.err(`expired ${c.notAfter.slice(0, 10)}`) : c.daysLeft < 30 ? p.warn(`${c.daysLeft} days left (${c.notAfter.slice(0, 10)})`) : `${c.daysLeft} days left (${c.notAfter.slice(0, 10)})`;
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
}
