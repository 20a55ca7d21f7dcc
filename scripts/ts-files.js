// The TypeScript sources under a folder (not .d.ts), for the transpiling build steps.
import {readdirSync} from 'node:fs';
import {join} from 'node:path';

export function tsFiles(dir, skipDirs = []) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, {withFileTypes: true})) {
      if (e.isDirectory()) {
        if (!skipDirs.includes(e.name)) walk(join(d, e.name));
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out;
}
