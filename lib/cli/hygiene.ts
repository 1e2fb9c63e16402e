/**
 * Pod-spec hygiene checks of `lint` that Grove does not make: image pinning, secrets written inline into env
 * values (both shared with the constructs), and the GPU node taint.
 */
import { Json, isRecord, list, str } from './pcs-model';

export { imagePinning, ImagePinning, redact, secretLike } from '../private/hygiene';

/** The GPU taint AKS GPU pools carry (`nvidia.com/gpu=<value>:NoSchedule`). */
export const GPU_TAINT_KEY = 'nvidia.com/gpu';

/**
 * True when the pod tolerates a `nvidia.com/gpu` taint with effect NoSchedule, whatever its value: a toleration with
 * that key (any operator) or an empty key with `Exists`, and an empty or `NoSchedule` effect.
 */
export function toleratesGpuTaint(podSpec: Json): boolean {
  return list(podSpec.tolerations).some(t => {
    if (!isRecord(t)) return false;
    const key = str(t.key);
    const operator = str(t.operator) || 'Equal';
    const effect = str(t.effect);
    return (key === GPU_TAINT_KEY || (key === '' && operator === 'Exists')) && (effect === '' || effect === 'NoSchedule');
  });
}
