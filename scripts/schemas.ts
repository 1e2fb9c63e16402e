/**
 * Generates the JSON Schemas of the configuration files a user writes, from the zod schemas the code validates them
 * with (one source of truth; `test/schemas.test.ts` fails when the committed files are stale):
 * - `schemas/stack-config.schema.json`: a Pulumi stack file (`infra/Pulumi.<stack>.yaml`), its `cdk8s-grove:*` keys
 *   from `stackConfigSchema` (infra/config.ts);
 * - `schemas/lint-config.schema.json`: the operator configuration of `cdk8s-grove lint --config FILE` (and plan),
 *   from `operatorConfigFileSchema()` (lib/cli/config.ts);
 * - `schemas/cluster.schema.json`: the cluster file of `plan`/`rollout`/`lint --cluster FILE`, from the cluster
 *   model's file schema (`clusterFileJsonSchema()`, lib/cluster/file.ts).
 *
 * Run `npm run schemas` after changing either zod schema.
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { operatorConfigFileSchema } from '../lib/cli/config';
import { clusterFileJsonSchema } from '../lib/cluster';
import { PROJECT, stackConfigSchema } from '../infra/config';

export const SCHEMAS_DIR = path.join(__dirname, '..', 'schemas');
const ID_BASE = 'https://unpkg.com/cdk8s-grove/schemas/';

type JsonSchema = { [key: string]: unknown };

/** What the config files accept as written (defaults make keys optional): zod's input side. */
function fromZod(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as JsonSchema;
}

/** The Pulumi stack file: Pulumi's own top-level keys, and under `config` one `cdk8s-grove:KEY` per stack config key. */
function stackFileSchema(): JsonSchema {
  const keys = fromZod(stackConfigSchema);
  const properties = keys.properties as { [key: string]: JsonSchema };
  const names = Object.keys(properties).map(k => `${PROJECT}:${k}`);
  return {
    $schema: keys.$schema,
    $id: `${ID_BASE}stack-config.schema.json`,
    title: 'cdk8s-grove Pulumi stack configuration (Pulumi.<stack>.yaml)',
    description: `The ${PROJECT}:* keys the infra/ program reads; keys of other namespaces (e.g. azure-native:location) are left to their providers.`,
    type: 'object',
    properties: {
      config: {
        type: 'object',
        properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [`${PROJECT}:${k}`, v])),
        // Keys of this project that the program does not know are errors; other namespaces are not ours to check.
        propertyNames: { anyOf: [{ not: { pattern: `^${PROJECT}:` } }, { enum: names }] },
      },
      encryptionsalt: { type: 'string' },
      secretsprovider: { type: 'string' },
      encryptedkey: { type: 'string' },
    },
    // zod's references point at the root's $defs
    ...(keys.$defs === undefined ? {} : { $defs: keys.$defs }),
  };
}

function lintConfigSchema(): JsonSchema {
  const schema = fromZod(operatorConfigFileSchema());
  const { $schema, ...rest } = schema;
  return { $schema, $id: `${ID_BASE}lint-config.schema.json`, title: 'cdk8s-grove lint --config FILE', ...rest };
}

function clusterSchema(): JsonSchema {
  const { $schema, ...rest } = clusterFileJsonSchema();
  return { $schema, $id: `${ID_BASE}cluster.schema.json`, title: 'cdk8s-grove cluster file (plan, rollout, lint --cluster FILE)', ...rest };
}

/** Every generated schema: file name -> its text, as committed. */
export function generateSchemas(): { [file: string]: string } {
  return {
    'stack-config.schema.json': `${JSON.stringify(stackFileSchema(), null, 2)}\n`,
    'lint-config.schema.json': `${JSON.stringify(lintConfigSchema(), null, 2)}\n`,
    'cluster.schema.json': `${JSON.stringify(clusterSchema(), null, 2)}\n`,
  };
}

if (require.main === module) {
  fs.mkdirSync(SCHEMAS_DIR, { recursive: true });
  for (const [file, text] of Object.entries(generateSchemas())) {
    fs.writeFileSync(path.join(SCHEMAS_DIR, file), text);
    process.stdout.write(`wrote schemas/${file}\n`);
  }
}
