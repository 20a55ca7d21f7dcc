// Entry of the single executable (scripts/build-binary.js bundles it into one CommonJS script).
// Everything bin/run.js finds on disk is inside (scripts/entry/embedded.js). With a startup snapshot
// the module graph below, every command included, is evaluated at build time; main() runs at start
// and first re-reads what depends on the terminal and the environment.
import v8 from 'node:v8';
import {dirname} from 'node:path';
import {COMMANDS} from '../../dist/commands-index.js';
import {refreshRuntimeState} from './runtime-state.cjs';
import {embeddedCli, VERSION_FLAGS, versionLine} from '../entry/embedded.js';

const cli = embeddedCli(COMMANDS, () => dirname(process.execPath));

async function main() {
  const argv = process.argv.slice(2);
  // As bin/run.js: the version alone is answered without oclif.
  if (argv.length === 1 && VERSION_FLAGS.has(argv[0])) {
    process.stdout.write(versionLine());
    return;
  }
  refreshRuntimeState();
  await cli.main(argv);
}

if (v8.startupSnapshot?.isBuildingSnapshot()) v8.startupSnapshot.setDeserializeMainFunction(() => void main());
else void main();
