/**
 * End-to-end conformance: for every scenario under scenarios/, render the node
 * files with the real CLI (`render --out`), ask `explain` what a node does with
 * each image, and check that real skopeo / podman (containers/image) on exactly
 * those files, against local registries, do that: pulled from which registry,
 * blocked, rejected by policy, TLS failure, short name resolved to what.
 *
 * Each check line says what the scenario's author expects; the suite asserts
 *   explain's prediction == the written expectation, and
 *   the real outcome    == explain's prediction.
 * A scenario with tamper.json is a negative control: its rendered files are
 * deliberately broken after rendering, and exactly the listed checks must fail.
 */
import {expect} from 'chai';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {readManifests} from '../../src/cluster/manifest-files.js';
import {loadManifests} from '../../src/model/manifests.js';
import type {ExplainResult} from '../../src/model/explain.js';
import {explainService} from '../../src/services/explain.js';
import {candidatesTried, classify, E2E_DIR, endpointsTried, finalError, preflight, resolvedNames, runTool, servedBy, startLab, stopLab, takeMarks, type LabEnv, type Verb} from './support/lab.js';
import {predictPull, predictResolve} from './support/predict.js';

const REPO = join(E2E_DIR, '..', '..');
const SCENARIOS = join(E2E_DIR, 'scenarios');

interface Check {
  line: number;
  verb: Verb;
  ref: string;
  want: string;
  text: string;
}

interface Scenario {
  name: string;
  /** The manifests rendered and explained. */
  manifests: string;
  checks: Check[];
  tamper?: {edits: Array<{file: string; delete: string}>; mustFail: number[]};
}

const CHECK = /^(pull|podman-pull|resolve) (\S+) expect (ok-from \S+|\S+)$/;

function parseCheck(file: string, i: number, raw: string, text: string): Check {
  const m = CHECK.exec(text);
  if (!m) throw new Error(`${file}:${i + 1}: bad check line (want: VERB REF expect OUTCOME): ${raw}`);
  return {line: i + 1, verb: m[1] as Verb, ref: m[2]!, want: m[3]!, text};
}

function readChecks(file: string): Check[] {
  const out: Check[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.replace(/#.*/, '').trim().replace(/\s+/g, ' ');
      if (line) out.push(parseCheck(file, i, raw, line));
    });
  return out;
}

/** examples.txt: `EXAMPLE.yaml VERB REF expect OUTCOME`, checks on the repository's own examples/ as they are. */
function readExampleChecks(): Scenario[] {
  const file = join(E2E_DIR, 'examples.txt');
  const byExample = new Map<string, Check[]>();
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.replace(/#.*/, '').trim().replace(/\s+/g, ' ');
      if (!line) return;
      const sp = line.indexOf(' ');
      const example = line.slice(0, sp);
      if (!existsSync(join(REPO, 'examples', example))) throw new Error(`${file}:${i + 1}: examples/${example} does not exist`);
      const list = byExample.get(example) ?? [];
      list.push(parseCheck(file, i, raw, line.slice(sp + 1)));
      byExample.set(example, list);
    });
  return [...byExample.entries()].map(([example, checks]) => ({name: `examples/${example}`, manifests: join(REPO, 'examples', example), checks}));
}

function readScenarios(): Scenario[] {
  return readdirSync(SCENARIOS)
    .filter((n) => existsSync(join(SCENARIOS, n, 'checks.txt')))
    .sort()
    .map((name) => {
      const dir = join(SCENARIOS, name);
      const t = join(dir, 'tamper.json');
      return {name, manifests: join(dir, 'manifests.yaml'), checks: readChecks(join(dir, 'checks.txt')), ...(existsSync(t) ? {tamper: JSON.parse(readFileSync(t, 'utf8'))} : {})};
    });
}

/** `render --out` through the real CLI entry point. */
function renderScenario(manifests: string, out: string): void {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'run.js'), 'render', '-f', manifests, '--out', out], {encoding: 'utf8'});
  if (r.status !== 0) throw new Error(`render failed (exit ${r.status}): ${r.stderr}`);
}

function expand(lab: LabEnv, s: string): string {
  return s.replaceAll('${APP_DIGEST}', lab.appDigest).replaceAll('$APP_DIGEST', lab.appDigest).replaceAll('$ONLY3_DIGEST', lab.only3Digest);
}

async function explainFor(manifests: string, ref: string): Promise<ExplainResult> {
  const loaded = {...loadManifests(await readManifests([manifests])), mode: 'file' as const};
  return explainService(loaded, ref, {warn: () => {}});
}

interface Verdict {
  predicted: string;
  real: string;
  /** Mismatches between prediction and reality, empty when they agree. */
  problems: string[];
  detail: string;
}

