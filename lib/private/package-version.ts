import * as fs from 'fs';
import * as path from 'path';

/**
 * This package's version, from its package.json, found upward from this file: the same in the sources
 * (`lib/private/`) and compiled (`out/lib/private/`). `undefined` if it cannot be read.
 */
export function packageVersion(): string | undefined {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
        if (pkg.name === 'cdk8s-grove' && typeof pkg.version === 'string') return pkg.version;
      } catch {
        // not a readable package.json: keep looking
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}
