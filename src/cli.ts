/**
 * The bundled entry: oclif's runner only. The commands are a second entry
 * (dist/bundle/commands-index.js, oclif's explicit command strategy) that oclif
 * imports when a command runs, not for help; the Kubernetes client stays
 * outside the bundle and is imported lazily by the commands that talk to a cluster.
 */
export {execute} from '@oclif/core';
