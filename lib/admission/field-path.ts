/**
 * Kubernetes field paths (`k8s.io/apimachinery/pkg/util/validation/field.Path`): `spec.template.cliques[0].name`.
 * Immutable; every step returns a new path.
 */
export class FieldPath {
  /** A path starting at the given top-level field names: `FieldPath.of('spec', 'template')`. */
  public static of(...names: string[]): FieldPath {
    return new FieldPath('').child(...names);
  }

  private constructor(private readonly text: string) {}

  /** Appends `.name` for each name (names may contain dots or slashes, e.g. an annotation key). */
  public child(...names: string[]): FieldPath {
    let text = this.text;
    for (const name of names) {
      text = text === '' ? name : `${text}.${name}`;
    }
    return new FieldPath(text);
  }

  /** Appends `[i]`. */
  public index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }

  /** Appends `[key]` (map keys, as in `metadata.annotations[key]`). */
  public key(key: string): FieldPath {
    return new FieldPath(`${this.text}[${key}]`);
  }

  public toString(): string {
    return this.text;
  }
}
