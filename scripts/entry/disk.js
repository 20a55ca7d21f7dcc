// Entry of dist/bundle/cli.cjs, the CLI bin/run.js loads: one CommonJS script (with the V8 code cache
// scripts/cli-cache.cjs makes at build time), every command imported only when it runs. Exports what
// the in-process tests drive: the runner, the loaded config and the injectable clock.
import {join} from 'node:path';
import {COMMANDS} from '../../dist/commands-lazy.js';
import {embeddedCli, run} from './embedded.js';

// __dirname: dist/bundle, as bin/run.js passes it to the script (a CommonJS wrapper argument).
/* global __dirname */
export const {loadConfig, main} = embeddedCli(COMMANDS, () => join(__dirname, '..', '..'));
export {run};
export {setClock, virtualClock} from '../../dist/cluster/clock.js';
