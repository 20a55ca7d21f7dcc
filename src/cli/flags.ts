/** Flags shared by commands, so every command spells them the same way. */
import {Flags} from '@oclif/core';
import {parseDuration} from '../lib/duration.js';

export const sourceFlags = {
  file: Flags.string({char: 'f', multiple: true, description: 'Manifest file or directory (repeatable; `-` for stdin). Without it the live cluster is used.'}),
  kubeconfig: Flags.string({description: 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config).', helpGroup: 'CLUSTER'}),
  context: Flags.string({description: 'Kubeconfig context to use.', helpGroup: 'CLUSTER'}),
};

export const releaseImageFlag = Flags.string({
  description: 'Release payload image, when the input has no ClusterVersion (decides which blocked scopes MCO drops).',
});

/**
 * Every `--timeout`-like flag: `60s`, `2m`, `1h30m`, `500ms` or a bare number of seconds (`1.5`), parsed once
 * by the same grammar, to milliseconds.
 */
export function durationFlag(opts: {description: string; default: string}) {
  return Flags.custom<number>({
    description: opts.description,
    helpValue: 'DURATION',
    default: async () => parseDuration('timeout', opts.default),
    defaultHelp: async () => opts.default,
    parse: async (input, _ctx, flag) => parseDuration(flag.name, input),
  })();
}
