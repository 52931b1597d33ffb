// Validates the deployment files without Docker or a cluster (ops/deploy-check runs it; so can you:
// `node ops/deploy/validate.mjs`). Prints one line per file and every problem; exits 1 on any.
//   Dockerfile, ops/deploy/agent/Dockerfile   dockerfile-utils lint + the images' rules (check/dockerfile.mjs)
//   docker-compose.yml (+ nginx.conf, .env)    Compose specification schema, dclint, the fleet's rules (check/compose.mjs)
//   ops/deploy/k8s/**                          rendered (base, overlays/cpu, monitoring), then Kubernetes' schemas and
//                                              strict fields (check/kubernetes.mjs) and the fleet's rules (check/fleet-k8s.mjs)
//   ops/deploy/grafana/*.json, alerts, prometheus-adapter rules
//                                              PromQL parsed, metric names against ops/deploy/metrics.json
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { checkComposeSchema, checkFleetCompose, loadCompose } from "./check/compose.mjs";
import { MetricsContract } from "./check/contract.mjs";
import { checkAgentDockerfile, checkDockerignore, checkFleetDockerfile, lintDockerfile, stagesOf } from "./check/dockerfile.mjs";
import { checkFleetObjects } from "./check/fleet-k8s.mjs";
import { checkDashboard } from "./check/grafana.mjs";
import { validateFieldsStrictly, validateSchemas } from "./check/kubernetes.mjs";
import { render, readObjects } from "./check/kustomize.mjs";
import { Problems, ROOT } from "./check/problems.mjs";
import { checkQuery } from "./check/promql.mjs";

const started = Date.now();
const problems = new Problems();
const contract = new MetricsContract();
const K8S = path.join(ROOT, "ops/deploy/k8s");

/** DRAIN_TIMEOUT's default, read from where the worker declares it (one declaration, not a copy). */
function drainTimeoutDefault() {
  const dir = path.join(ROOT, "common/src/main/java");
  const files = fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(".java"));
  for (const f of files) {
    const m = fs.readFileSync(path.join(dir, f), "utf8").match(/"DRAIN_TIMEOUT",\s*(\d+)/);
    if (m) return Number(m[1]);
  }
  problems.add("ops/deploy/validate.mjs", "DRAIN_TIMEOUT's default not found under common/src/main/java");
  return 30;
}

// ---------------------------------------------------------------- images
const dockerfile = lintDockerfile("Dockerfile", problems);
checkFleetDockerfile("Dockerfile", dockerfile, problems);
checkAgentDockerfile("ops/deploy/agent/Dockerfile", lintDockerfile("ops/deploy/agent/Dockerfile", problems), problems);
checkDockerignore(".dockerignore", problems);
const dockerTargets = stagesOf(dockerfile).map((s) => s.name).filter(Boolean);
const drain = drainTimeoutDefault();

// ---------------------------------------------------------------- compose
const compose = loadCompose("docker-compose.yml");
checkComposeSchema("docker-compose.yml", compose.doc, problems);
checkFleetCompose("docker-compose.yml", compose, { drainTimeoutDefault: drain, dockerTargets }, problems);
checkComposeMonitoring(compose.doc);

// ---------------------------------------------------------------- kubernetes
const gpu = render(path.join(K8S, "base"), problems);
const cpu = render(path.join(K8S, "overlays/cpu"), problems);
const monitoring = render(path.join(K8S, "monitoring"), problems);
const all = [...gpu, ...cpu.filter((o) => o.file.includes(" + ")), ...monitoring];
await validateSchemas(all, problems);
validateFieldsStrictly(all, problems);
checkFleetObjects("ops/deploy/k8s/base", gpu, { variant: "gpu", drainTimeoutDefault: drain, contract }, problems);
checkFleetObjects("ops/deploy/k8s/overlays/cpu", cpu, { variant: "cpu", drainTimeoutDefault: drain, contract }, problems);
checkMonitoring(gpu, monitoring);
for (const o of all) problems.checked(o.file.split(" + ")[0], "Kubernetes schema", "strict fields");

// ---------------------------------------------------------------- dashboards
for (const f of fs.readdirSync(path.join(ROOT, "ops/deploy/grafana")).filter((f) => f.endsWith(".json"))) {
  checkDashboard(`ops/deploy/grafana/${f}`, contract, problems);
}

problems.print();
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (problems.count > 0) {
  console.error(`validate: ${problems.count} problem(s) in the deployment files (${seconds} s)`);
  process.exit(1);
}
console.error(`validate: deployment files valid (${seconds} s)`);

