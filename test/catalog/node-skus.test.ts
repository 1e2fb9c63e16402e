import { GroveValidationError } from '../../lib/errors';
import { AKS_IB_RDMA_RESOURCE, findNodeSku, nodeSku, nodeSkus, quotaVcpus } from '../../lib/catalog';
import { describeWithReference, readReference, readReferenceYaml } from '../support/reference';

describe('nodeSku', () => {
  test('ND96isr_H100_v5 carries the AKS.md facts', () => {
    expect(nodeSku('Standard_ND96isr_H100_v5')).toEqual({
      name: 'Standard_ND96isr_H100_v5',
      gpuModel: 'NVIDIA H100 80GB (SXM5, NVLink 4.0)',
      gpusPerNode: 8,
      gpuMemoryGiB: 80,
      nvlinkDomainGpus: 8,
      infiniband: true,
      infinibandHcas: 8,
      infinibandGbpsPerHca: 400,
      vcpus: 96,
      memoryGiB: 1900,
      cpuArchitecture: 'amd64',
      quotaFamily: 'standardNDSH100v5Family',
      rdmaResource: 'rdma/ib',
      ucxNetDevices: 'mlx5_0:1,mlx5_1:1,mlx5_2:1,mlx5_3:1',
      unverified: [],
    });
  });

  test.each([
    ['Standard_ND96isr_H200_v5', 8, 141, 8, 400, 'amd64'],
    ['Standard_ND96asr_v4', 8, 40, 8, 200, 'amd64'],
    ['Standard_ND96amsr_A100_v4', 8, 80, 8, 200, 'amd64'],
    ['Standard_NC80adis_H100_v5', 2, 94, 0, 0, 'amd64'],
    ['Standard_ND128isr_NDR_GB200_v6', 4, 186, 4, 400, 'arm64'],
  ])('%s: %i GPUs of %i GiB, %i HCAs x %i Gb/s, %s', (name, gpus, mem, hcas, gbps, arch) => {
    const sku = nodeSku(name);
    expect([sku.gpusPerNode, sku.gpuMemoryGiB, sku.infinibandHcas, sku.infinibandGbpsPerHca, sku.cpuArchitecture]).toEqual([gpus, mem, hcas, gbps, arch]);
    expect(sku.infiniband).toBe(hcas > 0);
    expect(sku.rdmaResource === undefined).toBe(!sku.infiniband);
  });

  test('GB200 shares an NVLink domain across the NVL72 rack', () => {
    expect(nodeSku('Standard_ND128isr_NDR_GB200_v6').nvlinkDomainGpus).toBe(72);
  });

  test('names are case-insensitive, as in Azure', () => {
    expect(nodeSku('standard_nd96isr_h100_v5').name).toBe('Standard_ND96isr_H100_v5');
    expect(findNodeSku('STANDARD_ND96ASR_V4')?.gpuMemoryGiB).toBe(40);
  });

  test('fails for unknown SKUs, listing the known ones', () => {
    let error: GroveValidationError | undefined;
    try {
      nodeSku('Standard_ND96isr_H100_v9');
    } catch (e) {
      error = e as GroveValidationError;
    }
    expect(error).toBeInstanceOf(GroveValidationError);
    expect(error?.problems[0]).toMatchObject({ field: 'sku', message: 'unknown GPU node SKU', value: 'Standard_ND96isr_H100_v9' });
    for (const s of nodeSkus()) {
      expect(error?.problems[0].fix).toContain(s.name);
    }
    expect(findNodeSku('nope')).toBeUndefined();
  });

  test('every entry is consistent', () => {
    for (const s of nodeSkus()) {
      expect(s.nvlinkDomainGpus).toBeGreaterThanOrEqual(s.gpusPerNode);
      expect(s.infiniband).toBe(s.infinibandHcas > 0 && s.infinibandGbpsPerHca > 0);
      expect(s.quotaFamily).toMatch(/^standard[A-Za-z0-9_]+Family$/);
      for (const field of s.unverified) {
        expect(Object.keys(s)).toContain(field);
      }
    }
    expect(new Set(nodeSkus().map(s => s.name.toLowerCase())).size).toBe(nodeSkus().length);
  });

  test('quotaVcpus counts vCPUs per node', () => {
    expect(quotaVcpus('Standard_ND96isr_H100_v5', 4)).toBe(384);
    expect(quotaVcpus('Standard_NC80adis_H100_v5', 3)).toBe(240);
  });
});

describeWithReference('node SKU facts against the reference notes', () => {
  test('H100 numbers appear in AKS.md', () => {
    const aks = readReference('aks', 'AKS.md');
    expect(aks).toContain('8 × NVIDIA H100 80 GB');
    expect(aks).toContain('| RAM | 1900 GiB |');
    expect(aks).toContain('96 vCPUs');
    expect(aks).toContain('One dedicated 400 Gb/s');
    expect(aks).toContain('`standardNDSH100v5Family`');
  });

  test('the RDMA resource and UCX devices are the ones the Dynamo AKS IB recipe uses', () => {
    const [recipe] = readReferenceYaml('dynamo', 'recipes', 'addons_providers_aks-ib.yaml');
    expect(Object.keys(recipe.device)).toEqual([AKS_IB_RDMA_RESOURCE]);
    expect(recipe.env.UCX_NET_DEVICES).toBe(nodeSku('Standard_ND96isr_H100_v5').ucxNetDevices);
  });
});
