// The Dockerfiles: linted by dockerfile-utils (the linter of VS Code's Docker support), then the
// project's rules read from dockerfile-ast's parse: the three targets, non-root users, tini, health
// checks, memory flags, pinned base images, and build steps that only call ops/docker/ scripts.
import fs from "node:fs";
import path from "node:path";
import { DockerfileParser } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import { ROOT } from "./problems.mjs";

const TARGETS = {
  api: { port: "8089", heap: true },
  "worker-cpu": { port: "8090", heap: true, worker: true },
  "worker-gpu": { port: "8090", heap: true, worker: true, gpu: true },
};

/** Lints FILE with dockerfile-utils; every error and warning is a problem. Returns its parse. */
export function lintDockerfile(file, problems, text = fs.readFileSync(path.join(ROOT, file), "utf8")) {
  for (const d of validate(text, {})) {
    problems.add(file, `line ${d.range.start.line + 1}: ${d.severity === 1 ? "error" : "warning"}: ${d.message}`);
  }
  problems.checked(file, "dockerfile-utils lint");
  return DockerfileParser.parse(text);
}

/** The stages of a parsed Dockerfile: name, base image (ARG defaults resolved), instructions. */
export function stagesOf(dockerfile) {
  const args = new Map();
  for (const arg of dockerfile.getARGs()) {
    const p = arg.getProperty();
    if (p && p.getValue() !== null) args.set(p.getName(), p.getValue());
  }
  const resolve = (s) => s.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, n) => args.get(n) ?? m);
  const stages = [];
  for (const ins of dockerfile.getInstructions()) {
    if (ins.getKeyword() === "FROM") {
      stages.push({ name: ins.getBuildStage(), image: resolve(ins.getImage() ?? ""), line: ins.getRange().start.line + 1, instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1).instructions.push(ins);
    }
  }
  return stages;
}

const text = (ins) => ins.getTextContent().replace(/\\\r?\n/g, " ").replace(/\s+/g, " ").trim();
const argsOf = (ins) => text(ins).slice(ins.getKeyword().length).trim();

/** The project's rules for the root Dockerfile. */
export function checkFleetDockerfile(file, dockerfile, problems) {
  const stages = stagesOf(dockerfile);
  const byName = new Map(stages.map((s) => [s.name, s]));
  const external = stages.filter((s) => !byName.has(s.image));
  for (const s of external) {
    if (!/:[^/]+$/.test(s.image) || s.image.endsWith(":latest")) {
      problems.add(file, `line ${s.line}: base image '${s.image}' has no pinned tag`);
    }
  }
  for (const [name, want] of Object.entries(TARGETS)) {
    const stage = byName.get(name);
    if (!stage) {
      problems.add(file, `no stage '${name}' (docker build --target ${name})`);
      continue;
    }
    checkRuntimeStage(file, stage, want, byName, problems);
  }
  for (const stage of stages) {
    for (const ins of stage.instructions.filter((i) => i.getKeyword() === "RUN")) {
      checkRunStep(file, stage, ins, problems);
    }
  }
  checkBuildContext(file, byName, problems);
  const gpuBuild = byName.get(copySource(byName.get("worker-gpu"), "/app"));
  if (gpuBuild && !gpuBuild.instructions.some((i) => i.getKeyword() === "RUN" && /build\.sh .*-Pgpu/.test(text(i)))) {
    problems.add(file, `stage '${gpuBuild.name}' (what worker-gpu copies) does not build with -Pgpu`);
  }
  problems.checked(file, "targets api, worker-gpu, worker-cpu: non-root, tini, HEALTHCHECK /ready, heap from the limit, ops/docker/ build steps");
}

/** The stage the build stages start from copies every reactor module of pom.xml, and what build.sh sources. */
function checkBuildContext(file, byName, problems) {
  const build = byName.get("build-cpu");
  const source = build && byName.get(build.image);
  if (!source) {
    problems.add(file, "no stage 'build-cpu' built from a source stage");
    return;
  }
  const copied = source.instructions.filter((i) => i.getKeyword() === "COPY")
    .flatMap((i) => argsOf(i).split(/\s+/).slice(0, -1)).map((p) => p.replace(/\/$/, ""));
  const pom = fs.readFileSync(path.join(ROOT, "pom.xml"), "utf8");
  const modules = [...pom.matchAll(/<module>([^<]+)<\/module>/g)].map((m) => m[1]);
  for (const need of ["pom.xml", ...modules, "ops/lib/java.sh", "ops/docker"]) {
    if (!copied.includes(need)) problems.add(file, `stage '${source.name}' does not copy ${need} (the reactor and build.sh need it)`);
  }
}

function copySource(stage, destination) {
  const copy = stage?.instructions.find((i) => i.getKeyword() === "COPY" && argsOf(i).endsWith(` ${destination}`));
  return copy?.getFromFlag()?.getValue() ?? null;
}

