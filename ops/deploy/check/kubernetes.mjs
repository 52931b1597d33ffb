// The Kubernetes objects, validated two ways against Kubernetes' own API definitions as the
// kubernetes-models packages ship them (generated from Kubernetes' OpenAPI spec and the Prometheus
// Operator's CRDs): their JSON-schema validators (types, formats, required fields, enums), and their
// TypeScript types with excess-property checks, which catch a misspelt or misplaced field as
// `kubectl apply` (strict field validation) would.
import path from "node:path";
import ts from "typescript";
import { ROOT } from "./problems.mjs";

function modulePath({ apiVersion, kind }) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "monitoring.coreos.com") return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  return `kubernetes-models/${group ? `${group}/` : ""}${version}/${kind}`;
}

const where = ({ file, index, object }) => `${file} #${index + 1} ${object.kind}/${object.metadata?.name}`;

/** Schema validation of every object (the packages' JSON-schema validators). */
export async function validateSchemas(objects, problems) {
  for (const entry of objects) {
    const { object } = entry;
    if (!object?.apiVersion || !object?.kind) {
      problems.add(entry.file, `#${entry.index + 1} has no apiVersion/kind`);
      continue;
    }
    let Model;
    try {
      Model = (await import(modulePath(object)))[object.kind];
    } catch {
      problems.add(entry.file, `${where(entry)}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (e) {
      problems.add(entry.file.split(" + ")[0], `${where(entry)}: ${e.message}`);
    }
  }
}

/** Strict field check: each object as a literal of its kubernetes-models type, type-checked by tsc. */
export function validateFieldsStrictly(objects, problems) {
  const lines = [];
  const spans = [];
  objects.forEach((entry, i) => {
    const { object } = entry;
    if (!object?.apiVersion || !object?.kind) return;
    lines.push(`import type { I${object.kind} as T${i} } from "${modulePath(object)}";`);
  });
  objects.forEach((entry, i) => {
    if (!entry.object?.apiVersion) return;
    const body = JSON.stringify(entry.object, null, 2).split("\n");
    spans.push({ entry, from: lines.length + 1, to: lines.length + body.length });
    lines.push(`export const o${i}: T${i} = ${body[0]}`, ...body.slice(1));
  });
  const file = path.join(ROOT, "ops/deploy/.k8s-objects.check.ts");
  const source = lines.join("\n") + "\n";
  const host = ts.createCompilerHost({});
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => (f === file ? source : readFile(f));
  host.fileExists = (f) => f === file || fileExists(f);
  const program = ts.createProgram([file], {
    noEmit: true, strict: true, skipLibCheck: true, types: [],
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
  }, host);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (!d.file || d.file.fileName !== file) {
      problems.add("ops/deploy/check/kubernetes.mjs", `type check: ${message}`);
      continue;
    }
    const line = d.file.getLineAndCharacterOfPosition(d.start).line + 1;
    const span = spans.find((s) => line >= s.from && line <= s.to);
    const near = source.split("\n")[line - 1].trim();
    problems.add(span ? span.entry.file.split(" + ")[0] : "ops/deploy/k8s", `${span ? where(span.entry) : ""}: ${message} (near ${near})`);
  }
}
