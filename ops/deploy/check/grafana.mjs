// The Grafana dashboard: well-formed JSON, a Prometheus datasource variable, panels on the 24-column
// grid with unique ids, every query parsed as PromQL against the metrics contract, and every
// avatarfleet_* metric of the contract on some panel.
import fs from "node:fs";
import path from "node:path";
import { checkQuery, withoutGrafanaVariables } from "./promql.mjs";
import { ROOT } from "./problems.mjs";

export function checkDashboard(file, contract, problems) {
  let dash;
  try {
    dash = JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"));
  } catch (e) {
    problems.add(file, `not JSON: ${e.message}`);
    return;
  }
  checkDashboardJson(file, dash, contract, problems);
}

/** The rules on a parsed dashboard. */
export function checkDashboardJson(file, dash, contract, problems) {
  const say = (m) => problems.add(file, m);
  if (!dash.uid || !dash.title || !(dash.schemaVersion >= 36)) say("needs uid, title and schemaVersion >= 36");
  const vars = dash.templating?.list ?? [];
  if (!vars.some((v) => v.type === "datasource" && v.query === "prometheus" && v.name === "datasource")) {
    say("no datasource variable of type prometheus named 'datasource'");
  }
  const used = new Set();
  const ids = new Set();
  const query = (expr, where) => {
    for (const s of checkQuery(withoutGrafanaVariables(expr), { file, where, problems, contract })) used.add(contract.metricOf(s)?.name ?? s);
  };
  for (const v of vars.filter((v) => v.type === "query")) {
    const q = typeof v.query === "string" ? v.query : v.query?.query;
    const m = q?.match(/^label_values\((.+),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/);
    if (!m) say(`variable ${v.name}: not label_values(selector, label)`);
    else query(m[1], `variable ${v.name}`);
  }
  const panels = (dash.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
  for (const p of panels) {
    const where = `panel ${p.id} '${p.title}'`;
    if (ids.has(p.id)) say(`${where}: id used twice`);
    ids.add(p.id);
    const g = p.gridPos ?? {};
    if (!(g.w > 0 && g.h > 0 && g.x >= 0 && g.x + g.w <= 24 && g.y >= 0)) say(`${where}: gridPos outside the 24-column grid`);
    if (p.type === "row") continue;
    if (p.datasource?.uid !== "${datasource}") say(`${where}: datasource is not the \${datasource} variable`);
    if (!(p.targets?.length > 0)) say(`${where}: no query`);
    for (const t of p.targets ?? []) query(t.expr ?? "", `${where} ${t.refId}`);
  }
  for (const [name] of contract.metrics) {
    if (name.startsWith("avatarfleet_") && !used.has(name)) say(`no panel shows ${name}`);
  }
  problems.checked(file, `${panels.length} panels, PromQL against ops/deploy/metrics.json, every avatarfleet_* metric shown`);
}