function checkRuntimeStage(file, stage, want, byName, problems) {
  const at = `stage '${stage.name}'`;
  const find = (kw) => stage.instructions.filter((i) => i.getKeyword() === kw);
  const users = find("USER");
  const user = users.length ? argsOf(users.at(-1)) : "root";
  if (!/^[1-9][0-9]*(:[1-9][0-9]*)?$/.test(user)) {
    problems.add(file, `${at}: runs as '${user}'; give a numeric non-root USER (Kubernetes' runAsNonRoot checks numbers)`);
  }
  const entry = find("ENTRYPOINT").at(-1);
  if (!entry || !/^\["\/usr\/bin\/tini", "-s", "--", "\/app\/bin\/entrypoint\.sh"\]$/.test(argsOf(entry))) {
    problems.add(file, `${at}: ENTRYPOINT is not tini -s -- /app/bin/entrypoint.sh (exec form)`);
  }
  const health = find("HEALTHCHECK").at(-1);
  if (!health || !/CMD \["\/app\/bin\/healthcheck\.sh", "\/ready"\]$/.test(text(health))) {
    problems.add(file, `${at}: no HEALTHCHECK CMD ["/app/bin/healthcheck.sh", "/ready"]`);
  }
  if (!find("EXPOSE").some((i) => argsOf(i).split(/\s+/).includes(want.port))) {
    problems.add(file, `${at}: does not EXPOSE ${want.port}`);
  }
  const env = find("ENV").map(text).join(" ");
  if (!/JAVA_OPTS="[^"]*-XX:MaxRAMPercentage=\d+/.test(env)) {
    problems.add(file, `${at}: JAVA_OPTS does not size the heap from the container limit (-XX:MaxRAMPercentage)`);
  }
  if (want.worker && !/\bMALLOC_ARENA_MAX=2\b/.test(env)) problems.add(file, `${at}: no MALLOC_ARENA_MAX=2`);
  if (want.worker && !/\bWORKER_HOST=0\.0\.0\.0\b/.test(env)) problems.add(file, `${at}: the worker binds 127.0.0.1 (set WORKER_HOST=0.0.0.0)`);
  const run = find("RUN").map(text).join(" ");
  if (!/\btini\b/.test(run)) problems.add(file, `${at}: does not install tini`);
  if (want.worker && !/\blibpulse0\b/.test(run)) problems.add(file, `${at}: does not install libpulse0 (webrtc-java's native library needs it)`);
  if (want.gpu && !/^nvidia\/cuda:12\.[0-9.]+-cudnn-runtime-/.test(stage.image)) {
    problems.add(file, `${at}: base '${stage.image}' is not a CUDA 12 cuDNN runtime image`);
  }
  const from = copySource(stage, "/app");
  if (!from || !byName.has(from)) problems.add(file, `${at}: /app is not copied from a build stage`);
}

function checkRunStep(file, stage, ins, problems) {
  const line = ins.getRange().start.line + 1;
  const command = argsOf(ins).replace(/^(--[a-z]+=\S+\s+)+/, "");
  const buildsApp = /\b(mvn|java|javac|build\.sh|layout\.sh)\b/.test(command);
  if (!buildsApp) return;
  // why: what builds or lays out the application must be a script ops/deploy-check can run without Docker
  for (const part of command.split("&&").map((p) => p.trim())) {
    const script = part.split(/\s+/)[0];
    if (!script.startsWith("ops/docker/")) {
      problems.add(file, `line ${line}: '${part}' builds or lays out the app outside an ops/docker/ script`);
      continue;
    }
    const target = path.join(ROOT, script);
    if (!fs.existsSync(target)) {
      problems.add(file, `line ${line}: ${script} does not exist`);
    } else if ((fs.statSync(target).mode & 0o111) === 0) {
      problems.add(file, `line ${line}: ${script} is not executable`);
    }
  }
}

/** The example agent's Dockerfile: linted, pinned base, non-root. */
export function checkAgentDockerfile(file, dockerfile, problems) {
  for (const stage of stagesOf(dockerfile)) {
    if (!/:[^/]+$/.test(stage.image) || stage.image.endsWith(":latest")) {
      problems.add(file, `line ${stage.line}: base image '${stage.image}' has no pinned tag`);
    }
    const users = stage.instructions.filter((i) => i.getKeyword() === "USER");
    if (!users.length || /^(root|0)(:|$)/.test(argsOf(users.at(-1)))) problems.add(file, `stage at line ${stage.line} runs as root`);
  }
  problems.checked(file, "pinned base, non-root");
}

/** The build context leaves out build outputs and installed modules. */
export function checkDockerignore(file, problems) {
  const lines = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n").map((l) => l.trim());
  for (const need of ["**/target/", "**/node_modules/", ".git/"]) {
    if (!lines.includes(need)) problems.add(file, `does not exclude ${need} from the build context`);
  }
  problems.checked(file, "build context excludes");
}
