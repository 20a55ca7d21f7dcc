/**
 * Undoing the first writes of a multi-object live change when a later write
 * fails (trust-ca add: ConfigMap then Image; mirror migrate --delete-icsp: IDMS
 * then ICSP deletions). Each undo is guarded by the resourceVersion our own
 * write produced, so a change someone else made since is never overwritten;
 * what cannot be undone is reported exactly (applied / notApplied / rolledBack).
 */
import {UserError} from '../lib/errors.js';
import {ExitCode} from '../lib/exit-codes.js';
import type {ObjectChange} from '../render/plan.js';
import type {Applied} from './write-live.js';

export interface WriteStep {
  kind: string;
  name: string;
  namespace?: string;
  action: 'create' | 'update' | 'delete';
}

export interface WriteOutcome {
  /** Writes that happened and are still in effect. */
  applied: WriteStep[];
  /** Planned writes that were never made. */
  notApplied: WriteStep[];
  /** Writes that happened and were undone. */
  rolledBack: WriteStep[];
}

/** A live change left partly applied: exit 5, with exactly what is and is not in the cluster. */
export class PartialWriteError extends UserError {
  override name = 'PartialWriteError';
  constructor(
    message: string,
    readonly outcome: WriteOutcome,
  ) {
    super(message, ExitCode.partial, 'check the objects listed as applied (`oc get ...`) and finish or revert them, then run the command again');
  }
}

type Write = (ch: ObjectChange, body: Record<string, unknown> | undefined, opts: {precondition?: string}) => Promise<unknown>;
type BodyOf = (o: Record<string, unknown> | undefined, keepVersion?: boolean) => Record<string, unknown> | undefined;

const step = (c: {kind: string; name: string; namespace?: string; action: WriteStep['action']}): WriteStep => ({kind: c.kind, name: c.name, ...(c.namespace ? {namespace: c.namespace} : {}), action: c.action});
export const stepLabel = (s: WriteStep) => `${s.action} ${s.kind}/${s.name}${s.namespace ? ` in ${s.namespace}` : ''}`;

/** The write that undoes one applied change, or undefined when there is no prior state to go back to. */
function undo(ch: ObjectChange, a: Applied, bodyOf: BodyOf): {change: ObjectChange; body?: Record<string, unknown>; precondition?: string} | undefined {
  if (ch.action === 'create') return {change: {...ch, action: 'delete'}, precondition: a.resourceVersion};
  if (!ch.before) return undefined;
  if (ch.action === 'update') {
    const body = bodyOf(ch.before)!;
    // Only over our own write: a 409 here means someone changed it since, and theirs stays.
    (body.metadata as Record<string, unknown>).resourceVersion = a.resourceVersion;
    return {change: {...ch, action: 'update'}, body};
  }
  return {change: {...ch, action: 'create'}, body: bodyOf(ch.before, false)};
}

/**
 * Undo `applied` (the writes of `done`, in order) in reverse. Returns the error to throw: the original
 * failure with the rollback named when everything was undone, else a PartialWriteError.
 */
export async function rollBack(done: ObjectChange[], applied: Applied[], rest: ObjectChange[], failure: Error, write: Write, bodyOf: BodyOf): Promise<Error> {
  const rolledBack: WriteStep[] = [];
  const stuck: Array<{step: WriteStep; why: string}> = [];
  for (let i = applied.length - 1; i >= 0; i--) {
    const a = applied[i]!;
    const u = undo(done[i]!, a, bodyOf);
    if (!u) {
      stuck.push({step: step(a), why: 'its prior state is unknown'});
      continue;
    }
    try {
      await write(u.change, u.body, {precondition: u.precondition});
      rolledBack.push(step(a));
    } catch (e) {
      const x = e as {code?: unknown; message?: string};
      stuck.push({step: step(a), why: typeof x.code === 'number' ? `the API server answered ${x.code}` : (x.message ?? String(e))});
    }
  }
  const outcome: WriteOutcome = {applied: stuck.map((s) => s.step).reverse(), notApplied: rest.map(step), rolledBack: rolledBack.reverse()};
  if (stuck.length === 0) {
    const note = `; rolled back ${outcome.rolledBack.map(stepLabel).join(', ')}, so the cluster is as before`;
    failure.message += note;
    if ('rolledBack' in failure && Array.isArray(failure.rolledBack)) failure.rolledBack.push(...outcome.rolledBack.map(stepLabel));
    (failure as Error & {outcome?: WriteOutcome}).outcome = outcome;
    return failure;
  }
  const lines = [
    `${failure.message.split('\n')[0]}`,
    `the change is only partly applied: applied (still in the cluster): ${outcome.applied.map(stepLabel).join(', ')}`,
    `not applied: ${outcome.notApplied.map(stepLabel).join(', ')}`,
    ...(outcome.rolledBack.length > 0 ? [`rolled back: ${outcome.rolledBack.map(stepLabel).join(', ')}`] : []),
    ...stuck.map((s) => `could not roll back ${stepLabel(s.step)}: ${s.why}`),
  ];
  return new PartialWriteError(lines.join('\n'), outcome);
}
