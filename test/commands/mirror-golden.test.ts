/**
 * Golden cases for the mirror commands, run through the real CLI (bin/run.js) in
 * file mode on a copy of each fixture: test/fixtures/mirrors/<condition>/
 *   args             the command line after `mirror` (`--text`: compare text output instead of JSON)
 *   input.yaml|input/  the manifests (-f)
 *   expected/status          exit code
 *   expected/input.yaml|input/  the manifests after the command (unchanged ones too)
 *   expected/registries.conf  the node's registries.conf after (plan / migration proof)
 *   expected/objects.diff     the object diffs of the plan
 *   expected/summary.txt      the plan summary (what changes, pull order) and the predicted disruption per pool
 *   expected/warnings.txt     warnings, one `code: message` per line
 *   expected/error.txt        the error message (non-zero exit)
 *   expected/stdout.txt       text output (`--text` cases and list)
 *   expected/messages.txt     text mode: warning/error/note lines of stderr
 *   expected/proof.txt        migrate: identical or the differences
 *   expected/out/             migrate --out DIR
 * UPDATE_GOLDEN=1 npm test rewrites expected/ (review the diff).
 */
import {expect} from 'chai';
import {runInProcess} from '../support/in-process.js';
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {lineDiff} from '../support/vectors.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'mirrors');
const update = process.env.UPDATE_GOLDEN === '1';

function walk(dir: string, base = dir): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) for (const [k, v] of walk(p, base)) out.set(k, v);
    else out.set(relative(base, p), readFileSync(p, 'utf8'));
  }
  return out;
}

function golden(file: string, got: string | undefined): void {
  if (update) {
    if (got === undefined) rmSync(file, {force: true});
    else {
      mkdirSync(join(file, '..'), {recursive: true});
      writeFileSync(file, got);
    }
    return;
  }
  const want = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (want !== got) expect.fail(`${relative(root, file)} differs from the golden file:\n${lineDiff(want ?? '<absent>', got ?? '<absent>')}`);
}

function goldenDir(dir: string, got: Map<string, string>): void {
  if (update) {
    rmSync(dir, {recursive: true, force: true});
    for (const [k, v] of got) golden(join(dir, k), v);
    return;
  }
  const want = walk(dir);
  expect([...got.keys()], `files under ${relative(root, dir)}`).to.deep.equal([...want.keys()]);
  for (const [k, v] of got) golden(join(dir, k), v);
}

interface Envelope {
  status: number;
  result?: {plan?: {summary: string[]; changes: Array<{diff: string}>; renderedAfter: Array<{path: string; content: string}>; disruption: Array<{pool: string; text: string; reasons: string[]}>}; proof?: {identical: boolean; registriesConf: string; differences: Array<{diff: string}>}; proofWithoutIcsp?: unknown};
  message?: string;
  warnings: Array<{code: string; message: string}>;
}

const cases = readdirSync(root).filter((n) => existsSync(join(root, n, 'args'))).sort();

describe('mirror commands: golden cases (CLI, file mode)', function () {
  this.timeout(60000);
  it('has golden cases for add, remove, list and migrate', () => {
    for (const cmd of ['add', 'remove', 'list', 'migrate']) expect(cases.filter((c) => c.startsWith(cmd + '-')).length, cmd).to.be.greaterThan(1);
  });
  for (const name of cases) {
    it(name, async () => {
      const dir = join(root, name);
      const tmp = mkdtempSync(join(tmpdir(), 'ocr-mirror-'));
      try {
        const isDir = existsSync(join(dir, 'input'));
        const input = isDir ? 'input' : 'input.yaml';
        cpSync(join(dir, input), join(tmp, input), {recursive: true});
        const args = readFileSync(join(dir, 'args'), 'utf8').trim().split(/\s+/);
        const text = args.includes('--text') || args[0] === 'list';
        const argv = ['mirror', ...args.filter((a) => a !== '--text'), '-f', input, '--no-color', ...(text ? [] : ['--json'])];
        const run = await runInProcess(argv, {KUBECONFIG: join(tmp, 'no-kubeconfig')}, {cwd: tmp});
        const r = {status: run.code, stdout: run.stdout, stderr: run.stderr};
        const exp = join(dir, 'expected');
        golden(join(exp, 'status'), `${r.status}\n`);
        if (text) {
          golden(join(exp, 'stdout.txt'), r.stdout);
          const messages = r.stderr.split('\n').filter((l) => /^(warning|error|note): /.test(l));
          golden(join(exp, 'messages.txt'), messages.length ? messages.join('\n') + '\n' : undefined);
        } else {
          let env: Envelope;
          try {
            env = JSON.parse(r.stdout) as Envelope;
          } catch {
            expect.fail(`stdout is not one JSON document:\n${r.stdout}\nstderr:\n${r.stderr}`);
          }
          expect(env.status, r.stderr).to.equal(r.status);
          golden(join(exp, 'warnings.txt'), env.warnings.length ? env.warnings.map((w) => `${w.code}: ${w.message}`).join('\n') + '\n' : undefined);
          golden(join(exp, 'error.txt'), env.message !== undefined ? env.message + '\n' : undefined);
          const plan = env.result?.plan;
          const proof = env.result?.proof;
          golden(join(exp, 'registries.conf'), plan?.renderedAfter.find((f) => f.path === '/etc/containers/registries.conf')?.content ?? proof?.registriesConf);
          golden(join(exp, 'objects.diff'), plan && plan.changes.length > 0 ? plan.changes.map((o) => o.diff).join('') : undefined);
          golden(join(exp, 'summary.txt'), plan && (plan.summary.length > 0 || plan.changes.length > 0) ? [...plan.summary, ...plan.disruption.map((d) => `${d.pool}: ${d.text}; ${d.reasons.join('; ')}`)].join('\n') + '\n' : undefined);
          golden(join(exp, 'proof.txt'), proof ? (proof.identical ? 'identical\n' : proof.differences.map((d) => d.diff).join('')) : undefined);
        }
        if (isDir) goldenDir(join(exp, 'input'), walk(join(tmp, 'input')));
        else golden(join(exp, 'input.yaml'), readFileSync(join(tmp, 'input.yaml'), 'utf8'));
        const out = walk(join(tmp, 'out'));
        if (out.size > 0 || existsSync(join(exp, 'out'))) goldenDir(join(exp, 'out'), out);
        // No temporary files left behind by the atomic write.
        expect([...walk(tmp).keys()].filter((k) => k.includes('.tmp'))).to.deep.equal([]);
      } finally {
        rmSync(tmp, {recursive: true, force: true});
      }
    });
  }
});
