/**
 * The bundled entry: oclif's runner only. The commands are a second entry
 * (dist/bundle/commands-lazy.js, oclif's explicit command strategy) whose
 * command modules are imported when that command runs, never for help; the Kubernetes client stays
 * outside the bundle and is imported lazily by the commands that talk to a cluster.
 * `run` and `Config` are exported for running commands in-process (the tests),
 * with the same oclif copy the bundled commands extend.
 */
export {execute, run, Config} from '@oclif/core';
export {setClock, virtualClock} from './cluster/clock.js';
