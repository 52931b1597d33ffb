// Renders a kustomization the way `kubectl apply -k` would, for the subset of kustomize these
// manifests use (resources, JSON 6902 patches with a target, images), so that the overlays are
// validated as what they produce. Any other kustomization field is reported, never silently skipped.
import fs from "node:fs";
import path from "node:path";
import jsonpatch from "fast-json-patch";
import YAML from "yaml";
import { ROOT, rel } from "./problems.mjs";

const SUPPORTED = new Set(["apiVersion", "kind", "resources", "patches", "images"]);

/** The objects DIR's kustomization.yaml produces: [{file, index, object}]. */
export function render(dir, problems) {
  const kfile = path.join(dir, "kustomization.yaml");
  const k = YAML.parse(fs.readFileSync(kfile, "utf8"));
  problems.checked(rel(kfile), "kustomization rendered");
  for (const key of Object.keys(k)) {
    if (!SUPPORTED.has(key)) problems.add(rel(kfile), `'${key}' is not rendered by this check (supported: ${[...SUPPORTED].join(", ")})`);
  }
  if (k.apiVersion !== "kustomize.config.k8s.io/v1beta1" || k.kind !== "Kustomization") {
    problems.add(rel(kfile), "not a kustomize.config.k8s.io/v1beta1 Kustomization");
  }
  const objects = [];
  for (const entry of k.resources ?? []) {
    const target = path.join(dir, entry);
    if (!fs.existsSync(target)) {
      problems.add(rel(kfile), `resource ${entry} does not exist`);
    } else if (fs.statSync(target).isDirectory()) {
      objects.push(...render(target, problems));
    } else {
      objects.push(...readObjects(target));
    }
  }
  for (const patch of k.patches ?? []) applyPatch(dir, kfile, patch, objects, problems);
  for (const image of k.images ?? []) setImage(image, objects);
  return objects;
}

/** The YAML documents of FILE. */
export function readObjects(file) {
  return YAML.parseAllDocuments(fs.readFileSync(file, "utf8"))
    .map((doc, index) => ({ file: rel(file), index, object: doc.toJS() }))
    .filter((o) => o.object !== null);
}

function applyPatch(dir, kfile, patch, objects, problems) {
  const ops = patch.path ? YAML.parse(fs.readFileSync(path.join(dir, patch.path), "utf8")) : YAML.parse(patch.patch ?? "null");
  if (!Array.isArray(ops)) {
    problems.add(rel(kfile), `patch ${patch.path ?? "(inline)"} is not a JSON 6902 list of operations`);
    return;
  }
  const t = patch.target ?? {};
  const matches = objects.filter(({ object: o }) =>
    (!t.kind || o.kind === t.kind) && (!t.name || o.metadata?.name === t.name)
    && (!t.group || (o.apiVersion ?? "").split("/")[0] === t.group)
    && (!t.version || (o.apiVersion ?? "").split("/").at(-1) === t.version));
  if (matches.length === 0) problems.add(rel(kfile), `patch ${patch.path ?? "(inline)"} matches no object`);
  for (const m of matches) {
    try {
      m.object = jsonpatch.applyPatch(structuredClone(m.object), ops, true).newDocument;
      m.file = `${m.file} + ${rel(path.join(dir, patch.path ?? "kustomization.yaml"))}`;
    } catch (e) {
      problems.add(rel(kfile), `patch ${patch.path ?? "(inline)"} on ${m.object.kind}/${m.object.metadata?.name}: ${e.message.split("\n")[0]}`);
    }
  }
}

function setImage({ name, newName, newTag }, objects) {
  for (const { object } of objects) {
    const spec = object.spec?.template?.spec;
    for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
      const [image, tag] = splitImage(c.image);
      if (image === name) c.image = `${newName ?? image}${newTag ? `:${newTag}` : tag ? `:${tag}` : ""}`;
    }
  }
}

function splitImage(ref) {
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  return colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, null];
}

export { ROOT };