async function runCheck(lab: LabEnv, sc: Scenario, root: string, c: Check): Promise<Verdict> {
  const ref = expand(lab, c.ref);
  const explained = await explainFor(sc.manifests, ref);
  const marks = takeMarks(lab);
  const run = runTool(lab, root, c.verb, ref);
  const cls = classify(run);
  const problems: string[] = [];
  if (c.verb === 'resolve') {
    const p = predictResolve(lab, root, explained);
    const names = resolvedNames(run.log);
    const real = cls === 'ok' && names.length === 1 ? names[0]! : cls === 'ok' ? `ok (${names.join(', ')})` : 'fail';
    const tried = candidatesTried(run.log);
    if (real !== p.outcome) problems.push(`resolved to ${real}, explain predicted ${p.outcome}`);
    if (tried.join(' > ') !== p.tried.join(' > ')) problems.push(`podman tried ${tried.join(' > ') || 'nothing'}, explain's candidates give ${p.tried.join(' > ')}`);
    return {predicted: p.outcome, real, problems, detail: `tried ${tried.join(' > ') || 'nothing'} (${run.ms} ms)`};
  }
  const p = predictPull(lab, root, explained.candidates[0]!);
  const served = servedBy(lab, marks);
  const tried = endpointsTried(run.log);
  let real: string;
  if (cls === 'ok') real = served.length === 1 && tried.length > 0 && tried[tried.length - 1]!.endsWith(served[0]!.slice(served[0]!.indexOf(':'))) ? `ok-from ${served[0]}` : `ok (served by ${served.join(', ') || 'none'})`;
  else real = cls === 'error' || cls === 'timeout' ? 'fail' : cls;
  if (real !== p.outcome) problems.push(`real outcome ${real}, explain predicted ${p.outcome}`);
  if (tried.join(' > ') !== p.tried.join(' > ')) problems.push(`client tried ${tried.join(' > ') || 'nothing'}, explain's sources give ${p.tried.join(' > ')}`);
  const err = cls === 'ok' ? '' : `; error: ${finalError(run.log).slice(0, 240)}`;
  return {predicted: p.outcome, real, problems, detail: `tried ${tried.join(' > ') || 'nothing'}${err} (${run.ms} ms)`};
}

// E2E_ONLY=regex narrows the run to matching scenario names (for development).
const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;
const scenarios = [...readScenarios(), ...readExampleChecks()].filter((s) => !only || only.test(s.name) || s.name.startsWith('04-'));

describe('e2e: real skopeo/podman on rendered node files agree with explain', function () {
  this.timeout(600_000);
  let lab: LabEnv | undefined;
  const state = `/tmp/ocreg-e2e-${process.pid}`;
  const work = mkdtempSync(join(tmpdir(), 'ocreg-e2e-roots-'));

  before(function () {
    const why = preflight();
    if (why) throw new Error(`e2e preflight: ${why}`);
    lab = startLab(state);
  });

  after(function () {
    stopLab(state);
    rmSync(work, {recursive: true, force: true});
  });

  for (const sc of scenarios.filter((s) => !s.tamper)) {
    describe(sc.name, function () {
      const root = join(work, sc.name);
      before(() => renderScenario(sc.manifests, root));
      for (const c of sc.checks) {
        it(`${c.line}: ${c.text}`, async function () {
          const v = await runCheck(lab!, sc, root, c);
          expect(v.predicted, `explain's prediction differs from the scenario's expectation (${v.detail})`).to.equal(c.want);
          expect(v.problems, `${v.detail}`).to.deep.equal([]);
        });
      }
    });
  }

  for (const sc of scenarios.filter((s) => s.tamper)) {
    describe(`${sc.name} (negative control)`, function () {
      const root = join(work, sc.name);
      before(() => {
        renderScenario(sc.manifests, root);
        for (const e of sc.tamper!.edits) {
          const f = join(root, e.file);
          const text = readFileSync(f, 'utf8');
          if (!text.includes(e.delete)) throw new Error(`tamper: ${e.file} does not contain ${JSON.stringify(e.delete)}`);
          writeFileSync(f, text.replace(e.delete, ''));
        }
      });
      it(`a deliberately wrong rendered file makes exactly checks ${sc.tamper!.mustFail.join(', ')} fail`, async function () {
        const failed: number[] = [];
        const report: string[] = [];
        for (const c of sc.checks) {
          const v = await runCheck(lab!, sc, root, c);
          expect(v.predicted, `check ${c.line}: explain's prediction differs from the expectation`).to.equal(c.want);
          if (v.problems.length > 0) failed.push(c.line);
          report.push(`${c.line}: ${v.problems.length ? 'FAIL ' + v.problems.join('; ') : 'ok'}`);
        }
        expect(failed, report.join('\n')).to.deep.equal(sc.tamper!.mustFail);
      });
    });
  }

  describe('the explain command itself', function () {
    it('explain --json through the CLI gives the same answer the suite used', async function () {
      const sc = scenarios.find((s) => s.name.startsWith('04-'))!;
      const ref = expand(lab!, '127.0.0.1:5001/lab/app@$APP_DIGEST');
      const r = spawnSync(process.execPath, [join(REPO, 'bin', 'run.js'), 'explain', ref, '-f', sc.manifests, '--json'], {encoding: 'utf8'});
      expect(r.status, r.stderr).to.equal(0);
      const doc = JSON.parse(r.stdout) as {status: number; result: ExplainResult};
      expect(doc.status).to.equal(0);
      expect(doc.result).to.deep.equal(JSON.parse(JSON.stringify(await explainFor(sc.manifests, ref))));
      expect(doc.result.candidates[0]!.endpoints.filter((e) => e.tried).map((e) => e.reference.split('/')[0])).to.deep.equal(['127.0.0.1:5009', '127.0.0.1:5002', '127.0.0.1:5003', '127.0.0.1:5001']);
    });
  });
});
