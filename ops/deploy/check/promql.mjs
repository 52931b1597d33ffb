// Parses a PromQL expression with Prometheus' own grammar (@prometheus-io/lezer-promql) and checks
// that every series it selects and every label it names is in the metrics contract.
import { parser } from "@prometheus-io/lezer-promql";

/** Grafana's variables, replaced by values of the same PromQL kind before parsing. */
export function withoutGrafanaVariables(expr) {
  return expr
    .replaceAll(/\$__(rate_interval|interval|range)\b/g, "5m")
    .replaceAll(/\$\{[A-Za-z0-9_:]+\}|\$[A-Za-z_][A-Za-z0-9_]*/g, "x");
}

/** The series names and label names EXPR uses, or a syntax error. */
export function analyse(expr) {
  const tree = parser.parse(expr);
  const series = new Set();
  const labels = new Set();
  let error = null;
  tree.iterate({
    enter(node) {
      if (node.type.isError && error === null) {
        error = `syntax error at ${node.from}: ...${expr.slice(Math.max(0, node.from - 20), node.from + 20)}...`;
      }
      if (node.name === "Identifier" && node.node.parent?.name === "VectorSelector") {
        series.add(expr.slice(node.from, node.to));
      }
      if (node.name === "LabelName") {
        const label = expr.slice(node.from, node.to);
        if (label === "__name__") {
          const value = node.node.parent?.getChild("StringLiteral");
          if (value) series.add(expr.slice(value.from + 1, value.to - 1));
        } else {
          labels.add(label);
        }
      }
    },
  });
  return { series, labels, error };
}

/** Adds to PROBLEMS what is wrong with EXPR (in FILE, at WHERE); returns the series it uses. */
export function checkQuery(expr, { file, where, problems, contract }) {
  const { series, labels, error } = analyse(expr);
  if (error) {
    problems.add(file, `${where}: not PromQL: ${error} in '${expr}'`);
    return series;
  }
  if (series.size === 0) problems.add(file, `${where}: selects no metric: '${expr}'`);
  for (const name of series) {
    if (!contract.metricOf(name)) problems.add(file, `${where}: '${name}' is not in ops/deploy/metrics.json`);
  }
  const allowed = contract.labelsFor(series);
  for (const label of labels) {
    if (!allowed.has(label)) problems.add(file, `${where}: label '${label}' is not a label of ${[...series].join(", ")}`);
  }
  return series;
}
