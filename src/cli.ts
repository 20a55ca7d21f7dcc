/**
 * The bundled entry: oclif's runner only. The commands are a second entry
 * (dist/bundle/commands-index.js, oclif's explicit command strategy) that oclif
 * imports when a command runs, not for help; the Kubernetes client stays
 * outside the bundle and is imported lazily by the commands that talk to a cluster.
 * `run` and `Config` are exported for running commands in-process (the tests),
 * with the same oclif copy the bundled commands extend.
 */
export {execute, run, Config} from '@oclif/core';
export {setClock, virtualClock} from './cluster/clock.js';
