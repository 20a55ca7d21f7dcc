/** Human output of `render`: each node file under a header saying who writes it; base-template files named only. */
import type {NodeFile} from '../model/node-files.js';
import {renderedMachineConfigYaml, type RenderResult} from '../services/render.js';
import {note, out, type Painter} from './output.js';

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

export const NO_MACHINECONFIG_NOTE = 'MCO creates no MachineConfig for this input; every file stays at the base template.';

/** The node files with headers, or the MachineConfig YAML (`--format machineconfig`). */
export function formatRender(result: RenderResult, format: string, p: Painter): string {
  return format === 'machineconfig' ? renderedMachineConfigYaml(result) : formatNodeFiles(result.files, p);
}

/** Print a single-cluster render in text mode: the files written, or the files / MachineConfig YAML. */
export function printRender(result: RenderResult, format: string, p: Painter): void {
  if (result.written) {
    out(result.written.join('\n'));
    return;
  }
  if (!result.machineConfig && format === 'files') note(p.dim(NO_MACHINECONFIG_NOTE));
  out(formatRender(result, format, p));
}
