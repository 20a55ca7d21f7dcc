/** Reading golden vector cases (real MCO output) from test/fixtures. */
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

export interface VectorCase {
  name: string;
  dir: string;
  input: string;
  /** expected/ or one of expected-variants/<n>/ */
  expectedDirs: string[];
  /** The API server rejects this input (README "API server" column). */
  apiRejected: boolean;
}

export function apiRejectedCases(readme: string): Set<string> {
  const out = new Set<string>();
  for (const line of readme.split('\n')) {
    const m = /^\| `([^`]+)` \|.*\| (REJECTED[^|]*) \|/.exec(line);
    if (m) out.add(m[1]!);
  }
  return out;
}

export function readVectorCases(root: string): VectorCase[] {
  const readme = join(root, 'README.md');
  const rejected = existsSync(readme) ? apiRejectedCases(readFileSync(readme, 'utf8')) : new Set<string>();
  return readdirSync(root)
    .filter((n) => existsSync(join(root, n, 'input.yaml')))
    .sort()
    .map((name) => {
      const dir = join(root, name);
      const variants = join(dir, 'expected-variants');
      const expectedDirs = existsSync(variants)
        ? readdirSync(variants).filter((v) => existsSync(join(variants, v, 'files.txt')) || existsSync(join(variants, v, 'error.txt')) || existsSync(join(variants, v, 'panic.txt'))).sort().map((v) => join(variants, v))
        : [join(dir, 'expected')];
      return {name, dir, input: readFileSync(join(dir, 'input.yaml'), 'utf8'), expectedDirs, apiRejected: rejected.has(name)};
    });
}

export function readOpt(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** A compact line diff for failure messages. */
export function lineDiff(want: string, got: string): string {
  const a = want.split('\n');
  const b = got.split('\n');
  const out: string[] = [];
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) continue;
    if (a[i] !== undefined) out.push(`- ${JSON.stringify(a[i])}`);
    if (b[i] !== undefined) out.push(`+ ${JSON.stringify(b[i])}`);
    if (out.length > 40) break;
  }
  return out.join('\n');
}
