import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ALLOW_UTILIZATION_AUTOSCALING_ANNOTATION, DYNAMO_RUNTIME_UID, EVENT_PLANE_ENV, SecurityProfile, ServiceRequirements,
  componentLabels, eventPlaneFor, requirementsOf,
} from './contract';
import { Discovery } from './discovery';
import { containerSecurityContext, podDefaults } from './pod-defaults';
import * as engines from './engines';
import { renderLaunch } from './launch';
import { LlmEngine } from './llm-engine';
import { LlmWorkerLayout, LlmWorkerRole, ScaleTarget, workerFitProblems, workerResources } from './llm-worker-role';
import { LlmServiceProps } from './llm-service-props';
import { ServiceObjectContext, renderComponentService, renderModelCacheClaim, renderNetworkPolicies, renderServiceAccount } from './service-objects';
import { RoleRequest, autoscalingProblems, disaggregationProblems, roleKey } from './service-problems';
import { estimateModelMemoryGiB, findModel, NodeSku, nodeSku } from '../catalog';
import { GroveValidationError, ValidationProblem } from '../errors';
import { EnvValue } from '../grove/container';
import { PodClique, PodCliqueOptions } from '../grove/pod-clique';
import { PodCliqueSet } from '../grove/pod-clique-set';
import { GPU_TOLERATION } from '../grove/volume';
import { MAX_COMBINED_NAME_LENGTH, toDnsLabel } from '../private/names';
import { integerProblems } from '../private/validation';

export * from './llm-service-props';

/** The GPU node SKU cdk8s-grove places GPU pods on unless told otherwise. */
export const DEFAULT_NODE_SKU = 'Standard_ND96isr_H100_v5';

/** Fraction of each GPU's memory the engines may use (vLLM's `--gpu-memory-utilization` default). */
const GPU_MEMORY_UTILIZATION = 0.9;


/**
 * The common base of `DisaggregatedLlm` and `AggregatedLlm`: a Dynamo frontend plus worker roles in one Grove
 * PodCliqueSet, the Services the Dynamo runtime discovers, the ServiceAccount and RBAC for Kubernetes
 * discovery, and NetworkPolicies. Every child is a public property you can adjust.
 */
export abstract class LlmService extends Construct {
  /** The PodCliqueSet holding every role. */
  public readonly podCliqueSet: PodCliqueSet;
  /** The frontend clique. */
  public readonly frontend: PodClique;
  /** The Service in front of the frontend (port 8000, `http`). */
  public readonly frontendService: ApiObject;
  /** The ServiceAccount every pod runs as. */
  public readonly serviceAccount: ApiObject;
  /** The service name (PodCliqueSet name). */
  public readonly name: string;
  /** The node SKU GPU pods run on. */
  public readonly nodeSku: NodeSku;
  /** The engine. */
  public readonly engine: LlmEngine;
  /** The Dynamo namespace the components share. */
  public readonly dynamoNamespace: string;

  private readonly props: LlmServiceProps;
  private readonly namespace?: string;
  private readonly discovery: Discovery;
  private readonly infiniband: boolean;
  private readonly _roles: LlmWorkerRole[] = [];

