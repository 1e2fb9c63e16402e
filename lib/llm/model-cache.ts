import { Volume } from '../grove/volume';

/** A claim the service emits for its model cache. */
export interface ModelCacheClaimOptions {
  /** A storage class that provisions ReadWriteMany volumes (e.g. `azurefile-csi-premium`, or an Azure Managed Lustre class). */
  readonly storageClassName: string;
  /** Requested size, e.g. `500Gi`. */
  readonly size: string;
  /**
   * Where it is mounted; also `HF_HOME`.
   * @default '/opt/models'
   */
  readonly mountPath?: string;
}

/**
 * Where model weights are cached so pods do not download them on every start. Mounted into every pod of the
 * service; `HF_HOME` points at it.
 */
export class ModelCache {
  /** An existing PersistentVolumeClaim (ReadWriteMany, e.g. Azure Files or Azure Managed Lustre). */
  public static persistentVolumeClaim(claimName: string, options: { readonly mountPath?: string } = {}): ModelCache {
    return new ModelCache(Volume.persistentVolumeClaim('model-cache', claimName), options.mountPath ?? '/opt/models');
  }

  /**
   * A new ReadWriteMany PersistentVolumeClaim the service emits (before its PodCliqueSet), so the cluster needs only the
   * storage class. Every pod of the service mounts it, on several nodes, hence ReadWriteMany.
   */
  public static newPersistentVolumeClaim(claimName: string, options: ModelCacheClaimOptions): ModelCache {
    return new ModelCache(Volume.persistentVolumeClaim('model-cache', claimName), options.mountPath ?? '/opt/models',
      { claimName, storageClassName: options.storageClassName, size: options.size });
  }

  /** A directory on the node (e.g. the local NVMe of ND-series VMs). */
  public static hostPath(path: string, options: { readonly mountPath?: string } = {}): ModelCache {
    return new ModelCache(Volume.hostPath('model-cache', path, 'DirectoryOrCreate'), options.mountPath ?? '/opt/models');
  }

  private constructor(
    /** The pod volume. */
    public readonly volume: Volume,
    /** Where it is mounted; also `HF_HOME`. */
    public readonly mountPath: string,
    /** The claim the service emits, for `newPersistentVolumeClaim`. */
    public readonly emittedClaim?: { readonly claimName: string; readonly storageClassName: string; readonly size: string },
  ) {}
}
