import {Args, Command, loadHelpClass} from '@oclif/core';

export default class HelpCommand extends Command {
  static override summary = 'Show help for a command or topic (the same as COMMAND --help).';
  static override usage = '<%= command.id %> [COMMAND...]';
  static override args = {
    command: Args.string({multiple: true, required: false, description: 'Command or topic, words separated by spaces, e.g. allow add'}),
  };

  static override examples = [
    {description: 'Help for one command', command: '<%= config.bin %> help mirror add'},
    {description: 'Every command', command: '<%= config.bin %> help'},
  ];

  async run(): Promise<void> {
    const {argv} = await this.parse(HelpCommand);
    const Help = await loadHelpClass(this.config);
    await new Help(this.config, this.config.pjson.oclif.helpOptions).showHelp(argv as string[]);
  }
}