  protected constructor(scope: Construct, id: string, props: LlmServiceProps, roles: RoleRequest[]) {
    super(scope, id);
    this.props = props;
    this.name = props.name ?? toDnsLabel(id);
    this.engine = props.engine ?? LlmEngine.vllm();
    this.discovery = props.discovery ?? Discovery.kubernetes();
    this.namespace = props.namespace;
    this.dynamoNamespace = `${props.namespace ?? Chart.of(this).namespace ?? 'default'}-${this.name}`;

    const sku = nodeSku(props.nodeSku ?? DEFAULT_NODE_SKU);
    this.nodeSku = sku;
    this.infiniband = props.infiniband ?? sku.infiniband;
    const layouts = roles.map(r => this.layoutOf(r));
    const problems = [
      ...this.serviceProblems(),
      ...this.nameProblems(roles, layouts),
      ...roles.flatMap((r, i) => this.roleProblems(r, layouts[i])),
      ...roles.flatMap(r => autoscalingProblems(this.node.path, r)),
    ];
    if (roles.length === 2) {
      problems.push(...disaggregationProblems(this.node.path, this.engine, roles));
    }
    if (problems.length > 0) {
      throw new GroveValidationError(problems);
    }

    this.podCliqueSet = new PodCliqueSet(this, 'Service', {
      metadata: { name: this.name, namespace: this.namespace, labels: { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/managed-by': 'cdk8s-grove' } },
      replicas: props.replicas ?? 1,
      scheduler: props.scheduler,
      publishNotReadyAddresses: true,
    });
    this.serviceAccount = renderServiceAccount(this.objectContext);
    if (props.modelCache?.emittedClaim) {
      renderModelCacheClaim(this.objectContext, props.modelCache.emittedClaim);
    }
    this.frontend = this.addFrontend();
    this.frontendService = renderComponentService(this.objectContext, engines.ServingRole.FRONTEND, 'frontend', { name: engines.DynamoPortName.HTTP, port: engines.DynamoPort.HTTP });
    for (const [i, r] of roles.entries()) {
      this._roles.push(this.addWorkerRole(r, layouts[i]));
    }
    if (props.networkPolicies ?? true) {
      renderNetworkPolicies(this.objectContext, props.monitoringNamespace === null ? undefined : props.monitoringNamespace ?? 'monitoring');
    }
    // Everything the pods rely on comes before the PodCliqueSet in the output (and in apply order).
    const pcs = ApiObject.of(this.podCliqueSet);
    pcs.addDependency(...this.node.children.filter((c): c is ApiObject => c instanceof ApiObject));
  }

  /**
   * What the service needs from the cluster and does not emit: the `DynamoWorkerMetadata` CRD (Kubernetes discovery),
   * the Hugging Face Secret and its key, TRT-LLM's SSH Secret, the model-cache claim and its access mode, the KAI
   * queue, etcd/NATS endpoints. Plain data, for `cdk8s-grove lint --present` and the Pulumi program.
   */
  public requirements(): ServiceRequirements {
    const r = requirementsOf([ApiObject.of(this.podCliqueSet).toJson()]);
    const emitted = this.props.modelCache?.emittedClaim?.claimName;
    return { ...r, claims: r.claims.filter(c => c.name !== emitted) };
  }

  /** The worker roles. */
  public get roles(): LlmWorkerRole[] {
    return [...this._roles];
  }

  /**
   * Every object an autoscaler scales, with the names Grove gives them (wire KEDA or the Dynamo Planner to these):
   * the frontend and single-node roles are PodCliques, multi-node roles PodCliqueScalingGroups.
   */
  public get scaleTargets(): ScaleTarget[] {
    const replicas = this.podCliqueSet.replicas;
    const frontend = Array.from({ length: replicas }, (_, i) => ({
      role: 'frontend', apiVersion: 'grove.io/v1alpha1' as const, kind: 'PodClique' as const, name: this.frontend.podCliqueName(i), podCliqueSetReplica: i,
    }));
    return [...frontend, ...this._roles.flatMap(r => r.scaleTargets(replicas))];
  }

  /**
   * Adds another component (e.g. a vision encoder) to the service: a clique in the same PodCliqueSet, with the
   * service's labels, ServiceAccount and model cache.
   */
  public addComponent(id: string, options: PodCliqueOptions): PodClique {
    const name = options.name ?? toDnsLabel(id);
    return this.podCliqueSet.addClique(id, {
      ...podDefaults({}),
      ...options,
      labels: { ...this.componentLabels(name, name), ...options.labels },
      serviceAccountName: options.serviceAccountName ?? this.serviceAccount.name,
      automountServiceAccountToken: options.automountServiceAccountToken ?? this.needsApiToken,
      volumes: [...(this.props.modelCache ? [this.props.modelCache.volume] : []), ...(options.volumes ?? [])],
    });
  }

  private get needsApiToken(): boolean {
    return this.discovery.backend === 'kubernetes';
  }

  private get effectiveNamespace(): string {
    return this.namespace ?? Chart.of(this).namespace ?? 'default';
  }

  private get objectContext(): ServiceObjectContext {
    return {
      scope: this, name: this.name, namespace: this.namespace, effectiveNamespace: this.effectiveNamespace,
      dynamoNamespace: this.dynamoNamespace, kubernetesDiscovery: this.needsApiToken, labels: { 'app.kubernetes.io/name': this.name },
    };
  }

  private layoutOf(r: RoleRequest): LlmWorkerLayout {
    const gpusPerInstance = this.engine.spec.instanceGpus({
      tensorParallel: r.options.tensorParallel ?? 1, pipelineParallel: r.options.pipelineParallel ?? 1, dataParallel: r.options.dataParallel,
    });
    const nodeGpus = r.options.gpusPerNode ?? this.nodeSku.gpusPerNode;
    if (gpusPerInstance <= nodeGpus) {
      return { gpusPerInstance, nodesPerInstance: 1, gpusPerPod: gpusPerInstance };
    }
    return { gpusPerInstance, nodesPerInstance: Math.ceil(gpusPerInstance / nodeGpus), gpusPerPod: nodeGpus };
  }

  private serviceProblems(): ValidationProblem[] {
    const path = this.node.path;
    const problems: ValidationProblem[] = [];
    const queue = this.props.scheduler?.schedulerName === 'kai-scheduler' ? this.props.scheduler.queue : undefined;
    if (queue !== undefined && queue.trim() === '') {
      problems.push({ constructPath: path, field: 'scheduler', message: 'KAI needs a queue to charge the workload to', value: queue, fix: "name the KAI queue, e.g. Scheduler.kai({ queue: 'inference' })" });
    }
    if (this.props.monitoringNamespace === '') {
      problems.push({ constructPath: path, field: 'monitoringNamespace', message: 'must name the namespace Prometheus runs in', value: '', fix: "name it (e.g. 'monitoring'), or pass null to open no scrape rule" });
    }
    if (this.props.model.trim() === '') {
      problems.push({ constructPath: path, field: 'model', message: 'must name a model', value: this.props.model, fix: "use a Hugging Face id such as 'Qwen/Qwen3-0.6B'" });
    }
    if (this.dynamoNamespace.length > 63) {
      problems.push({
        constructPath: path, field: 'name',
        message: `the Dynamo namespace '<namespace>-<name>' becomes a label value, which Kubernetes limits to 63 characters; '${this.dynamoNamespace}' has ${this.dynamoNamespace.length}`,
        value: this.name, fix: `shorten the name or the namespace by ${this.dynamoNamespace.length - 63} characters`,
      });
    }
    problems.push(...integerProblems(path, 'replicas', this.props.replicas, 0));
    problems.push(...integerProblems(path, 'frontend.replicas', this.props.frontend?.replicas, 1));
    return problems;
  }

  /** Grove's 45-character budget, checked for the longest PodCliqueSet + scaling group + clique combination. */
  private nameProblems(roles: RoleRequest[], layouts: LlmWorkerLayout[]): ValidationProblem[] {
    const components = [
      ['frontend'],
      ...roles.map((r, i) => {
        const c = engines.DEFAULT_COMPONENT_NAME[r.role];
        return layouts[i].nodesPerInstance === 1 ? [c] : [c, `${c}-ldr`];
      }),
    ];
    const longest = components.reduce((a, b) => (b.join('').length > a.join('').length ? b : a));
    const budget = MAX_COMBINED_NAME_LENGTH - longest.join('').length;
    if (this.name.length <= budget) {
      return [];
    }
    return [{
      constructPath: this.node.path, field: 'name',
      message: `Grove limits the combined length of PodCliqueSet, scaling group and clique names to ${MAX_COMBINED_NAME_LENGTH} characters, and the longest component here is ${longest.map(n => `'${n}'`).join(' + ')} (${longest.join('').length}), which leaves ${budget} for the name`,
      value: this.name,
      fix: `use a name of at most ${budget} characters`,
    }];
  }

  private roleProblems(r: RoleRequest, layout: LlmWorkerLayout): ValidationProblem[] {
    const path = this.node.path;
    const o = r.options;
    const at = (f: string) => `${roleKey(r.role)}.${f}`;
    const problems = [
      ...integerProblems(path, at('tensorParallel'), o.tensorParallel, 1),
      ...integerProblems(path, at('pipelineParallel'), o.pipelineParallel, 1),
      ...integerProblems(path, at('replicas'), o.replicas, 1),
      ...integerProblems(path, at('dataParallel'), o.dataParallel, 1),
    ];
    const sku = this.nodeSku;
    if (o.gpusPerNode !== undefined && !(Number.isInteger(o.gpusPerNode) && o.gpusPerNode >= 1 && o.gpusPerNode <= sku.gpusPerNode)) {
      problems.push({
        constructPath: path, field: at('gpusPerNode'), message: `a pod can use at most the ${sku.gpusPerNode} GPUs of one ${sku.name} node`, value: o.gpusPerNode,
        fix: `set gpusPerNode between 1 and ${sku.gpusPerNode}, or pick a node SKU with more GPUs per node`,
      });
      return problems;
    }
    if (problems.length > 0) {
      return problems;
    }
    const nodeGpus = o.gpusPerNode ?? sku.gpusPerNode;
    if (layout.gpusPerInstance > nodeGpus && layout.gpusPerInstance % nodeGpus !== 0) {
      problems.push({
        constructPath: path, field: `${at('tensorParallel')} × ${at('pipelineParallel')}`,
        message: `an instance needs ${layout.gpusPerInstance} GPUs, which is neither at most one node (${nodeGpus} GPUs) nor a whole number of nodes`,
        value: layout.gpusPerInstance,
        fix: `use a multiple of ${nodeGpus} GPUs (e.g. ${Math.ceil(layout.gpusPerInstance / nodeGpus) * nodeGpus}) or at most ${nodeGpus}`,
      });
    }
    const need = this.modelMemoryGiB();
    const usable = layout.gpusPerInstance * sku.gpuMemoryGiB * GPU_MEMORY_UTILIZATION;
    if (need !== undefined && need > usable) {
      const minGpus = Math.ceil(need / (sku.gpuMemoryGiB * GPU_MEMORY_UTILIZATION) - 1e-9);
      problems.push({
        constructPath: path, field: at('tensorParallel'),
        message: `${this.props.model} needs about ${Math.ceil(need - 1e-9)} GiB of GPU memory, but an instance has ${layout.gpusPerInstance} × ${sku.gpuMemoryGiB} GiB (${Math.floor(usable)} GiB usable at ${GPU_MEMORY_UTILIZATION * 100}%)`,
        value: layout.gpusPerInstance,
        fix: `raise tensorParallel × pipelineParallel to at least ${minGpus} (a power of two such as ${2 ** Math.ceil(Math.log2(minGpus))}), or state the real size with modelSizeGiB`,
      });
    }
    problems.push(...workerFitProblems(path, at('resources'), workerResources(o, layout.gpusPerPod, sku, {}), sku));
    return problems;
  }

  private modelMemoryGiB(): number | undefined {
    if (this.props.modelSizeGiB !== undefined) {
      return this.props.modelSizeGiB * 1.1;
    }
    const known = findModel(this.props.model);
    return known ? estimateModelMemoryGiB(known) : undefined;
  }

  private componentLabels(component: string, componentType: string): { [key: string]: string } {
    return {
      'app.kubernetes.io/name': this.name,
      ...componentLabels({ dynamoNamespace: this.dynamoNamespace, component, componentType, kubernetesDiscovery: this.needsApiToken }),
    };
  }

  private platformEnv(role: engines.ServingRole): { [name: string]: EnvValue | string } {
    const env: { [name: string]: EnvValue | string } = {};
    for (const e of engines.dynamoPlatformEnv({
      role, dynamoNamespace: this.dynamoNamespace, discoveryBackend: this.discovery.backend === 'kubernetes' ? engines.DiscoveryBackend.KUBERNETES : engines.DiscoveryBackend.ETCD,
      etcdEndpoints: this.discovery.etcdEndpoints, natsServer: this.discovery.natsServer,
    })) {
      env[e.name] = e.value ?? '';
    }
    // Stated, not left to the runtime's version-dependent default (lib/runtime/src/distributed.rs).
    env[EVENT_PLANE_ENV] = eventPlaneFor(this.discovery.natsServer);
    if (this.props.modelCache) {
      env.HF_HOME = this.props.modelCache.mountPath;
    }
    if (this.props.huggingFaceToken && role !== engines.ServingRole.FRONTEND) {
      env.HF_TOKEN = EnvValue.fromSecret(this.props.huggingFaceToken.secretName, this.props.huggingFaceToken.key ?? 'HF_TOKEN');
    }
    return env;
  }

  private cacheMounts(): { name: string; mountPath: string }[] {
    return this.props.modelCache ? [{ name: this.props.modelCache.volume.name, mountPath: this.props.modelCache.mountPath }] : [];
  }

  private addFrontend(): PodClique {
    const f = this.props.frontend ?? {};
    const spec = engines.dynamoFrontend({ routerMode: f.routerMode ?? engines.RouterMode.KV, image: f.image ?? this.engine.spec.defaultImage });
    const launch = renderLaunch(spec, {
      name: 'main',
      resources: { cpu: f.resources?.cpu ?? { request: '2' }, memory: f.resources?.memory ?? { request: '4Gi' } },
      env: this.platformEnv(engines.ServingRole.FRONTEND),
      volumeMounts: this.cacheMounts(),
      securityContext: containerSecurityContext({}),
    });
    return this.addComponent('frontend', {
      replicas: f.replicas ?? 1,
      minAvailable: 1,
      autoScaling: f.autoScaling,
      containers: [launch.container],
      volumes: launch.volumes,
      labels: this.componentLabels('frontend', 'frontend'),
      // The frontend is in the base gang, one KAI PodGroup judged by one shard: the GPU nodes' (README "Placement").
      tolerations: [GPU_TOLERATION],
    });
  }

  private addWorkerRole(r: RoleRequest, layout: LlmWorkerLayout): LlmWorkerRole {
    const o = r.options;
    const name = engines.DEFAULT_COMPONENT_NAME[r.role];
    const componentType = engines.COMPONENT_TYPE_FOR_ROLE[r.role];
    const routerMode = this.props.frontend?.routerMode ?? engines.RouterMode.KV;
    const ib = this.infiniband ? engines.aksInfinibandRequirements({ rdmaResource: this.nodeSku.rdmaResource as engines.RdmaResource | undefined }) : undefined;
    const profile: SecurityProfile = { rdma: ib?.securityContext };
    const workerOptions = (multiNode?: engines.MultiNodeOptions): engines.WorkerOptions => ({
      role: r.role,
      model: this.props.model,
      servedModelName: this.props.servedModelName,
      tensorParallel: o.tensorParallel ?? 1,
      pipelineParallel: o.pipelineParallel ?? 1,
      dataParallel: o.dataParallel,
      extraArgs: o.extraArgs,
      kvTransfer: o.kvTransfer ?? r.kvTransferDefault,
      kvEvents: routerMode === engines.RouterMode.KV && this.engine.spec.kvEventsRoles.includes(r.role),
      multiNode,
    });
    const cliqueOptions = (spec: engines.LaunchSpec, replicas: number): PodCliqueOptions => {
      const launch = renderLaunch(spec, {
        name: 'main',
        image: o.image,
        resources: workerResources(o, layout.gpusPerPod, this.nodeSku, ib ? { [ib.rdmaResource.name]: ib.rdmaResource.count } : {}),
        env: { ...this.platformEnv(r.role), ...Object.fromEntries((ib?.env ?? []).map(e => [e.name, e.value ?? ''])), ...o.env },
        volumeMounts: this.cacheMounts(),
        sharedMemorySize: this.props.sharedMemorySize ?? ib?.sharedMemorySizeLimit,
        securityContext: containerSecurityContext(profile),
        initSecurityContext: { ...containerSecurityContext({}), runAsUser: DYNAMO_RUNTIME_UID },
      });
      return {
        ...podDefaults(profile),
        replicas,
        labels: this.componentLabels(name, componentType),
        annotations: o.allowUtilizationAutoscaling ? { [ALLOW_UTILIZATION_AUTOSCALING_ANNOTATION]: 'true' } : undefined,
        containers: [launch.container],
        initContainers: launch.initContainers,
        volumes: [...launch.volumes, ...(this.props.modelCache ? [this.props.modelCache.volume] : [])],
        nodeSelector: { 'node.kubernetes.io/instance-type': this.nodeSku.name },
        serviceAccountName: this.serviceAccount.name,
        automountServiceAccountToken: this.needsApiToken,
        startsAfter: this.props.workersStartAfterFrontend ? [this.frontend] : undefined,
      };
    };
    const launchSpec = (multiNode?: engines.MultiNodeOptions) => this.engineWorker(r.role, workerOptions(multiNode));
    renderComponentService(this.objectContext, r.role, name, { name: engines.DynamoPortName.SYSTEM, port: engines.DynamoPort.SYSTEM });

    if (layout.nodesPerInstance === 1) {
      const spec = launchSpec();
      const clique = this.podCliqueSet.addClique(name, {
        ...cliqueOptions(spec, o.replicas ?? 1),
        minAvailable: o.minAvailable ?? 1,
        autoScaling: o.autoScaling,
      });
      return new LlmWorkerRole(r.role, name, layout, clique);
    }

    const leaderClique = `${name}-ldr`;
    const workerClique = `${name}-wkr`;
    const multiNode = (part: engines.MultiNodePart): engines.MultiNodeOptions => ({
      nodes: layout.nodesPerInstance, gpusPerNode: layout.gpusPerPod, part, leaderClique, workerClique,
    });
    const group = this.podCliqueSet.addScalingGroup(name, {
      replicas: o.replicas ?? 1,
      minAvailable: o.minAvailable ?? 1,
      autoScaling: o.autoScaling,
      topologyConstraint: this.props.topology ? { topology: this.props.topology.binding, packRequired: this.props.topology.instanceDomain } : undefined,
    });
    const leader = group.addClique(leaderClique, cliqueOptions(launchSpec(multiNode(engines.MultiNodePart.LEADER)), 1));
    const workers = group.addClique(workerClique, cliqueOptions(launchSpec(multiNode(engines.MultiNodePart.WORKER)), layout.nodesPerInstance - 1));
    const order = this.engine.spec.multiNodeStartsAfter({ leaderClique, workerClique });
    const byName: { [n: string]: PodClique } = { [leaderClique]: leader, [workerClique]: workers };
    for (const [clique, after] of Object.entries(order)) {
      byName[clique]?.addStartsAfter(...after.map(a => byName[a]).filter((c): c is PodClique => c !== undefined));
    }
    return new LlmWorkerRole(r.role, name, layout, undefined, group, leader, workers);
  }

  /**
   * The engine's launch spec for a role. The engine reports bad options against its own locator; they are
   * re-reported here against this construct and the role's prop (e.g. `decode.extraArgs`).
   */
  private engineWorker(role: engines.WorkerRole, options: engines.WorkerOptions): engines.LaunchSpec {
    try {
      return this.engine.spec.worker(options);
    } catch (e) {
      if (e instanceof GroveValidationError) {
        throw new GroveValidationError(e.problems.map(p => ({ ...p, constructPath: this.node.path, field: `${roleKey(role)}.${p.field}` })));
      }
      throw e;
    }
  }
}
