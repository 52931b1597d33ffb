// docker-compose.yml: the Compose specification's JSON schema (as dclint ships it) with every error,
// dclint's lint rules, and the project's rules: the services the fleet needs, workers that scale,
// the seed container's limits, files it mounts that exist, and every variable documented in .env.example.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { DCLinter } from "dclint";
import YAML from "yaml";
import { ROOT } from "./problems.mjs";

const require = createRequire(import.meta.url);
const COMPOSE_SCHEMA = path.join(path.dirname(require.resolve("dclint/package.json")), "schemas/compose.schema.json");

// why: order and quoting rules are taste; "build and image" together is how compose tags what it builds
const DCLINT_RULES = {
  "service-keys-order": 0,
  "services-alphabetical-order": 0,
  "top-level-properties-order": 0,
  "no-build-and-image": 0,
  "require-quotes-in-ports": [1, { quoteType: "double" }],
};

/** Parses the compose file (with YAML merge keys, as compose reads it). */
export function loadCompose(file) {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  return { text, doc: YAML.parse(text, { merge: true }) };
}

let compiled = null;
function composeValidator() {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const schema = JSON.parse(fs.readFileSync(COMPOSE_SCHEMA, "utf8"));
    // why: the schema names draft-07 by an https URL Ajv does not know; draft-07 is what Ajv speaks by default
    delete schema.$schema;
    compiled = ajv.compile(schema);
  }
  return compiled;
}

export function checkComposeSchema(file, doc, problems) {
  const validateCompose = composeValidator();
  if (!validateCompose(doc)) {
    for (const e of validateCompose.errors) {
      problems.add(file, `schema: ${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` ('${e.params.additionalProperty}')` : ""}`);
    }
  }
  const linter = new DCLinter({ rules: DCLINT_RULES, quiet: false, debug: false, exclude: [] });
  for (const result of linter.lintFiles([path.join(ROOT, file)], false)) {
    for (const m of result.messages) {
      if (m.rule === "invalid-schema") continue; // why: reported above, with every error instead of the first
      problems.add(file, `line ${m.line}: dclint ${m.type} ${m.rule}: ${m.message}`);
    }
  }
  problems.checked(file, "Compose specification schema", "dclint");
}

/** The project's rules. DRAIN_TIMEOUT_DEFAULT: the workers' default drain, in seconds. */
export function checkFleetCompose(file, { text, doc }, { drainTimeoutDefault, dockerTargets }, problems) {
  const services = doc.services ?? {};
  const need = (name) => services[name] ?? (problems.add(file, `no service '${name}'`), null);
  const at = (name) => `service '${name}'`;

  const kafka = need("kafka");
  if (kafka) {
    if (!/^apache\/kafka:4\.\d+\.\d+$/.test(kafka.image ?? "")) problems.add(file, `${at("kafka")}: image is not apache/kafka:4.x.y`);
    if (!String(kafka.environment?.KAFKA_PROCESS_ROLES ?? "").includes("controller")) problems.add(file, `${at("kafka")}: not in KRaft mode (KAFKA_PROCESS_ROLES without controller)`);
  }
  const redis = need("redis");
  if (redis) {
    const cmd = [].concat(redis.command ?? []).join(" ");
    if (!/--appendonly yes/.test(cmd) || !/--appendfsync everysec/.test(cmd)) problems.add(file, `${at("redis")}: no AOF (--appendonly yes --appendfsync everysec)`);
  }
  const livekit = need("livekit");
  if (livekit) {
    if (!/^livekit\/livekit-server:v\d/.test(livekit.image ?? "")) problems.add(file, `${at("livekit")}: image is not livekit/livekit-server:vX`);
    const config = [].concat(livekit.command ?? []).join(" ").match(/--config (\S+)/)?.[1];
    if (!config || !mountSources(livekit).some((m) => m.target === config && m.source.startsWith("./ops/deploy/compose/"))) {
      problems.add(file, `${at("livekit")}: --config is not a file mounted from ops/deploy/compose/`);
    }
    if (!/LIVEKIT_API_SECRET/.test(String(livekit.environment?.LIVEKIT_KEYS ?? ""))) problems.add(file, `${at("livekit")}: keys do not come from the environment (.env)`);
  }
  const api = need("api");
  if (api && !((api.deploy?.replicas ?? 1) >= 2)) problems.add(file, `${at("api")}: fewer than two API nodes (deploy.replicas)`);
  const front = need("front");
  if (front) checkFront(file, front, problems);

  for (const name of ["worker", "worker-cpu"]) {
    const worker = need(name);
    if (!worker) continue;
    // why: `docker compose up --scale worker=N` cannot give N containers one name or one host port
    if (worker.container_name) problems.add(file, `${at(name)}: container_name stops --scale`);
    if (worker.ports) problems.add(file, `${at(name)}: published ports stop --scale (the API reaches workers on the network)`);
    if (!worker.init) problems.add(file, `${at(name)}: no init: true`);
    if (!worker.shm_size) problems.add(file, `${at(name)}: no shm_size`);
    const limits = worker.deploy?.resources ?? {};
    if (!limits.limits?.memory || !limits.reservations?.memory) problems.add(file, `${at(name)}: no memory limit and reservation`);
    const grace = seconds(worker.stop_grace_period ?? "10s");
    const drain = Number(worker.environment?.DRAIN_TIMEOUT || drainTimeoutDefault);
    if (!(grace >= drain + 10)) problems.add(file, `${at(name)}: stop_grace_period ${grace}s leaves the ${drain}s drain no margin`);
  }
  const gpu = services.worker?.deploy?.resources?.reservations?.devices ?? [];
  if (!gpu.some((d) => d.driver === "nvidia" && [].concat(d.capabilities).includes("gpu"))) problems.add(file, `${at("worker")}: no NVIDIA GPU reservation`);
  if (services.worker && services.worker.profiles) problems.add(file, `${at("worker")}: GPU workers must start with a plain docker compose up`);
  const agent = need("agent");
  if (agent) {
    const context = typeof agent.build === "string" ? agent.build : agent.build?.context;
    if (!context || !fs.existsSync(path.join(ROOT, context, "Dockerfile"))) problems.add(file, `${at("agent")}: its build context has no Dockerfile`);
  }

  for (const [name, s] of Object.entries(services)) {
    if (s.restart !== "unless-stopped") problems.add(file, `${at(name)}: restart is not unless-stopped`);
    const log = s.logging;
    if (log?.driver !== "json-file" || log.options?.["max-size"] !== "50m" || String(log.options?.["max-file"]) !== "5") {
      problems.add(file, `${at(name)}: logs are not json-file 50m x 5`);
    }
    if (s.build?.target && !dockerTargets.includes(s.build.target)) problems.add(file, `${at(name)}: no Dockerfile stage '${s.build.target}'`);
    for (const m of mountSources(s)) {
      if (!m.source.startsWith(".") || m.source === "./avatars") continue;
      if (!fs.existsSync(path.join(ROOT, m.source))) problems.add(file, `${at(name)}: mounts ${m.source}, which does not exist`);
    }
  }
  checkEnvExample(file, text, problems);
  problems.checked(file, "services, scaling, limits, mounts, .env.example");
}

