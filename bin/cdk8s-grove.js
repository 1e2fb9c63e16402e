#!/usr/bin/env node
/**
 * The `cdk8s-grove` command.
 *
 * Installed from npm, the package holds no TypeScript sources and this runs the compiled CLI (`out/lib/cli/main.js`),
 * with no TypeScript toolchain. In a checkout of the repository it runs the sources instead (a stale `out/` never
 * shadows them), compiling them as they are loaded (transpile only, no type check):
 * - with `@swc/core` when it is installed: the caching require hook of bin/ts-require.js, ~0.3 s start-up;
 * - else with ts-node (`transpileOnly`), which also works but loads the TypeScript compiler (~1 s more);
 * - else with the compiled CLI, when `npm run build` produced one.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const source = path.join(root, 'lib', 'cli', 'main');
const compiled = path.join(root, 'out', 'lib', 'cli', 'main.js');

/** The repository's caching swc require hook (bin/ts-require.js), when @swc/core is installed. */
function registerSwc() {
  try {
    require.resolve('@swc/core', { paths: [root] });
  } catch {
    return false;
  }
  require('./ts-require.js');
  process.setSourceMapsEnabled(true);
  return true;
}

function registerTsNode() {
  let tsNode;
  try {
    tsNode = require('ts-node');
  } catch {
    return false;
  }
  tsNode.register({
    transpileOnly: true,
    // Compile only this package's sources, also when it is installed under node_modules, and ignore the
    // tsconfig.json of the directory the command runs in.
    skipProject: true,
    scope: true,
    scopeDir: root,
    ignore: [],
    compilerOptions: { module: 'commonjs', target: 'es2022', esModuleInterop: true, resolveJsonModule: true },
  });
  return true;
}

function entry() {
  if (fs.existsSync(`${source}.ts`) && (registerSwc() || registerTsNode())) return source;
  if (fs.existsSync(compiled)) return compiled;
  process.stderr.write('cdk8s-grove: out/lib/cli/main.js is not built (npm run build) and neither @swc/core nor ts-node is installed to run the sources\n');
  process.exit(2);
}

process.exitCode = require(entry()).main(process.argv.slice(2));
