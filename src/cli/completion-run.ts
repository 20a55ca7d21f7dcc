/**
 * The hidden `__complete` command's work: the command table from oclif's configuration (its
 * manifest, so no command is imported), the live sources under a deadline, Cobra's wire format.
 */
import type {Config} from '@oclif/core';
import {completionSources} from '../cluster/completion-data.js';
import {complete, formatCompletion, type CommandSpec, type CompletionSources} from '../services/completion.js';

/** How long completion waits for the cluster (or big manifests) before offering nothing. */
export const COMPLETION_TIMEOUT_MS = 2000;

export function commandSpecs(config: Config): CommandSpec[] {
  return config.commands.map((c) => ({
    id: c.id,
    summary: c.summary ?? c.description?.split('\n')[0],
    hidden: c.hidden,
    args: Object.values(c.args ?? {}).map((a) => ({name: a.name, ...(a.options ? {options: [...a.options]} : {})})),
    flags: Object.values(c.flags ?? {}).map((f) => ({
      name: f.name,
      ...(f.char ? {char: f.char} : {}),
      type: f.type,
      ...(f.type === 'option' && f.options ? {options: [...f.options]} : {}),
      ...(f.type === 'option' && f.multiple ? {multiple: true} : {}),
      description: f.summary ?? f.description?.split('\n')[0],
      hidden: f.hidden,
    })),
  }));
}

export function topicDescriptions(config: Config): Record<string, string> {
  return Object.fromEntries(config.topics.filter((t) => t.description).map((t) => [t.name, t.description!.split('\n')[0]]));
}

/** Resolves with the lookup's value, or undefined once `ms` have passed (the timer never holds the process). */
export function deadlineOf(ms: number) {
  return <T>(lookup: Promise<T>): Promise<T | undefined> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), ms);
      timer.unref();
      lookup.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        () => {
          clearTimeout(timer);
          resolve(undefined);
        },
      );
    });
}

export async function completionText(config: Config, words: string[], sources: CompletionSources = completionSources, timeoutMs = COMPLETION_TIMEOUT_MS): Promise<string> {
  const result = await complete({commands: commandSpecs(config), topics: topicDescriptions(config), sources, deadline: deadlineOf(timeoutMs)}, words);
  return formatCompletion(result);
}
