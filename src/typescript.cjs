'use strict';
// TypeScript's compiler API: the build ts-morph ships (through its @ts-morph/common dependency), loaded
// without ts-morph's own layer, which the scanner does not use and which doubles start-up time.
// Written as CommonJS assigned through a variable, so Node does not scan the 9 MB module for named exports.
const path = require('node:path');
const tsMorphFolder = path.dirname(require.resolve('ts-morph'));
const typescript = require(require.resolve('@ts-morph/common/dist/typescript.js', { paths: [tsMorphFolder] }));
module.exports = typescript;
