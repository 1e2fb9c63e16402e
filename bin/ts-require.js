/**
 * A require hook that runs this repository's TypeScript without type-checking it, for `npm run synth` (the
 * `app:` of cdk8s.yaml) and `npm run bench`:
 *
 *   node -r ./bin/ts-require.js apps/main.ts
 *
 * Each file is transpiled with swc once and the JavaScript kept under node_modules/.cache/, keyed by the file's
 * path, size, inode and modification time, swc's version and the options (a stat, not a read and a hash of every source
 * file: this runs on every start); later runs read it back, so the 1 MB of generated imports/ is not
 * transpiled again on every synth (swc itself is loaded only when a file changed); V8's compiled code is kept beside
 * it (see `compile`). Only this repository's own files go through the hook (not those of node_modules). Type errors
 * are `npm run typecheck`'s business.
 */
'use strict';
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

/** A short stable hash of a string (32-bit FNV-1a, hex): loading crypto for it would cost more than it hashes. */
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The cache file of a source file: its path, size, inode and mtime, under a folder named by swc's version and the options. */
function cacheFile(relative, stat, options) {
  const folder = `swc-${cacheSalt().trim()}-${fnv1a(JSON.stringify(options))}`;
  return path.join(cacheDir, folder, `${relative.split(path.sep).join('__')}-${stat.size}-${stat.ino}-${Math.round(stat.mtimeMs * 1000)}.js`);
}

function transpile(filename) {
  const relative = path.relative(root, filename);
  const options = optionsFor(relative);
  const cached = cacheFile(relative, fs.statSync(filename), options);
  try {
    return { code: fs.readFileSync(cached, 'utf8'), cached };
  } catch {
    // not cached yet
  }
  const source = fs.readFileSync(filename, 'utf8');
  swc ??= require('@swc/core');
  const { code } = swc.transformSync(source, { ...options, filename });
  try {
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, code);
    fs.renameSync(temporary, cached);
  } catch {
    // a read-only tree still runs, just without the cache
  }
  return { code, cached };
}

const Module = require('module');
const vm = require('vm');
/** Scripts whose V8 code cache is to be written when the process exits (after their functions ran and were compiled). */
const pendingCodeCaches = [];

/**
 * `module._compile(code)`, with V8's compiled code kept beside the transpiled file: compiling the JavaScript (above
 * all the megabyte of generated imports/) and each function on its first call is a good part of a cold start. The
 * code cache is made at exit, so it holds the functions the run compiled, not only the top level; V8 rejects (and
 * the next exit replaces) a cache made for other source or another V8.
 */
function compile(module, filename, code, cached) {
  const v8File = `${cached}.v8`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(v8File);
  } catch {
    // none yet
  }
  const script = new vm.Script(Module.wrap(code), { filename, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    pendingCodeCaches.push([script, v8File]);
  }
  const fn = script.runInThisContext({ displayErrors: true });
  const require = id => module.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  require.resolve.paths = request => Module._resolveLookupPaths(request, module);
  require.main = process.mainModule;
  require.cache = Module._cache;
  require.extensions = Module._extensions;
  return fn.call(module.exports, module.exports, require, module, filename, path.dirname(filename));
}

process.once('exit', () => {
  for (const [script, file] of pendingCodeCaches) {
    try {
      const temporary = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, script.createCachedData());
      fs.renameSync(temporary, file);
    } catch {
      // no cache: the next run compiles again
    }
  }
});

const fallback = require.extensions['.ts'];
require.extensions['.ts'] = (module, filename) => {
  if (!ownSource(filename)) {
    if (fallback) return fallback(module, filename);
    throw new Error(`cannot load TypeScript outside this repository: ${filename}`);
  }
  const { code, cached } = transpile(filename);
  if (process.sourceMapsEnabled) {
    module._compile(code, filename); // node reads the inline source map only on its own path
  } else {
    compile(module, filename, code, cached);
  }
};
