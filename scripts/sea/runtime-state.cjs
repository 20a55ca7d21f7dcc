// Module state that libraries compute when they load, from the terminal and the environment.
// In a startup snapshot they loaded on the build machine (no terminal, its environment), so
// main() recomputes that state at start, for the run's own terminal and environment:
// - oclif's help and error wrapping widths (its screen module: OCLIF_COLUMNS, else the terminal's
//   columns on a TTY, at least 40, else 80);
// - the debug namespaces enabled by DEBUG (oclif's own debug output).
// Nothing else the commands print depends on load-time state: colour is decided per run
// (src/lib/output.ts), and oclif colours help only with a theme, which this CLI does not set.
'use strict';
const screen = require('../../node_modules/@oclif/core/lib/screen.js');
const {settings} = require('../../node_modules/@oclif/core/lib/settings.js');
const debug = require('debug');

function width(stream) {
  if (!stream.isTTY) return 80;
  const [columns] = stream.getWindowSize();
  return columns < 1 ? 80 : Math.max(columns, 40);
}

function refreshRuntimeState() {
  const fixed = Number.parseInt(process.env.OCLIF_COLUMNS, 10) || settings.columns;
  screen.stdtermwidth = fixed || width(process.stdout);
  screen.errtermwidth = fixed || width(process.stderr);
  if (process.env.DEBUG) debug.enable(process.env.DEBUG);
}

module.exports = {refreshRuntimeState};
