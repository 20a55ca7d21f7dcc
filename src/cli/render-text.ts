/** Human output of `render`: each node file under a header saying who writes it; base-template files named only. */
import type {NodeFile} from '../model/node-files.js';
import type {Painter} from './output.js';

export function formatNodeFiles(files: NodeFile[], p: Painter): string {
  const blocks: string[] = [];
  for (const f of files) {
    if (!f.changed) {
      blocks.push(p.dim(`# ${f.path}: unchanged (base template)`));
      continue;
    }
    const by = f.origin === 'daemon' ? 'written by the machine-config daemon from the additional trusted CA' : 'in MachineConfig 99-<pool>-generated-registries';
    blocks.push(p.bold(`# ${f.path}`) + p.dim(` (${by})`) + '\n' + f.content.replace(/\n?$/, ''));
  }
  return blocks.join('\n\n');
}
