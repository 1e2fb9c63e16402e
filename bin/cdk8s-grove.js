#!/usr/bin/env node
/**
 * The `cdk8s-grove` command.
 *
 * Installed from npm, the package holds no TypeScript sources and this runs the compiled CLI (`out/lib/cli/main.js`),
 * with no TypeScript toolchain. In a checkout of the repository it runs the sources instead (a stale `out/` never
 * shadows them), compiling them as they are loaded (transpile only, no type check):
 * - with `@swc/core` when it is installed: a small require hook, ~0.3 s start-up;
 * - else with ts-node (`transpileOnly`), which also works but loads the TypeScript compiler (~1 s more);
 * - else with the compiled CLI, when `npm run build` produced one.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const source = path.join(root, 'lib', 'cli', 'main');
const compiled = path.join(root, 'out', 'lib', 'cli', 'main.js');

/** True for this package's own TypeScript files (not those of its dependencies). */
function ownSource(filename) {
  const relative = path.relative(root, filename);
  return !relative.startsWith('..') && !path.isAbsolute(relative) && !relative.split(path.sep).includes('node_modules');
}

function registerSwc() {
  let swc;
  try {
    swc = require('@swc/core');
  } catch {
    return false;
  }
  const fallback = require.extensions['.ts'];
  require.extensions['.ts'] = (module, filename) => {
    if (!ownSource(filename)) {
      if (fallback) return fallback(module, filename);
      throw new Error(`cdk8s-grove: cannot load TypeScript outside the package: ${filename}`);
    }
    const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
      filename,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    });
    module._compile(code, filename);
  };
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
