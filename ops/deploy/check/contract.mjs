// The metrics contract (ops/deploy/metrics.json): which series names exist and which labels they carry.
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./problems.mjs";

// why: labels Prometheus itself adds to every scraped series (kubernetes_sd / ServiceMonitor, dns_sd)
const TARGET_LABELS = ["instance", "job", "namespace", "pod", "service", "container", "endpoint"];
// why: Micrometer's Prometheus registry writes a histogram as these series
const HISTOGRAM_SUFFIXES = ["_bucket", "_count", "_sum", "_max"];

export class MetricsContract {
  constructor(file = path.join(ROOT, "ops/deploy/metrics.json")) {
    const doc = JSON.parse(fs.readFileSync(file, "utf8"));
    this.file = file;
    this.commonLabels = doc.common_labels;
    this.metrics = new Map(doc.metrics.map((m) => [m.name, m]));
  }

  /** The contract metric that series NAME belongs to, or null. */
  metricOf(name) {
    if (this.metrics.has(name)) {
      const m = this.metrics.get(name);
      return m.type === "histogram" ? null : m;
    }
    for (const suffix of HISTOGRAM_SUFFIXES) {
      if (name.endsWith(suffix)) {
        const m = this.metrics.get(name.slice(0, -suffix.length));
        if (m && m.type === "histogram") return m;
      }
    }
    return null;
  }

  /** The labels a query over these series may name. */
  labelsFor(seriesNames) {
    const labels = new Set([...this.commonLabels, ...TARGET_LABELS]);
    for (const name of seriesNames) {
      const m = this.metricOf(name);
      if (!m) continue;
      m.labels.forEach((l) => labels.add(l));
      if (name.endsWith("_bucket")) labels.add("le");
    }
    return labels;
  }
}
