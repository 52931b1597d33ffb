// Collects what a check found wrong, per file, so that one run reports every problem at once.
import path from "node:path";

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");

export class Problems {
  #list = [];
  #checked = new Map();

  /** A problem in FILE (a path relative to the repository root). */
  add(file, message) {
    this.#list.push({ file, message });
  }

  /** Records that FILE was checked by WHAT (printed in the summary). */
  checked(file, ...what) {
    const list = this.#checked.get(file) ?? [];
    for (const w of what) if (!list.includes(w)) list.push(w);
    this.#checked.set(file, list);
  }

  get count() {
    return this.#list.length;
  }

  print(out = console.error) {
    for (const [file, what] of this.#checked) {
      const mine = this.#list.filter((p) => p.file === file).length;
      out(`${mine === 0 ? "ok  " : "FAIL"} ${file}: ${what.join(", ")}`);
    }
    for (const { file, message } of this.#list) {
      out(`  ${file}: ${message}`);
    }
  }
}

/** The repository-relative form of an absolute path. */
export function rel(file) {
  return path.relative(ROOT, file);
}
