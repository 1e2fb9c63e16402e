/**
 * The shape of a CRD as the generated schema modules (`lib/schema/generated/`) hold it.
 */

/** One version of a generated CRD. */
export interface GeneratedCrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  /** `schema.openAPIV3Schema`, descriptions dropped. */
  readonly schema: Record<string, unknown>;
  /** `subresources` (`scale.specReplicasPath`, `status`). */
  readonly subresources: {
    readonly scale?: { readonly specReplicasPath?: string; readonly statusReplicasPath?: string; readonly labelSelectorPath?: string };
    readonly status?: Record<string, never>;
  };
}

/** One generated CRD. */
export interface GeneratedCrd {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  /** `Namespaced` or `Cluster`. */
  readonly scope: string;
  readonly versions: readonly GeneratedCrdVersion[];
}