/** ServiceMonitors select the base Services by a port they have; the alerts and the adapter's rule use the contract. */
function checkMonitoring(base, monitor) {
  for (const { file, object: o } of monitor) {
    if (o.kind === "ServiceMonitor") {
      const service = base.find(({ object: s }) => s.kind === "Service"
        && Object.entries(o.spec.selector?.matchLabels ?? {}).every(([k, v]) => s.metadata.labels?.[k] === v));
      if (!service) problems.add(file, `ServiceMonitor ${o.metadata.name} selects no Service of ops/deploy/k8s/base`);
      for (const e of o.spec.endpoints ?? []) {
        if (service && !service.object.spec.ports.some((p) => p.name === e.port)) problems.add(file, `ServiceMonitor ${o.metadata.name}: port '${e.port}' is not on Service ${service.object.metadata.name}`);
        if (e.path !== "/metrics") problems.add(file, `ServiceMonitor ${o.metadata.name}: path is not /metrics`);
      }
    }
    if (o.kind === "PrometheusRule") {
      for (const rule of o.spec.groups.flatMap((g) => g.rules)) {
        checkQuery(String(rule.expr), { file, where: `rule ${rule.alert ?? rule.record}`, problems, contract });
      }
      problems.checked(file, "alert expressions against ops/deploy/metrics.json");
    }
  }
  const adapterFile = "ops/deploy/k8s/monitoring/prometheus-adapter-values.yaml";
  const adapter = YAML.parse(fs.readFileSync(path.join(ROOT, adapterFile), "utf8"));
  const served = new Set();
  for (const [i, rule] of (adapter.rules?.custom ?? []).entries()) {
    const where = `rules.custom[${i}]`;
    const series = checkQuery(rule.seriesQuery ?? "", { file: adapterFile, where: `${where}.seriesQuery`, problems, contract });
    const [name] = series;
    const metricsQuery = (rule.metricsQuery ?? "").replaceAll("<<.Series>>", name ?? "x")
      .replaceAll("<<.LabelMatchers>>", 'namespace="fleet"').replaceAll("<<.GroupBy>>", "pod");
    checkQuery(metricsQuery, { file: adapterFile, where: `${where}.metricsQuery`, problems, contract });
    const overrides = rule.resources?.overrides ?? {};
    if (overrides.pod?.resource !== "pod" || overrides.namespace?.resource !== "namespace") {
      problems.add(adapterFile, `${where}: the series are not mapped to pods and namespaces (a Pods metric needs both)`);
    }
    served.add(rule.name?.as ?? name);
  }
  for (const { object: o } of base.filter(({ object: o }) => o.kind === "HorizontalPodAutoscaler")) {
    for (const m of o.spec.metrics.filter((m) => m.type === "Pods")) {
      if (!served.has(m.pods.metric.name)) problems.add(adapterFile, `no rule serves ${m.pods.metric.name}, which HorizontalPodAutoscaler ${o.metadata.name} reads`);
    }
  }
  problems.checked(adapterFile, "rules parsed as PromQL, serving the autoscaler's metric");
}

/** Prometheus and Grafana of the compose file's monitoring profile find what they need. */
function checkComposeMonitoring(doc) {
  const promFile = "ops/deploy/compose/prometheus.yml";
  const prom = YAML.parse(fs.readFileSync(path.join(ROOT, promFile), "utf8"));
  const ports = { "avatar-fleet-api": 8089, "avatar-fleet-worker": 8090 };
  for (const job of prom.scrape_configs ?? []) {
    for (const sd of job.dns_sd_configs ?? []) {
      for (const n of sd.names ?? []) {
        if (!doc.services?.[n]) problems.add(promFile, `job ${job.job_name}: '${n}' is not a compose service`);
      }
      if (ports[job.job_name] !== undefined && sd.port !== ports[job.job_name]) problems.add(promFile, `job ${job.job_name}: port ${sd.port} is not ${ports[job.job_name]}`);
    }
  }
  for (const job of Object.keys(ports)) {
    if (!(prom.scrape_configs ?? []).some((j) => j.job_name === job)) problems.add(promFile, `no job ${job}`);
  }
  problems.checked(promFile, "scrapes every API node and worker");
  const livekitFile = "ops/deploy/compose/livekit.yaml";
  const livekit = YAML.parse(fs.readFileSync(path.join(ROOT, livekitFile), "utf8"));
  if (livekit.keys) problems.add(livekitFile, "holds API keys; they belong in .env (LIVEKIT_KEYS)");
  if (livekit.port !== 7880) problems.add(livekitFile, "port is not 7880 (the compose file publishes 7880)");
  problems.checked(livekitFile, "no committed keys");
  const provider = YAML.parse(fs.readFileSync(path.join(ROOT, "ops/deploy/compose/grafana/dashboards/avatar-fleet.yaml"), "utf8"));
  const mounted = (doc.services?.grafana?.volumes ?? []).find((v) => v.startsWith("./ops/deploy/grafana:"));
  if (!mounted || mounted.split(":")[1] !== provider.providers?.[0]?.options?.path) {
    problems.add("ops/deploy/compose/grafana/dashboards/avatar-fleet.yaml", "its path is not where docker-compose.yml mounts ops/deploy/grafana");
  }
  problems.checked("ops/deploy/compose/grafana/dashboards/avatar-fleet.yaml", "dashboard folder mounted");
}
