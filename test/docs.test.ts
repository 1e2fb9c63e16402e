/**
 * House rule: every prop of the public props interfaces (`*Props`, `*Options`, `*Args`, `OperatorConfig`, ...)
 * under lib/ and infra/ has a JSDoc summary, and every optional one a `@default`. (A missing `@default` is how
 * documentation drifts.)
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

function undocumented(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const missing: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isInterfaceDeclaration(node) && node.modifiers?.some(m => m.kind === ts.SyntaxKind.ExportKeyword)
      && /(Props|Options|Args|Config|Request)$/.test(node.name.text) && !/^(Resolved|Parsed)/.test(node.name.text)) {
      for (const member of node.members) {
        if (!ts.isPropertySignature(member)) continue;
        const docs = ts.getJSDocCommentsAndTags(member).map(d => d.getText()).join('\n');
        const where = `${path.relative(ROOT, file)}: ${node.name.text}.${member.name.getText()}`;
        if (docs.trim() === '') {
          missing.push(`${where} has no JSDoc`);
        } else if (member.questionToken && !/@default\b/.test(docs)) {
          missing.push(`${where} is optional but has no @default`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return missing;
}

test('every exported prop is documented, and every optional one has @default', () => {
  const files = [...sourceFiles(path.join(ROOT, 'lib')), ...sourceFiles(path.join(ROOT, 'infra'))]
    .filter(f => !f.includes(`${path.sep}private${path.sep}`));
  expect(files.length).toBeGreaterThan(20);
  expect(files.flatMap(undocumented)).toEqual([]);
});
