/** Flags shared by commands, so every command spells them the same way. */
import {Flags} from '@oclif/core';

export const sourceFlags = {
  file: Flags.string({char: 'f', multiple: true, description: 'Manifest file or directory (repeatable; `-` for stdin). Without it the live cluster is used.'}),
  kubeconfig: Flags.string({description: 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config).', helpGroup: 'CLUSTER'}),
  context: Flags.string({description: 'Kubeconfig context to use.', helpGroup: 'CLUSTER'}),
};

export const releaseImageFlag = Flags.string({
  description: 'Release payload image, when the input has no ClusterVersion (decides which blocked scopes MCO drops).',
});
