/**
 * A cdk8s validation plugin: `cdk8s synth` runs `cdk8s-grove lint` on the manifests it just wrote, when the app's
 * `cdk8s.yaml` lists it under `validations:`.
 *
 * The contract is cdk8s-cli's (`Validation` and `ValidationContext` in cdk8s-cli's lib/plugins/validation.ts):
 * the CLI loads the package, instantiates the named class with the entry's `properties`, and calls
 * `validate(context)`. The types below are the parts of that contract this plugin uses, written out so that the
 * package does not depend on cdk8s-cli.
 */
import { GroveValidationError } from './errors';

/** A resource that breaks a rule (cdk8s-cli's `ValidationViolatingResource`). */
export interface ValidationViolatingResource {
  /** The resource's `metadata.name`: cdk8s maps it to the construct path. */
  readonly resourceName: string;
  /** Field paths in the resource. */
  readonly locations: readonly string[];
  /** The manifest file it is in. */
  readonly manifestPath: string;
}

/** One broken rule (cdk8s-cli's `ValidationViolation`). */
export interface ValidationViolation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: readonly ValidationViolatingResource[];
}

/** What cdk8s-cli passes to `validate()` (the parts used here). */
export interface ValidationContextLike {
  /** The synthesized manifest files. */
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(violation: ValidationViolation): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
  readonly logger: { log(message: string): void };
}

/** The `properties:` of the plugin's entry in `cdk8s.yaml`. */
export interface GroveLintValidationProps {
  /**
   * More `cdk8s-grove lint` options, exactly as on the command line, e.g. `['--strict', '--kai-queue', 'inference']`
   * or `['--config', 'grove-lint.yaml']` (paths relative to the directory `cdk8s synth` runs in).
   * @default - none: the stock Grove operator configuration, warnings do not fail
   */
  readonly args?: readonly string[];
}

/**
 * Runs `cdk8s-grove lint` on what `cdk8s synth` wrote; the synth fails when lint does (errors, or warnings with
 * `--strict`). Every finding becomes a violation of the report, named after its check and severity.
 *
 * In `cdk8s.yaml`, with cdk8s-grove installed in the app:
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-grove
 *     version: 0.1.0
 *     class: GroveLintValidation
 *     properties:
 *       args: [--strict, --kai-queue, inference]
 * ```
 */
export class GroveLintValidation {
  private readonly args: readonly string[];

  constructor(props: GroveLintValidationProps = {}) {
    const args = props?.args ?? [];
    if (!Array.isArray(args) || !args.every(a => typeof a === 'string')) {
      // cdk8s-cli passes the props from YAML, so they are not type-checked.
      throw new GroveValidationError([{
        constructPath: 'cdk8s.yaml validations[GroveLintValidation]', field: 'properties.args', message: 'must be a list of strings', value: args,
        fix: 'write the lint options as a YAML list, e.g. `args: [--strict]`',
      }]);
    }
    this.args = args;
  }

  public async validate(context: ValidationContextLike): Promise<void> {
    // Loaded here, not at the top: an app that imports cdk8s-grove does not pay for the command.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { main, processIo } = require('./cli/main') as typeof import('./cli/main');
    let stdout = '';
    let stderr = '';
    const status = main(['lint', ...this.args, '--format', 'json', ...context.manifests], {
      ...processIo(),
      stdout: text => { stdout += text; },
      stderr: text => { stderr += text; },
    });
    if (stdout === '') {
      // bad usage: nothing was linted
      context.logger.log(stderr.trimEnd());
      context.report.addViolation({ ruleName: 'cdk8s-grove lint: usage', recommendation: stderr.trim(), fix: 'correct properties.args of the plugin in cdk8s.yaml', violatingResources: [] });
      context.report.submit('failure');
      return;
    }
    const report = JSON.parse(stdout) as LintJson;
    for (const f of report.findings) {
      const name = f.object.includes('/') ? f.object.slice(f.object.indexOf('/') + 1) : f.object;
      context.report.addViolation({
        ruleName: `${f.rule} (${f.severity})`,
        recommendation: `${f.file}:${f.line} ${f.object}${f.field === '' ? '' : ` ${f.field}`}: ${f.message}`,
        fix: f.fix ?? '-',
        violatingResources: [{ resourceName: name, locations: f.field === '' ? [] : [f.field], manifestPath: f.file }],
      });
    }
    const s = report.summary;
    context.report.submit(status === 0 ? 'success' : 'failure', {
      errors: String(s.errors), warnings: String(s.warnings), strict: String(report.strict),
    });
  }
}

/** The parts of `lint --format json` read here. */
interface LintJson {
  readonly strict: boolean;
  readonly summary: { readonly errors: number; readonly warnings: number };
  readonly findings: readonly {
    readonly severity: string; readonly file: string; readonly line: number; readonly object: string;
    readonly field: string; readonly message: string; readonly fix?: string; readonly rule: string;
  }[];
}
