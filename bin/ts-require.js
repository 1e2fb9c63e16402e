/**
 * A require hook that runs this repository's TypeScript without type-checking it, for `npm run synth` (the
 * `app:` of cdk8s.yaml) and `npm run bench`:
 *
 *   node -r ./bin/ts-require.js apps/main.ts
 *
 * Each file is transpiled with swc once and the JavaScript kept under node_modules/.cache/, keyed by the file's
 * content, swc's version and the options; later runs read it back, so the 1 MB of generated imports/ is not
 * transpiled again on every synth (swc itself is loaded only when a file changed). Only this repository's own
 * files go through the hook (not those of node_modules). Type errors are `npm run typecheck`'s business.
 */
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const cacheDir = path.join(root, 'node_modules', '.cache', 'cdk8s-grove-ts');
const OPTIONS = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

let swc;
let salt;

/** swc's version: a new swc makes new cache keys. */
function cacheSalt() {
  if (salt === undefined) {
    const swcPackage = require.resolve('@swc/core/package.json', { paths: [root] });
    salt = `${JSON.parse(fs.readFileSync(swcPackage, 'utf8')).version}\n`;
  }
  return salt;
}

/**
 * swc's options for a file: inline source maps (node uses them when started with --enable-source-maps), except for
 * the generated imports, whose megabyte of source map node would otherwise parse on every start.
 */
function optionsFor(relative) {
  return relative.split(path.sep)[0] === 'imports' ? { ...OPTIONS, sourceMaps: false } : OPTIONS;
}

/** True for this repository's own files (not those of its dependencies). */
function ownSource(filename) {
  const relative = path.relative(root, filename);
  return !relative.startsWith('..') && !path.isAbsolute(relative) && !relative.split(path.sep).includes('node_modules');
}

function transpile(source, filename) {
  const relative = path.relative(root, filename);
  const options = optionsFor(relative);
  const key = crypto.createHash('sha256').update(cacheSalt()).update(JSON.stringify(options)).update(relative).update('\n').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // not cached yet
  }
  swc ??= require('@swc/core');
  const { code } = swc.transformSync(source, { ...options, filename });
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, code);
    fs.renameSync(temporary, cached);
  } catch {
    // a read-only tree still runs, just without the cache
  }
  return code;
}

const fallback = require.extensions['.ts'];
require.extensions['.ts'] = (module, filename) => {
  if (!ownSource(filename)) {
    if (fallback) return fallback(module, filename);
    throw new Error(`cannot load TypeScript outside this repository: ${filename}`);
  }
  module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
};
