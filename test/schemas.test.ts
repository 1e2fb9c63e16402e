/**
 * The committed JSON Schemas (`schemas/`) are generated from the zod schemas the code validates with, and say the
 * same thing: in sync with `npm run schemas`, and accepting exactly what zod accepts on real and broken files.
 */
import Ajv2020 from 'ajv/dist/2020';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { operatorConfigFileSchema } from '../lib/cli/config';
import { clusterModelFromFile } from '../lib/cluster';
import { stackConfigSchema } from '../infra/config';
import { SCHEMAS_DIR, generateSchemas } from '../scripts/schemas';

const ROOT = path.join(__dirname, '..');
const read = (file: string): any => JSON.parse(fs.readFileSync(path.join(SCHEMAS_DIR, file), 'utf8'));
const yamlFile = (...parts: string[]): any => parse(fs.readFileSync(path.join(ROOT, ...parts), 'utf8'));

const ajv = new Ajv2020({ allErrors: true, strict: true });
const stackFile = ajv.compile(read('stack-config.schema.json'));
const lintConfig = ajv.compile(read('lint-config.schema.json'));
const clusterFile = new Ajv2020({ allErrors: true, strict: false }).compile(read('cluster.schema.json'));

/** The stack file's `cdk8s-grove:*` keys as the program sees them (one entry per key, prefix removed). */
function programKeys(file: any): Record<string, unknown> {
  return Object.fromEntries(Object.entries(file.config ?? {}).filter(([k]) => k.startsWith('cdk8s-grove:')).map(([k, v]) => [k.slice('cdk8s-grove:'.length), v]));
}

describe('JSON Schemas of the configuration files', () => {
  test('schemas/ is what `npm run schemas` generates from the zod schemas', () => {
    const generated = generateSchemas();
    expect(Object.keys(generated).sort()).toEqual(fs.readdirSync(SCHEMAS_DIR).sort());
    for (const [file, text] of Object.entries(generated)) {
      expect({ file, text: fs.readFileSync(path.join(SCHEMAS_DIR, file), 'utf8') }).toEqual({ file, text });
    }
  });

  test.each(['Pulumi.dev.yaml', 'Pulumi.kind.yaml'])('infra/%s validates, as it passes zod', name => {
    const file = yamlFile('infra', name);
    expect(stackFileSchemaErrors(file)).toEqual([]);
    expect(stackConfigSchema.safeParse(programKeys(file)).success).toBe(true);
  });

  test('the stack schema refuses what zod refuses: an unknown key of this project, a wrong type, a bad enum; other namespaces pass', () => {
    const base = yamlFile('infra', 'Pulumi.dev.yaml');
    const cases: [string, any, boolean][] = [
      ['unknown key', { ...base.config, 'cdk8s-grove:gpuPool': [] }, false],
      ['wrong type', { ...base.config, 'cdk8s-grove:apps': 'qwen3-disagg' }, false],
      ['bad enum', { ...base.config, 'cdk8s-grove:mode': 'gke' }, false],
      ['unknown nested key', { ...base.config, 'cdk8s-grove:azure': { ...base.config['cdk8s-grove:azure'], sku: 'x' } }, false],
      ['another namespace', { ...base.config, 'azure-native:location': 'westeurope' }, true],
    ];
    for (const [name, config, ok] of cases) {
      const file = { ...base, config };
      // zod sees only this project's keys (as the program reads them); other namespaces are the providers'
      const zodOk = stackConfigSchema.safeParse(programKeys(file)).success;
      expect({ name, schema: stackFile(file), zod: zodOk }).toEqual({ name, schema: ok, zod: ok });
    }
  });

  test('the lint config schema accepts and refuses the same files as the zod schema', () => {
    const dir = path.join(ROOT, 'test', 'cli', 'fixtures', 'config');
    const verdicts = fs.readdirSync(dir).sort().map(f => {
      const data = yamlFile('test', 'cli', 'fixtures', 'config', f);
      return { file: f, schema: lintConfig(data), zod: operatorConfigFileSchema().safeParse(data).success };
    });
    expect(verdicts).toEqual([
      { file: 'bad-key.yaml', schema: false, zod: false },
      { file: 'tas-mnnvl.yaml', schema: true, zod: true },
    ]);
    expect(lintConfig({})).toBe(true);
    expect(lintConfig({ schedulerProfiles: ['slurm'] })).toBe(false);
  });

  test('the cluster file schema accepts and refuses the same files as the cluster model reader', () => {
    const accepts = (data: unknown): boolean => {
      try {
        clusterModelFromFile(data);
        return true;
      } catch {
        return false;
      }
    };
    const verdicts = ['cluster-h100.yaml', 'cluster-bad.yaml'].map(f => {
      const data = yamlFile('test', 'cli', 'fixtures', 'plan', f);
      return { file: f, schema: clusterFile(data), reader: accepts(data) };
    });
    expect(verdicts).toEqual([
      { file: 'cluster-h100.yaml', schema: true, reader: true },
      { file: 'cluster-bad.yaml', schema: false, reader: false },
    ]);
  });
});

function stackFileSchemaErrors(file: unknown): string[] {
  return stackFile(file) ? [] : (stackFile.errors ?? []).map(e => `${e.instancePath} ${e.message}`);
}
