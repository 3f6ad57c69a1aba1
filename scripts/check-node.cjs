// Runs before `npm install` (preinstall) and before every `tally` command: on an older Node the
// install fails half-way or the CLI dies on a syntax error, so say plainly what to do instead.
// Plain old JavaScript on purpose: it must run on the old Node it is there to turn away.
'use strict';

var NEEDED = [20, 19];

/** The message for a Node too old, or null when this one will do. */
function tooOld(version) {
  var parts = String(version).replace(/^v/, '').split('.').map(Number);
  var major = parts[0] || 0;
  var minor = parts[1] || 0;
  if (major > NEEDED[0] || (major === NEEDED[0] && minor >= NEEDED[1])) return null;
  return (
    'Tally needs Node.js ' +
    NEEDED.join('.') +
    ' or newer; this is Node.js ' +
    version +
    '.\n' +
    'Install Node.js 20 LTS or 22 LTS (https://nodejs.org, or `nvm install 22 && nvm use 22`),\n' +
    'check with `node --version`, then run `npm install` again.'
  );
}

module.exports = { tooOld: tooOld };

var message = require.main === module ? tooOld(process.versions.node) : null;
if (message) {
  console.error(message);
  process.exit(1);
}
