import {Command} from '@oclif/core';
import {completionText} from '../cli/completion-run.js';

/**
 * `__complete [--] WORDS... CURRENT`: what may follow, in Cobra's protocol (candidates, then
 * `:<directive>`). Called by the `completion` scripts and by kubectl_complete-registries /
 * oc_complete-registries. Never fails: an unreadable source just offers nothing.
 */
export default class Complete extends Command {
  static override hidden = true;
  static override strict = false;
  static override summary = 'Completion candidates for a command line (used by the completion scripts).';

  async run(): Promise<void> {
    const words = this.argv[0] === '--' ? this.argv.slice(1) : this.argv;
    process.stdout.write(await completionText(this.config, words.length > 0 ? words : ['']));
    // A cluster lookup cut off by the deadline may still hold a socket: the answer is out, so stop.
    process.exit(0);
  }
}
