// Shared by the benchmark scripts: numeric command-line options and a child's peak memory and CPU time.
import {readFileSync} from 'node:fs';

/** `--name N` from the script's arguments, or the default. */
export function numberOption(name, def, args = process.argv.slice(2)) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
}

/** Peak RSS (VmHWM, the high-water mark) and CPU time of a child, sampled from /proc every 20 ms. */
export function watchProc(pid) {
  let peak = 0;
  let cpuTicks = 0;
  const read = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpuTicks = Number(f[11]) + Number(f[12]);
    } catch {
      // gone
    }
  };
  const t = setInterval(read, 20);
  return {stop: () => (clearInterval(t), {peak, cpuSeconds: cpuTicks / 100})};
}
