/** Completion, in-process: the real command table (oclif's manifest) and injected name sources. */
import {expect} from 'chai';
import {Config} from '@oclif/core';
import {join} from 'node:path';
import {commandSpecs, completionText, topicDescriptions} from '../../src/cli/completion-run.js';
import {completionSources, type SourceSelection} from '../../src/cluster/completion-data.js';
import {complete, Directive, formatCompletion, type CompletionSources} from '../../src/services/completion.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLES = join(ROOT, 'examples');

/** Sources that answer from fixed lists and record the selection they were asked with. */
function recordingSources(names: {pools?: string[]; nodes?: string[]} = {}) {
  const asked: Array<{what: string; sel: SourceSelection}> = [];
  const sources: CompletionSources = {
    pools: async (sel) => (asked.push({what: 'pools', sel}), names.pools ?? ['infra', 'master', 'worker']),
    nodes: async (sel) => (asked.push({what: 'nodes', sel}), names.nodes ?? ['worker-1', 'master-0', 'worker-0']),
    mirrorSets: async (sel) => (asked.push({what: 'mirrorSets', sel}), [{kind: 'ImageDigestMirrorSet', name: 'live-idms'}]),
    contexts: async (sel) => (asked.push({what: 'contexts', sel}), ['admin', 'prod']),
  };
  return {sources, asked};
}

describe('completion service', function () {
  let config: Config;
  before(async () => {
    config = await Config.load(ROOT);
  });

  const run = async (words: string[], sources: CompletionSources = recordingSources().sources, deadline = <T>(p: Promise<T>) => p as Promise<T | undefined>) =>
    complete({commands: commandSpecs(config), topics: topicDescriptions(config), sources, deadline}, words);
  const values = (c: {candidates: Array<{value: string}>}) => c.candidates.map((x) => x.value);

  it('offers topics and commands at the top level, with descriptions, never the hidden __complete', async () => {
    const c = await run(['']);
    expect(values(c)).to.include.members(['allow', 'mirror', 'render', 'verify', 'completion']);
    expect(values(c)).not.to.include('__complete');
    expect(c.candidates.find((x) => x.value === 'mirror')!.description).to.match(/^Mirror sets/);
    expect(c.directive).to.equal(Directive.noFileComp);
  });

  it('offers the commands of a topic that start with the typed prefix', async () => {
    expect(values(await run(['mirror', 'm']))).to.deep.equal(['migrate']);
    expect(values(await run(['trust-ca', '']))).to.deep.equal(['add', 'list', 'remove']);
  });

  it('offers flags of the command, long and short, except non-repeatable ones already given', async () => {
    const c = await run(['render', '--format', 'files', '-']);
    expect(values(c)).to.include.members(['--file', '-f', '--out', '--pool', '--json', '--help']);
    expect(values(c)).not.to.include('--format');
    expect(values(await run(['render', '-f', 'a.yaml', '--fi']))).to.deep.equal(['--file']); // repeatable
    expect(values(await run(['verify', '--no']))).to.deep.equal(['--no-color', '--node']);
  });

  it('offers the values of flags and arguments with fixed options, also as --flag=value', async () => {
    expect(values(await run(['render', '--format', '']))).to.include.ordered.members(['files', 'machineconfig']);
    expect(values(await run(['render', '--format=m']))).to.deep.equal(['--format=machineconfig']);
    expect(values(await run(['mirror', 'add', '--kind', 'i']))).to.deep.equal(['idms', 'itms', 'icsp']);
    expect(values(await run(['completion', '']))).to.deep.equal(['bash', 'zsh', 'fish']);
  });

  it('leaves paths to the shell: files for -f, directories only for --out', async () => {
    expect((await run(['render', '-f', ''])).directive).to.equal(Directive.default);
    expect((await run(['render', '--kubeconfig', ''])).directive).to.equal(Directive.default);
    expect((await run(['render', '--out', ''])).directive).to.equal(Directive.filterDirs);
    expect((await run(['explain', ''])).directive).to.equal(Directive.noFileComp);
  });

  it('asks the live sources with the kubeconfig and context of the command line, sorted and deduplicated', async () => {
    const {sources, asked} = recordingSources({nodes: ['worker-1', 'master-0', 'worker-1']});
    const c = await run(['verify', '--kubeconfig', '/k', '--context=prod', '--node', 'w'], sources);
    expect(values(c)).to.deep.equal(['worker-1']);
    expect(asked).to.deep.equal([{what: 'nodes', sel: {file: undefined, kubeconfig: '/k', context: 'prod'}}]);
    expect(values(await run(['render', '--pool', ''], sources))).to.deep.equal(['infra', 'master', 'worker']);
    expect(values(await run(['status', '--context', ''], sources))).to.deep.equal(['admin', 'prod']);
  });

  it('offers nothing (and no file names) when a source is past the deadline or fails', async () => {
    const never: CompletionSources = {...recordingSources().sources, pools: () => new Promise<string[]>(() => {})};
    const c = await run(['render', '--pool', ''], never, async () => undefined);
    expect(c).to.deep.equal({candidates: [], directive: Directive.noFileComp});
    const failing: CompletionSources = {...recordingSources().sources, nodes: async () => Promise.reject(new Error('unreachable'))};
    expect(await run(['verify', '--node', ''], failing)).to.deep.equal({candidates: [], directive: Directive.noFileComp});
  });

  it('reads mirror-set and pool names from the -f manifests, filtered by --kind', async () => {
    const file = join(EXAMPLES, 'mirrors.yaml');
    const all = await run(['mirror', 'remove', '-f', file, '--name', ''], completionSources);
    expect(all.candidates).to.deep.equal([
      {value: 'apps-tag-mirror', description: 'ImageTagMirrorSet'},
      {value: 'release-mirror', description: 'ImageDigestMirrorSet'},
    ]);
    expect(values(await run(['mirror', 'remove', '-f', file, '--kind', 'itms', '--name', ''], completionSources))).to.deep.equal(['apps-tag-mirror']);
    // No MachineConfigPool in the manifest: the built-in pools.
    expect(values(await run(['render', '-f', file, '--pool', ''], completionSources))).to.deep.equal(['master', 'worker']);
  });

  it('writes Cobra\'s wire format: value<TAB>description lines, then :directive', async () => {
    expect(formatCompletion({candidates: [{value: 'a', description: 'one\ttwo\nthree'}, {value: 'b'}], directive: 4})).to.equal('a\tone two three\nb\n:4\n');
    expect(await completionText(config, ['mirror', 'list', '--eff'], recordingSources().sources)).to.equal('--effective\tShow the merged pull order per source instead of the objects.\n:4\n');
  });
});
