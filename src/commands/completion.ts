import {Args, Command} from '@oclif/core';
import {completionScript, SHELLS, type Shell} from '../cli/completion-scripts.js';

export default class Completion extends Command {
  static override summary = 'Print a shell completion script (bash, zsh or fish).';
  static override description = `Completes commands, flags, flag values (pool and node names from the live cluster, with a short timeout; mirror-set names from the cluster or from the -f manifests; kubeconfig contexts). The script calls the hidden \`__complete\` command, so it stays right when the CLI is upgraded. For \`oc registries <TAB>\` and \`kubectl registries <TAB>\`, put bin/oc_complete-registries and bin/kubectl_complete-registries on PATH next to oc-registries (oc and kubectl 1.26+ call them).`;

  static override examples = [
    {description: 'bash, this shell only', command: 'source <(<%= config.bin %> completion bash)'},
    {description: 'bash, every new shell', command: '<%= config.bin %> completion bash > ~/.local/share/bash-completion/completions/<%= config.bin %>'},
    {description: 'zsh (after compinit)', command: '<%= config.bin %> completion zsh > "${fpath[1]}/_<%= config.bin %>"'},
    {description: 'fish', command: '<%= config.bin %> completion fish > ~/.config/fish/completions/<%= config.bin %>.fish'},
  ];

  static override args = {
    SHELL: Args.string({required: true, options: [...SHELLS], description: 'The shell to print the script for.'}),
  };

  async run(): Promise<void> {
    const {args} = await this.parse(Completion);
    process.stdout.write(completionScript(args.SHELL as Shell, this.config.bin));
  }
}
