// The checks of validate.mjs can fail: each test takes the committed files (which pass), breaks one
// thing the way a person could, and expects the check to name it. Run: node --test ops/deploy/check/
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { checkComposeSchema, checkFleetCompose, loadCompose } from "./compose.mjs";
import { MetricsContract } from "./contract.mjs";
import { checkFleetDockerfile, lintDockerfile } from "./dockerfile.mjs";
import { checkFleetObjects } from "./fleet-k8s.mjs";
import { checkDashboardJson } from "./grafana.mjs";
import { validateFieldsStrictly, validateSchemas } from "./kubernetes.mjs";
import { render } from "./kustomize.mjs";
import { Problems, ROOT } from "./problems.mjs";
import { checkQuery } from "./promql.mjs";

const contract = new MetricsContract();
const read = (f) => fs.readFileSync(path.join(ROOT, f), "utf8");
const messages = (problems) => {
  const out = [];
  problems.print((line) => out.push(line));
  return out.filter((l) => l.startsWith("  ")).join("\n");
};

function dockerfileProblems(text) {
  const p = new Problems();
  checkFleetDockerfile("Dockerfile", lintDockerfile("Dockerfile", p, text), p);
  return messages(p);
}

test("the committed Dockerfile passes", () => assert.equal(dockerfileProblems(read("Dockerfile")), ""));

