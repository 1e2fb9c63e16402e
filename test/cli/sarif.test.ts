import Ajv from 'ajv-draft-04';
import { CRDS_DIR, FIXTURES, cli, cliProcess } from './support';

/**
 * The OASIS SARIF 2.1.0 JSON schema (draft-04), final `rtm.5` revision, as Microsoft's sarif-js-sdk ships it in
 * @microsoft/jest-sarif (lib/schemas/sarif-2.1.0-rtm.5.json).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SARIF_2_1_0_SCHEMA = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

/**
 * `unicodeRegExp: false`: one pattern of the published schema (`language`, `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`)
 * has a stray `]` that is an error in a Unicode-mode regular expression; compiled as a plain one it means what it did
 * for the schema's authors.
 */
const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(SARIF_2_1_0_SCHEMA);

function schemaErrors(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map(e => `${e.instancePath} ${e.message}`);
}

const CRD_ARGS = CRDS_DIR === undefined ? [] : ['--crds', CRDS_DIR];

describe('lint --format sarif', () => {
  // The broken fixtures give errors and warnings; an LLM app without its cluster objects declared gives infos
  // (the Dynamo reference checks), so every SARIF level is exercised.
  const broken = [`${FIXTURES}/broken`, 'dist/qwen3-disagg.k8s.yaml', ...CRD_ARGS];
  let sarif: ReturnType<typeof cli>;
  let json: ReturnType<typeof cli>;
  beforeAll(() => {
    sarif = cli(['lint', '--format', 'sarif', ...broken]);
    json = cli(['lint', '--format', 'json', ...broken]);
  });

  test('validates against the SARIF 2.1.0 schema, with one result per finding (file, line, rule id, severity)', () => {
    expect(sarif.status).toBe(1);
    expect(sarif.status).toBe(json.status);
    const log = JSON.parse(sarif.stdout);
    expect(schemaErrors(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    const findings: any[] = JSON.parse(json.stdout).findings;
    const results: any[] = log.runs[0].results;
    expect(findings.length).toBeGreaterThan(10);
    expect(results.map(r => ({
      rule: r.ruleId,
      level: r.level,
      uri: r.locations[0].physicalLocation.artifactLocation.uri,
      line: r.locations[0].physicalLocation.region.startLine,
    }))).toEqual(findings.map(f => ({
      rule: f.rule,
      level: { error: 'error', warning: 'warning', info: 'note' }[f.severity as string],
      uri: f.file,
      line: f.line,
    })));
    for (const [i, r] of results.entries()) {
      expect(log.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.message.text).toContain(findings[i].message);
    }
    expect(new Set(results.map(r => r.level))).toEqual(new Set(['error', 'warning', 'note']));
  });

  test('the schema check has teeth: a log without version or with a bad level fails it', () => {
    const log = JSON.parse(sarif.stdout);
    expect(schemaErrors({ ...log, version: undefined })).not.toEqual([]);
    const badLevel = { ...log, runs: [{ ...log.runs[0], results: [{ ...log.runs[0].results[0], level: 'fatal' }] }] };
    expect(schemaErrors(badLevel).join('\n')).toContain('/runs/0/results/0/level');
  });

  test('a clean input is a valid log with no results, and exit 0', () => {
    const run = cli(['lint', '-f', 'sarif', `${FIXTURES}/clean`, '--tas']);
    const log = JSON.parse(run.stdout);
    expect(schemaErrors(log)).toEqual([]);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules).toEqual([]);
    expect(run.status).toBe(0);
  });

  test('stdin input: results without a file location, still valid', () => {
    const run = cli(['lint', '-f', 'sarif', '-'], { input: 'apiVersion: grove.io/v1alpha1\nkind: PodCliqueSet\nmetadata: { name: x }\nspec: {}\n' });
    const log = JSON.parse(run.stdout);
    expect(schemaErrors(log)).toEqual([]);
    expect(log.runs[0].results.length).toBeGreaterThan(0);
    expect(log.runs[0].results.every((r: any) => r.locations[0].physicalLocation === undefined)).toBe(true);
  });

  test('through the real command', () => {
    const run = cliProcess(['lint', '--format', 'sarif', `${FIXTURES}/broken/image-latest.yaml`]);
    const log = JSON.parse(run.stdout);
    expect(schemaErrors(log)).toEqual([]);
    expect(log.runs[0].results.map((r: any) => r.ruleId)).toContain('image-tag');
  });
});
