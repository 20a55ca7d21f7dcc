/** The plain-text wrap of help texts equals wrap-ansi's (the copy oclif's help formatter uses). */
import {expect} from 'chai';
import fc from 'fast-check';
import {createRequire} from 'node:module';
import {wrapPlain} from '../../src/lib/wrap.js';

const oclifRequire = createRequire(createRequire(import.meta.url).resolve('@oclif/core'));
const wrapAnsi = oclifRequire('wrap-ansi') as (text: string, columns: number, opts: {hard: boolean}) => string;

describe('wrapPlain', () => {
  it('property: equals wrap-ansi {hard: true} for printable ASCII, any spacing, words longer than a line, any width (3000 runs)', () => {
    const word = fc.oneof(fc.stringMatching(/^[!-~]{0,6}$/), fc.stringMatching(/^[a-z0-9:/.@-]{7,90}$/));
    const line = fc.array(word, {maxLength: 14}).map((ws) => ws.join(' '));
    const text = fc.array(fc.tuple(line, fc.constantFrom('', ' ', '  ')), {minLength: 1, maxLength: 4}).map((ls) => ls.map(([l, pad]) => pad + l + pad).join('\n'));
    fc.assert(
      fc.property(text, fc.integer({min: 1, max: 120}), (t, columns) => {
        expect(wrapPlain(t, columns)).to.equal(wrapAnsi(t, columns, {hard: true}));
      }),
      {numRuns: 3000},
    );
  });

  it('leaves anything not printable ASCII to wrap-ansi: escape codes, tabs, wide characters', () => {
    for (const t of ['\x1b[1mbold\x1b[22m text', 'a\tb', 'ümlaut', '漢字', 'a\r\nb']) expect(wrapPlain(t, 10), JSON.stringify(t)).to.equal(undefined);
    expect(wrapPlain('a b', 0)).to.equal(undefined);
  });

  it('wraps a help line as oclif shows it', () => {
    const s = '$ oc-registries mirror add registry.redhat.io/ubi9 mirror.example.com/ubi9 --yes';
    expect(wrapPlain(s, 40)).to.equal(wrapAnsi(s, 40, {hard: true}));
    expect(wrapPlain(s, 40)!.split('\n').every((l) => l.length <= 40)).to.equal(true);
  });
});
