/** Human output of `render`: the node files with headers, or the MachineConfig YAML. */
import {note, out, type Painter} from '../lib/output.js';
import {renderedMachineConfigYaml, type RenderResult} from '../render/service.js';

export function formatRender(result: RenderResult, format: string, p: Painter): string {
  if (format === 'machineconfig') return renderedMachineConfigYaml(result);
  const blocks: string[] = [];
  for (const f of result.files) {
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

/** Print a single-cluster render in text mode: the files written, or the files / MachineConfig YAML. */
export function printRender(result: RenderResult, format: string, p: Painter): void {
  if (result.written) {
    out(result.written.join('\n'));
    return;
  }
  if (!result.machineConfig && format === 'files') note(p.dim(NO_MACHINECONFIG_NOTE));
  out(formatRender(result, format, p));
}
