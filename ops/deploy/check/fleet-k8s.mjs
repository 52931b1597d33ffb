// The project's rules for the Kubernetes objects of one variant (GPU base, CPU overlay): probes, drain
// time, GPU requests, selectors that select, the autoscaler on the contract's capacity metric.
const API = "avatar-fleet-api";
const WORKER = "avatar-fleet-worker";

const find = (objects, kind, name) => objects.find(({ object: o }) => o.kind === kind && o.metadata?.name === name);
const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

/** VARIANT: "gpu" or "cpu"; DRAIN_TIMEOUT_DEFAULT: the worker's default, in seconds. */
export function checkFleetObjects(label, objects, { variant, drainTimeoutDefault, contract }, problems) {
  const say = (message) => problems.add(label, message);
  const api = find(objects, "Deployment", API)?.object;
  const worker = find(objects, "Deployment", WORKER)?.object;
  if (!api) say(`no Deployment ${API}`);
  if (!worker) say(`no Deployment ${WORKER}`);
  for (const d of [api, worker].filter(Boolean)) checkPodBasics(d, say);
  if (api) checkProbes(api, { liveness: "/health", readiness: "/health" }, say);
  if (worker) {
    checkProbes(worker, { liveness: "/health", readiness: "/ready" }, say);
    checkWorker(worker, variant, drainTimeoutDefault, say);
  }

  const deployments = objects.filter(({ object: o }) => o.kind === "Deployment").map(({ object }) => object);
  for (const { object: o } of objects) {
    if (o.kind === "Service") {
      const target = deployments.find((d) => matches(o.spec?.selector, d.spec.template.metadata?.labels));
      if (!target) say(`Service ${o.metadata.name} selects no Deployment's pods`);
      const portNames = target?.spec.template.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name)) ?? [];
      for (const p of o.spec?.ports ?? []) {
        if (typeof p.targetPort === "string" && !portNames.includes(p.targetPort)) say(`Service ${o.metadata.name}: targetPort '${p.targetPort}' is no container port`);
      }
    }
    if (o.kind === "PodDisruptionBudget" && !deployments.some((d) => matches(o.spec?.selector?.matchLabels, d.spec.template.metadata?.labels))) {
      say(`PodDisruptionBudget ${o.metadata.name} selects no Deployment's pods`);
    }
    if (o.kind === "HorizontalPodAutoscaler") checkAutoscaler(o, deployments, contract, say);
  }
  if (!objects.some(({ object: o }) => o.kind === "HorizontalPodAutoscaler" && o.spec.scaleTargetRef.name === WORKER)) {
    say(`no HorizontalPodAutoscaler for ${WORKER}`);
  }
  for (const name of [API, WORKER]) {
    if (!find(objects, "PodDisruptionBudget", name)) say(`no PodDisruptionBudget ${name}`);
  }
  problems.checked(label, `fleet rules (${variant} workers)`);
}

function checkPodBasics(d, say) {
  const pod = d.spec.template.spec;
  const name = d.metadata.name;
  if (pod.securityContext?.runAsNonRoot !== true) say(`${name}: pods do not set runAsNonRoot`);
  for (const c of pod.containers) {
    if (!/:[^/]+$/.test(c.image) || c.image.endsWith(":latest")) say(`${name}: image ${c.image} has no pinned tag`);
    if (!c.resources?.limits?.memory) say(`${name}: container ${c.name} has no memory limit`);
  }
  const annotations = d.spec.template.metadata?.annotations ?? {};
  const port = String(pod.containers[0]?.ports?.[0]?.containerPort);
  if (annotations["prometheus.io/scrape"] !== "true" || annotations["prometheus.io/port"] !== port) {
    say(`${name}: pods lack prometheus.io/scrape and prometheus.io/port ${port} annotations`);
  }
}

function checkProbes(d, want, say) {
  const c = d.spec.template.spec.containers[0];
  const portNames = (c.ports ?? []).map((p) => p.name);
  for (const [kind, path] of Object.entries(want)) {
    const probe = c[`${kind}Probe`]?.httpGet;
    if (probe?.path !== path) say(`${d.metadata.name}: ${kind} probe is not GET ${path}`);
    if (probe && typeof probe.port === "string" && !portNames.includes(probe.port)) say(`${d.metadata.name}: ${kind} probe port '${probe.port}' is not a container port`);
  }
}

function checkWorker(d, variant, drainTimeoutDefault, say) {
  const pod = d.spec.template.spec;
  const c = pod.containers[0];
  const env = new Map((c.env ?? []).map((e) => [e.name, e]));
  const drain = Number(env.get("DRAIN_TIMEOUT")?.value ?? drainTimeoutDefault);
  // why: SIGTERM starts the drain; the kubelet kills the pod when the grace period ends, drain or not
  if (!((pod.terminationGracePeriodSeconds ?? 30) >= drain + 30)) {
    say(`${WORKER}: terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} < DRAIN_TIMEOUT ${drain} + 30 s`);
  }
  if (d.spec.replicas !== undefined) say(`${WORKER}: sets replicas, which the autoscaler owns (re-applying would reset the count)`);
  const url = env.get("WORKER_URL")?.value ?? "";
  const podIp = [...env.keys()].indexOf("POD_IP");
  if (!url.includes("$(POD_IP)") || podIp < 0 || podIp > [...env.keys()].indexOf("WORKER_URL")) {
    say(`${WORKER}: WORKER_URL is not built from POD_IP (defined before it)`);
  }
  const gpu = c.resources?.limits?.["nvidia.com/gpu"];
  if (variant === "gpu" && !(Number(gpu) >= 1)) say(`${WORKER}: no nvidia.com/gpu limit`);
  if (variant === "cpu" && gpu !== undefined) say(`${WORKER}: the CPU variant still asks for nvidia.com/gpu`);
  const image = variant === "gpu" ? /\/worker-gpu:/ : /\/worker-cpu:/;
  if (!image.test(c.image)) say(`${WORKER}: image ${c.image} is not the ${variant} worker`);
}

function checkAutoscaler(hpa, deployments, contract, say) {
  const name = hpa.metadata.name;
  const target = deployments.find((d) => d.metadata.name === hpa.spec.scaleTargetRef?.name);
  if (!target || hpa.spec.scaleTargetRef.kind !== "Deployment") say(`HorizontalPodAutoscaler ${name} scales no Deployment of these manifests`);
  if (!(hpa.spec.minReplicas >= 1)) say(`HorizontalPodAutoscaler ${name}: minReplicas below 1 leaves no warm worker`);
  for (const m of hpa.spec.metrics ?? []) {
    if (m.type !== "Pods") continue;
    const metric = contract.metricOf(m.pods.metric.name);
    if (!metric) say(`HorizontalPodAutoscaler ${name}: metric ${m.pods.metric.name} is not in ops/deploy/metrics.json`);
    else if (metric.node !== "worker" || metric.type !== "gauge") say(`HorizontalPodAutoscaler ${name}: ${metric.name} is not a worker gauge`);
  }
}