test("Dockerfile: a build step outside ops/docker/, a root user, a lint error, a lost health check", () => {
  const text = read("Dockerfile");
  assert.match(dockerfileProblems(text.replace("ops/docker/build.sh -Pgpu", "mvn -B package -Pgpu")), /builds or lays out the app outside an ops\/docker\/ script/);
  assert.match(dockerfileProblems(text.replace(/USER 10001:10001\nENV JAVA_OPTS="-XX:MaxRAMPercentage=75/, 'USER root\nENV JAVA_OPTS="-XX:MaxRAMPercentage=75')), /stage 'api': runs as 'root'/);
  assert.match(dockerfileProblems(text.replace("EXPOSE 8089", "EXPOSE http")), /line \d+: error: Invalid containerPort/);
  assert.match(dockerfileProblems(text.replace(/HEALTHCHECK [^\n]*\nENTRYPOINT [^\n]*\n\n# -+ worker \(CPU\)/, "\n# ---- worker (CPU)")), /stage 'api': no HEALTHCHECK/);
  assert.match(dockerfileProblems(text.replace("ops/docker/build.sh -Pgpu", "ops/docker/build.sh")), /does not build with -Pgpu/);
  assert.match(dockerfileProblems(text.replace("COPY worker/ worker/\n", "")), /stage 'source' does not copy worker/);
});

function composeProblems(mutate) {
  const compose = loadCompose("docker-compose.yml");
  mutate(compose.doc);
  const p = new Problems();
  checkComposeSchema("docker-compose.yml", compose.doc, p);
  checkFleetCompose("docker-compose.yml", compose, { drainTimeoutDefault: 30, dockerTargets: ["api", "worker-gpu", "worker-cpu"] }, p);
  return messages(p);
}

test("the committed docker-compose.yml passes", () => assert.equal(composeProblems(() => {}), ""));

test("docker-compose.yml: a misspelt key, a fixed worker name, no AOF, one API node, a short grace period", () => {
  assert.match(composeProblems((d) => { d.services.redis.restartt = "always"; }), /schema: \/services\/redis must NOT have additional properties \('restartt'\)/);
  assert.match(composeProblems((d) => { d.services.worker.container_name = "worker"; }), /container_name stops --scale/);
  assert.match(composeProblems((d) => { d.services.redis.command = ["redis-server"]; }), /no AOF/);
  assert.match(composeProblems((d) => { d.services.api.deploy.replicas = 1; }), /fewer than two API nodes/);
  assert.match(composeProblems((d) => { d.services.worker.stop_grace_period = "20s"; }), /leaves the 30s drain no margin/);
  assert.match(composeProblems((d) => { d.services.worker.build.target = "worker"; }), /no Dockerfile stage 'worker'/);
});

const base = () => render(path.join(ROOT, "ops/deploy/k8s/base"), new Problems());
const worker = (objects) => objects.find(({ object: o }) => o.kind === "Deployment" && o.metadata.name === "avatar-fleet-worker").object;

async function k8sProblems(mutate) {
  const objects = base();
  mutate(objects);
  const p = new Problems();
  await validateSchemas(objects, p);
  checkFleetObjects("base", objects, { variant: "gpu", drainTimeoutDefault: 30, contract }, p);
  return messages(p);
}

const c = (o) => worker(o).spec.template.spec.containers[0];

test("the committed Kubernetes base passes, and a misspelt field in a copy of it does not", async () => {
  assert.equal(await k8sProblems(() => {}), "");
  // why: one TypeScript program for both (a type check takes seconds): the committed objects and a broken worker
  const objects = base();
  const broken = base().filter(({ object: o }) => o.kind === "Deployment" && o.metadata.name === "avatar-fleet-worker");
  c(broken).livenesProbe = c(broken).livenessProbe;
  delete c(broken).livenessProbe;
  broken[0].file = "broken.yaml";
  const p = new Problems();
  validateFieldsStrictly([...objects, ...broken], p);
  const found = messages(p).split("\n");
  assert.equal(found.length, 1, found.join("\n"));
  assert.match(found[0], /broken.yaml: broken.yaml #\d+ Deployment\/avatar-fleet-worker: .*'"livenesProbe"' does not exist in type/);
});

test("Kubernetes: a wrong type, a grace period shorter than the drain, no GPU, a wrong probe", async () => {
  assert.match(await k8sProblems((o) => { c(o).ports[0].containerPort = "8090"; }), /containerPort must be integer/);
  assert.match(await k8sProblems((o) => { worker(o).spec.template.spec.terminationGracePeriodSeconds = 60; }), /terminationGracePeriodSeconds 60 < DRAIN_TIMEOUT 600 \+ 30 s/);
  assert.match(await k8sProblems((o) => { delete c(o).resources.limits["nvidia.com/gpu"]; }), /no nvidia.com\/gpu limit/);
  assert.match(await k8sProblems((o) => { c(o).readinessProbe.httpGet.path = "/health"; }), /readiness probe is not GET \/ready/);
  assert.match(await k8sProblems((o) => { worker(o).spec.replicas = 2; }), /sets replicas, which the autoscaler owns/);
});

test("the CPU overlay renders without a GPU request, with the CPU image", () => {
  const p = new Problems();
  const cpu = render(path.join(ROOT, "ops/deploy/k8s/overlays/cpu"), p);
  const c = worker(cpu).spec.template.spec.containers[0];
  assert.equal(c.resources.limits["nvidia.com/gpu"], undefined);
  assert.equal(c.image, "avatar-fleet/worker-cpu:0.1.0");
  assert.equal(worker(cpu).spec.template.spec.tolerations, undefined);
  assert.equal(messages(p), "");
});

test("PromQL: a syntax error, a metric outside the contract, a label the metric lacks", () => {
  const check = (expr) => {
    const p = new Problems();
    checkQuery(expr, { file: "q", where: "test", problems: p, contract });
    return messages(p);
  };
  assert.equal(check('histogram_quantile(0.99, sum by (le, node_id) (rate(avatarfleet_frame_interval_seconds_bucket{node_id="w"}[5m])))'), "");
  assert.match(check("sum(rate(avatarfleet_launches_total[5m])"), /not PromQL/);
  assert.match(check("sum(avatarfleet_worker_sessions)"), /'avatarfleet_worker_sessions' is not in ops\/deploy\/metrics.json/);
  assert.match(check("sum by (outcome) (avatarfleet_worker_max_sessions)"), /label 'outcome' is not a label of avatarfleet_worker_max_sessions/);
  assert.match(check("avatarfleet_worker_load_ratio_bucket"), /is not in ops\/deploy\/metrics.json/);
});

test("the dashboard: a query on an unknown metric, a metric shown nowhere", () => {
  const dash = JSON.parse(read("ops/deploy/grafana/avatar-fleet.json"));
  const problemsOf = (d) => {
    const p = new Problems();
    checkDashboardJson("dash", d, contract, p);
    return messages(p);
  };
  assert.equal(problemsOf(dash), "");
  const broken = structuredClone(dash);
  const panel = broken.panels.find((p) => p.targets?.some((t) => t.expr.includes("avatarfleet_failovers_total")));
  panel.targets = panel.targets.filter((t) => !t.expr.includes("avatarfleet_failovers_total"));
  panel.targets[0].expr = panel.targets[0].expr.replace("avatarfleet_replays_total", "avatarfleet_replay_total");
  const found = problemsOf(broken);
  assert.match(found, /'avatarfleet_replay_total' is not in ops\/deploy\/metrics.json/);
  assert.match(found, /no panel shows avatarfleet_failovers_total/);
});
