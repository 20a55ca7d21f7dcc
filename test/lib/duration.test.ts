import {expect} from 'chai';
import {parseDuration} from '../../src/lib/duration.js';

describe('durations (--timeout)', () => {
  it('accepts Go-style units and bare seconds', () => {
    expect(parseDuration('timeout', '60s')).to.equal(60000);
    expect(parseDuration('timeout', '2m')).to.equal(120000);
    expect(parseDuration('timeout', '1h30m')).to.equal(5400000);
    expect(parseDuration('timeout', '500ms')).to.equal(500);
    expect(parseDuration('timeout', '1.5s')).to.equal(1500);
    expect(parseDuration('timeout', '45')).to.equal(45000);
  });

  it('rejects anything else, naming the flag and value', () => {
    for (const bad of ['', 'abc', '10x', 's10', '0s', '1m junk']) {
      expect(() => parseDuration('timeout', bad), bad).to.throw(`--timeout ${JSON.stringify(bad)}: not a duration`);
    }
  });
});
