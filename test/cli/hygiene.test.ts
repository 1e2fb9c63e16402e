import { imagePinning, redact, secretLike, toleratesGpuTaint } from '../../lib/cli/hygiene';

test.each([
  ['nginx', 'untagged'],
  ['nginx:latest', 'latest'],
  ['nginx:1.27', 'tag'],
  ['registry.example.com:5000/team/app', 'untagged'],
  ['registry.example.com:5000/team/app:v2', 'tag'],
  ['nvcr.io/nvidia/ai-dynamo/vllm-runtime@sha256:0123', 'digest'],
  ['repo:1.0@sha256:0123', 'digest'],
])('imagePinning(%s) = %s', (image, expected) => {
  expect(imagePinning(image)).toBe(expected);
});

test.each([
  ['HF_TOKEN', 'hf_abcdefghijklmnopqrstuvwxyz012345', 'a Hugging Face token (hf_...)'],
  ['ANYTHING', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'a GitHub token (ghp_...)'],
  ['NGC_API_KEY', 'nvapi-abcdefghijklmnopqrstuvwxyz', 'an NVIDIA API key (nvapi-...)'],
  ['DB_PASSWORD', '0123456789abcdef0123456789abcdef', 'a long hex string'],
  ['WANDB_API_KEY', 'dGhpcyBpcyBub3QgYSByZWFsIGtleSAxMjM0NTY3OA==', 'a long base64 string'],
  ['HF_TOKEN', '$(HF_TOKEN_FROM_SECRET)', undefined],
  ['HF_TOKEN_PATH', '/var/run/secrets/Token1/hf-token-file', undefined],
  ['KV_CACHE_KEY_PREFIX', 'llama', undefined],
  ['MODEL', 'RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic', undefined],
  ['UCX_NET_DEVICES', 'mlx5_0:1,mlx5_1:1,mlx5_2:1,mlx5_3:1', undefined],
])('secretLike(%s, %s)', (name, value, expected) => {
  expect(secretLike(name, value)).toBe(expected);
});

test('redact shows at most a quarter of the value, never all of it', () => {
  expect(redact('hf_abcdefghijklmnop')).toBe('hf_a...');
  expect(redact('abc')).toBe('...');
});

test.each([
  [[{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }], true],
  [[{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }], true],
  [[{ key: 'nvidia.com/gpu', operator: 'Exists' }], true],
  [[{ operator: 'Exists' }], true],
  [[{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoExecute' }], false],
  [[{ key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], false],
  [undefined, false],
])('toleratesGpuTaint(%j) = %s', (tolerations, expected) => {
  expect(toleratesGpuTaint(tolerations === undefined ? {} : { tolerations })).toBe(expected);
});
