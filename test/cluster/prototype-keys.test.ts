/** Item 10: keys named like Object.prototype members are ordinary keys in the editor and the policy lookup. */
import {expect} from 'chai';
import {parseDocument} from 'yaml';
import {syncNode} from '../../src/cluster/edit-files.js';

describe('prototype-named keys', () => {
  it('the in-place editor removes a `constructor` key the new object no longer has', () => {
    const doc = parseDocument('a: 1\nconstructor: x\ntoString: y\n');
    doc.contents = syncNode(doc, doc.contents, {a: 1}) as typeof doc.contents;
    expect(doc.toJS()).to.deep.equal({a: 1});
  });
});
