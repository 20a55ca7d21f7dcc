// mocha's spec reporter plus the closing line CI reads: "N passed, N failed".
'use strict';
const Mocha = require('mocha');
const {Spec} = Mocha.reporters;
const {EVENT_RUN_END} = Mocha.Runner.constants;

class PassFailReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats || {passes: 0, failures: 0, pending: 0};
      const skipped = s.pending ? `, ${s.pending} skipped` : '';
      process.stdout.write(`\n${s.passes} passed, ${s.failures} failed${skipped}\n`);
    });
  }
}
module.exports = PassFailReporter;
