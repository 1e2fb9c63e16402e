import { Volume } from '../grove/volume';

/**
 * Where model weights are cached so pods do not download them on every start. Mounted into every pod of the
 * service; `HF_HOME` points at it.
 */
export class ModelCache {
  /** An existing PersistentVolumeClaim (ReadWriteMany, e.g. Azure Files or Azure Managed Lustre). */
  public static persistentVolumeClaim(claimName: string, options: { readonly mountPath?: string } = {}): ModelCache {
    return new ModelCache(Volume.persistentVolumeClaim('model-cache', claimName), options.mountPath ?? '/opt/models');
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
  ) {}
}