/** The front is nginx with its committed config, spreading requests over the api service's nodes. */
function checkFront(file, front, problems) {
  if (!/^nginx:\d/.test(front.image ?? "")) problems.add(file, "service 'front': not an nginx image");
  const mount = mountSources(front).find((m) => m.target === "/etc/nginx/nginx.conf");
  if (!mount) {
    problems.add(file, "service 'front': no nginx.conf mounted");
    return;
  }
  const conf = path.relative(ROOT, path.join(ROOT, mount.source));
  const text = fs.readFileSync(path.join(ROOT, conf), "utf8").replace(/#.*$/gm, "");
  const opened = (text.match(/\{/g) ?? []).length;
  const closed = (text.match(/\}/g) ?? []).length;
  if (opened !== closed) problems.add(conf, `${opened} '{' but ${closed} '}'`);
  if (!/upstream \w+ \{[^}]*server api:8089 /.test(text)) problems.add(conf, "no upstream on api:8089 (the api service)");
  for (const header of ["X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Real-IP"]) {
    if (!text.includes(`proxy_set_header ${header} `)) problems.add(conf, `does not forward ${header}`);
  }
  const body = text.match(/client_max_body_size (\d+)m;/);
  // why: MAX_UPLOAD_BYTES is 12 MiB; a smaller front limit would answer nginx's HTML 413 instead of the API's JSON
  if (!body || Number(body[1]) <= 12) problems.add(conf, "client_max_body_size is not above MAX_UPLOAD_BYTES (12 MiB)");
  problems.checked(conf, "upstream, forwarded headers, body limit");
}

function mountSources(service) {
  return (service.volumes ?? []).filter((v) => typeof v === "string").map((v) => {
    const [source, target] = v.split(":");
    return { source, target };
  });
}

function seconds(duration) {
  const m = String(duration).match(/^(\d+)(s|m)?$/);
  return m ? Number(m[1]) * (m[2] === "m" ? 60 : 1) : NaN;
}

/** Every ${VAR} the compose file reads is named in .env.example. */
function checkEnvExample(file, text, problems) {
  const example = fs.readFileSync(path.join(ROOT, ".env.example"), "utf8");
  const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
  const used = new Set([...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
  for (const name of used) {
    if (!documented.has(name)) problems.add(file, `\${${name}} is not in .env.example`);
  }
  problems.checked(".env.example", "names every variable of docker-compose.yml");
}
