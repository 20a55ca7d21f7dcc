import {expect} from 'chai';
import {gzipSync} from 'node:zlib';
import fc from 'fast-check';
import {decodeContents, decodeDataUrl, ignitionFiles} from '../../src/render/ignition.js';
import {machineConfig} from '../../src/render/machineconfig.js';

describe('Ignition file contents', () => {
  it('decodes base64, percent-encoded and gzip data URLs', () => {
    expect(decodeDataUrl('data:text/plain;charset=utf-8;base64,aGVsbG8K').toString()).to.equal('hello\n');
    expect(decodeDataUrl('data:,a%20%3D%20%5B%22x%22%5D%0A').toString()).to.equal('a = ["x"]\n');
    expect(decodeDataUrl('data:,%E2%9C%93').toString()).to.equal('✓');
    const gz = 'data:;base64,' + gzipSync(Buffer.from('zipped\n')).toString('base64');
    expect(decodeContents({source: gz, compression: 'gzip'})).to.equal('zipped\n');
    expect(decodeContents({source: ''})).to.equal('');
    expect(() => decodeContents({source: 'https://example.com/x'})).to.throw(/not a data URL/);
    expect(() => decodeContents({source: 'data:,x', compression: 'xz'})).to.throw(/unsupported compression "xz"/);
  });

  it('property: any text survives each encoding', () => {
    fc.assert(
      fc.property(fc.string({unit: 'grapheme'}), (s) => {
        expect(decodeContents({source: 'data:,' + encodeURIComponent(s)})).to.equal(s);
        expect(decodeContents({source: 'data:;base64,' + Buffer.from(s).toString('base64')})).to.equal(s);
        expect(decodeContents({source: 'data:;base64,' + gzipSync(Buffer.from(s)).toString('base64'), compression: 'gzip'})).to.equal(s);
      }),
    );
  });

  it('reads the files of a generated MachineConfig back; the last entry for a path wins; errors are per file', () => {
    const mc = machineConfig('worker', [{path: '/etc/a', content: 'A\n'}, {path: '/etc/b', content: 'B\n'}]);
    expect(ignitionFiles(mc.ignition).map((f) => [f.path, f.content])).to.deep.equal([['/etc/a', 'A\n'], ['/etc/b', 'B\n']]);
    const files = ignitionFiles({storage: {files: [{path: '/x', contents: {source: 'data:,1'}}, {path: '/x', contents: {source: 'data:,2'}}, {path: '/y', contents: {source: 'data:;base64,!!', compression: 'gzip'}}]}});
    expect(files[0]).to.include({path: '/x', content: '2'});
    expect(files[1]!.error).to.be.a('string');
  });
});
