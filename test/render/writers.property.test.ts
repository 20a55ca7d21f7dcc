import {expect} from 'chai';
import fc from 'fast-check';
import {parse as parseToml} from 'smol-toml';
import {goJsonString, goMarshal, type GoJson} from '../../src/render/gojson.js';
import {encodeRegistriesConf, tomlString} from '../../src/render/toml.js';
import type {RegistriesConf} from '../../src/model/registries-conf.js';
import {compareBytes} from '../../src/model/registries-conf.js';

const anyString = fc.oneof(fc.string({unit: 'binary'}), fc.string({unit: 'grapheme'}), fc.string());

describe('canonical writers', () => {
  describe('TOML strings (Go encoder escaping)', () => {
    it('escape exactly as BurntSushi/toml: short escapes, \\u00XX for other controls, raw UTF-8 otherwise', () => {
      expect(tomlString('a"b\\c')).to.equal('"a\\"b\\\\c"');
      expect(tomlString('\b\t\n\f\r')).to.equal('"\\b\\t\\n\\f\\r"');
      expect(tomlString('\x01\x1f\x7f')).to.equal('"\\u0001\\u001f\\u007f"');
      expect(tomlString('régistry-😀')).to.equal('"régistry-😀"');
    });
    it('round-trip through a TOML parser for any string (1000 runs)', () => {
      fc.assert(
        fc.property(anyString, (s) => {
          expect((parseToml(`k = ${tomlString(s)}\n`) as {k: string}).k).to.equal(s);
        }),
        {numRuns: 1000},
      );
    });
  });

  describe('registries.conf documents', () => {
    const endpoint = fc.record({location: anyString.filter((s) => s !== ''), insecure: fc.boolean(), pullFromMirror: fc.constantFrom('' as const, 'digest-only' as const, 'tag-only' as const)});
    const registry = fc.record({
      prefix: fc.constantFrom('', '*.example.com'),
      location: anyString,
      insecure: fc.boolean(),
      blocked: fc.boolean(),
      mirrors: fc.array(endpoint, {maxLength: 3}),
    });
    it('parse back to the same data (500 runs)', () => {
      fc.assert(
        fc.property(fc.array(anyString, {maxLength: 4}), fc.array(registry, {maxLength: 4}), (search, registries) => {
          const conf: RegistriesConf = {unqualifiedSearchRegistries: search, shortNameMode: '', additionalLayerStoreAuthHelper: '', registries};
          const text = encodeRegistriesConf(conf);
          expect(text.endsWith('\n') && !text.endsWith('\n\n')).to.equal(true);
          const back = parseToml(text) as {'unqualified-search-registries': string[]; registry?: Array<Record<string, unknown>>};
          expect(back['unqualified-search-registries']).to.deep.equal(search);
          const regs = back.registry ?? [];
          expect(regs.length).to.equal(registries.length);
          regs.forEach((r, i) => {
            const want = registries[i]!;
            expect(r.prefix).to.equal(want.prefix);
            expect(r.location ?? '').to.equal(want.location);
            expect(r.insecure ?? false).to.equal(want.insecure);
            expect(r.blocked ?? false).to.equal(want.blocked);
            const ms = (r.mirror as Array<Record<string, unknown>> | undefined) ?? [];
            expect(ms.map((m) => [m.location, m.insecure ?? false, m['pull-from-mirror'] ?? ''])).to.deep.equal(want.mirrors.map((m) => [m.location, m.insecure, m.pullFromMirror]));
          });
        }),
        {numRuns: 500},
      );
    });
  });

  describe('Go-compatible JSON', () => {
    it('escapes <, >, &, U+2028/9 and controls like encoding/json; DEL and non-ASCII stay raw', () => {
      expect(goJsonString('a<b>&c')).to.equal('"a\\u003cb\\u003e\\u0026c"');
      expect(goJsonString('\u2028\u2029')).to.equal('"\\u2028\\u2029"');
      expect(goJsonString('\b\f\n\r\t\x01\x7f')).to.equal('"\\b\\f\\n\\r\\t\\u0001\x7f"');
      expect(goJsonString('régistry')).to.equal('"régistry"');
    });
    it('MarshalIndent layout: two spaces, ": ", empty containers inline, maps sorted by bytes', () => {
      const v = new Map<string, GoJson>([['b', []], ['a', new Map()], ['\u{1F600}', 1], ['\uFFFD', 2]]);
      expect(goMarshal({x: v}, '  ')).to.equal('{\n  "x": {\n    "a": {},\n    "b": [],\n    "\uFFFD": 2,\n    "\u{1F600}": 1\n  }\n}');
    });
    const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      v: fc.oneof({depthSize: 'small'}, anyString, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v'), {maxLength: 3}), fc.dictionary(anyString, tie('v'), {maxKeys: 3})),
    })).v;
    const toGo = (x: unknown): GoJson =>
      Array.isArray(x) ? x.map(toGo) : x !== null && typeof x === 'object' ? new Map(Object.entries(x).map(([k, y]) => [k, toGo(y)])) : (x as GoJson);
    it('is valid JSON that parses back to the same value, keys in byte order (1000 runs)', () => {
      fc.assert(
        fc.property(json, (x) => {
          const text = goMarshal(toGo(x), '  ');
          expect(JSON.parse(text)).to.deep.equal(x);
          expect(text).to.not.match(/[<>&\u2028\u2029]/);
        }),
        {numRuns: 1000},
      );
    });
    it('byte order puts astral characters after the rest of the BMP (Go string order)', () => {
      fc.assert(
        fc.property(anyString, anyString, (a, b) => {
          const byBytes = Buffer.compare(Buffer.from(a), Buffer.from(b));
          expect(Math.sign(compareBytes(a, b))).to.equal(Math.sign(byBytes));
        }),
        {numRuns: 1000},
      );
    });
  });
});
