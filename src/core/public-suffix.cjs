// The Public Suffix List lookup (tldts), evaluated on first use: CommonJS on purpose. The bundler wraps a
// `require`d module in a function it calls on the first `require`, so a starting worker neither runs
// nor fully compiles the list's ~280 KB before it answers a challenge (a module service worker cannot
// `import()` later; a static `import` would evaluate it at start). Only a wildcard host needs it.
'use strict';

/** tldts's verdict on a host name, Private section included (github.io is a public suffix). */
exports.parseSuffix = function parseSuffix(host) {
  const p = require('tldts').parse(host, { allowPrivateDomains: true });
  return { isIp: p.isIp === true, publicSuffix: p.publicSuffix, isIcann: p.isIcann === true, isPrivate: p.isPrivate === true };
};
