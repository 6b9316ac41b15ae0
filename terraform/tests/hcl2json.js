#!/usr/bin/env node
// Converts Terraform files to JSON with @cdktf/hcl2json (Go's HCL parser compiled to WASM: works offline).
// Usage: node terraform/tests/hcl2json.js FILE.tf...   prints {"FILE.tf": {...}, ...} on stdout.
//        node terraform/tests/hcl2json.js --check       exits 0 when the package loads and parses.
// The package is looked up in $ISOFLOP_HCL2JSON_DIR, else ~/.cache/isoflop/npm/node_modules/@cdktf/hcl2json
// (where .ci/run installs it), else the normal require path.
'use strict';
const fs = require('fs');
const path = require('path');
const os = require('os');

function load() {
  const candidates = [
    process.env.ISOFLOP_HCL2JSON_DIR,
    path.join(os.homedir(), '.cache', 'isoflop', 'npm', 'node_modules', '@cdktf', 'hcl2json'),
    '@cdktf/hcl2json',
  ].filter(Boolean);
  for (const candidate of candidates) {
    try {
      return require(candidate);
    } catch (e) {
      // try the next one
    }
  }
  console.error('hcl2json: @cdktf/hcl2json not found in ' + candidates.join(', '));
  process.exit(3);
}

(async () => {
  const { parse } = load();
  const args = process.argv.slice(2);
  if (args.length === 1 && args[0] === '--check') {
    const parsed = await parse('check.tf', 'variable "x" {\n  type = string\n}\n');
    process.exit(parsed.variable && parsed.variable.x ? 0 : 1);
  }
  const out = {};
  for (const file of args) {
    out[path.basename(file)] = await parse(path.basename(file), fs.readFileSync(file, 'utf8'));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => {
  console.error('hcl2json: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
