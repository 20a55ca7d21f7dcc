/**
 * Shared behaviour of the editing commands (allow, block, insecure, search,
 * import, trust-ca): flags, the plan preview, confirmation, and the JSON result.
 * A concrete command only builds an Editor from its arguments.
 */
import {Flags} from '@oclif/core';
import {BaseCommand} from './base-command.js';
import {UserError} from '../lib/errors.js';
import {ExitCode} from '../lib/exit-codes.js';
import {durationFlag, releaseImageFlag, sourceFlags} from './flags.js';
import {note, out} from './output.js';
import type {Editor} from '../model/edit.js';
import type {Plan} from '../render/plan.js';
import type {SessionHooks, SessionOptions, SessionResult} from '../services/edit-session.js';

export const editFlags = {
  ...sourceFlags,
  'dry-run': Flags.boolean({description: 'Show the plan (object diff, node-file diffs, predicted disruption) and stop; nothing is written.'}),
  yes: Flags.boolean({char: 'y', description: 'Apply without asking (required when there is no terminal).'}),
  strict: Flags.boolean({description: 'Treat warnings as errors (exit 2, nothing written).'}),
  wait: Flags.boolean({exclusive: ['file'], description: 'After writing, follow the affected MachineConfigPools until they are updated (live mode; not with -f).'}),
  timeout: durationFlag({description: 'Give up waiting after this long (with --wait), e.g. 30m, 1h.', default: '30m'}),
  'release-image': releaseImageFlag,
};

export interface EditFlags {
  file?: string[];
  kubeconfig?: string;
  context?: string;
  'dry-run': boolean;
  yes: boolean;
  strict: boolean;
  wait: boolean;
  timeout: number;
  'release-image'?: string;
}

/** The `result` of every editing command in --json. */
export interface EditResult {
  mode: 'live' | 'file';
  dryRun: boolean;
  noop: boolean;
  applied: SessionResult['applied'];
  written: string[];
  attempts: number;
  target: SessionResult['target'];
  plan: {
    summary: string[];
    changes: Array<{kind: string; name: string; namespace?: string; action: string; diff: string}>;
    files: Array<{path: string; origin: string; diff: string; disruption: string; reason: string; rule?: string}>;
    pools: string[];
    disruption: Plan['disruption'];
    release: Plan['release'];
    errors: Plan['errors'];
    renderedBefore: Plan['renderedBefore'];
    renderedAfter: Plan['renderedAfter'];
  };
  wait?: SessionResult['wait'];
}

export abstract class EditCommand extends BaseCommand {
  protected async edit(editor: Editor, flags: EditFlags, extra: Partial<SessionOptions> = {}): Promise<EditResult> {
    const {runEdit} = await import('../services/edit-session.js');
    const interval = Number(process.env.OC_REGISTRIES_WAIT_INTERVAL_MS);
    const res = await runEdit(
      editor,
      {
        file: flags.file,
        kubeconfig: flags.kubeconfig,
        context: flags.context,
        releaseImage: flags['release-image'],
        strict: flags.strict,
        dryRun: flags['dry-run'],
        wait: flags.wait,
        timeoutMs: flags.wait ? flags.timeout : undefined,
        waitIntervalMs: Number.isFinite(interval) && interval > 0 ? interval : undefined,
        ...extra,
      },
      this.sessionHooks(flags),
    );
    if (!this.jsonEnabled()) this.showOutcome(res);
    return toEditResult(res);
  }

  /** The preview, confirmation and progress of every edit (also used by multi-stage commands). */
  protected sessionHooks(flags: EditFlags): SessionHooks {
    return {
      show: (plan) => this.showPlan(plan, flags),
      confirm: (plan) => this.confirm(plan, flags),
      progress: (line) => note(this.p.dim(line)),
    };
  }

  private showPlan(plan: Plan, flags: EditFlags): void {
    for (const w of plan.warnings) this.addWarning(w);
    if (plan.errors.length > 0 || this.jsonEnabled()) return;
    if (plan.noop) {
      out('No change: the configuration already says that.');
      return;
    }
    out(this.p.bold('Plan:'));
    for (const s of plan.summary) out(`  ${s}`);
    out('');
    for (const c of plan.changes) {
      out(this.p.bold(`${c.action} ${c.kind}/${c.name}${c.namespace ? ` in ${c.namespace}` : ''}${c.source ? this.p.dim(`  (${c.source})`) : ''}`));
      out(this.colorDiff(c.diff));
    }
    if (plan.files.length === 0) out(this.p.dim('No node file changes.'));
    for (const f of plan.files) {
      out(this.p.bold(`node file ${f.path}`) + this.p.dim(f.origin === 'daemon' ? '  (written by the machine-config daemon from the ConfigMap)' : '  (99-<pool>-generated-registries MachineConfig)'));
      out(this.colorDiff(f.diff));
    }
    out(this.p.bold(`Pools affected: ${plan.pools.length > 0 ? plan.pools.join(', ') : 'none'}`));
    out(this.p.bold('Predicted disruption') + this.p.dim(` (${plan.disruption[0]?.release ?? ''})`) + this.p.bold(':'));
    for (const d of plan.disruption) {
      out(`  ${d.pool}: ${d.level === 'none' ? d.text : this.p.warn(d.text)}`);
      for (const r of d.reasons) out(this.p.dim(`    ${r}`));
    }
    if (plan.files.length > 0) out(this.p.bold('Decided by:'));
    for (const f of plan.files) if (f.disruption.rule) out(this.p.dim(`  ${f.path}: ${f.disruption.rule}`));
    for (const line of this.describePlan(plan)) out(line);
    if (flags['dry-run']) out(this.p.dim('Dry run: nothing was written.'));
  }

  /** Lines a command adds below the plan, before the confirmation (e.g. mirror migrate's proof). */
  protected describePlan(_plan: Plan): string[] {
    return [];
  }

  private colorDiff(diff: string): string {
    return diff
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => (l.startsWith('+++') || l.startsWith('---') ? this.p.bold(l) : l.startsWith('+') ? this.p.add(l) : l.startsWith('-') ? this.p.del(l) : l.startsWith('@@') ? this.p.dim(l) : l))
      .join('\n');
  }

  private async confirm(plan: Plan, flags: EditFlags): Promise<boolean> {
    if (flags.yes) return true;
    if (!process.stdin.isTTY || !process.stderr.isTTY) {
      throw new UserError('no terminal to confirm on: pass --yes to apply (or --dry-run to only look); nothing was changed', ExitCode.usage);
    }
    const {confirm} = await import('@inquirer/prompts');
    const where = flags.file && flags.file.length > 0 ? `to ${flags.file.join(', ')}` : 'to the cluster';
    const level = plan.disruption.find((d) => d.level !== 'none');
    const ok = await confirm({message: `Apply ${plan.changes.length} change(s) ${where}${level ? ` (nodes: ${level.text})` : ''}?`, default: false}, {output: process.stderr});
    if (!ok) note('Aborted: nothing was changed.');
    return ok;
  }

  protected showOutcome(res: SessionResult): void {
    if (res.applied.length === 0) return;
    for (const a of res.applied) note(this.p.ok(`${a.action}d ${a.kind}/${a.name}${a.namespace ? ` in ${a.namespace}` : ''}`) + (a.resourceVersion ? this.p.dim(` (resourceVersion ${a.resourceVersion})`) : ''));
    if (res.written.length > 0) note(this.p.dim(`wrote ${res.written.join(', ')}`));
    if (res.attempts > 1) note(this.p.dim(`applied on attempt ${res.attempts} after concurrent changes`));
  }
}

export function toEditResult(res: SessionResult): EditResult {
  const p = res.plan;
  return {
    mode: res.mode,
    dryRun: res.dryRun,
    noop: p.noop,
    applied: res.applied,
    written: res.written,
    attempts: res.attempts,
    target: res.target,
    plan: {
      summary: p.summary,
      changes: p.changes.map((c) => ({kind: c.kind, name: c.name, namespace: c.namespace, action: c.action, diff: c.diff})),
      files: p.files.map((f) => ({path: f.path, origin: f.origin, diff: f.diff, disruption: f.disruption.level, reason: f.disruption.reason, rule: f.disruption.rule})),
      pools: p.pools,
      disruption: p.disruption,
      release: p.release,
      errors: p.errors,
      renderedBefore: p.renderedBefore,
      renderedAfter: p.renderedAfter,
    },
    ...(res.wait ? {wait: res.wait} : {}),
  };
}
