# Reads a Prometheus text-format scrape on stdin with the Prometheus Python client's own parser (Debian's
# python3-prometheus-client) and prints one line per family and per sample, for PrometheusScrape (Java):
#   F <family> <type>
#   S <sample name> <value> <label=value&...>   (names and values percent-encoded)
# A malformed scrape makes the parser raise: exit 1 with the error on stderr.
import sys
from urllib.parse import quote
from prometheus_client.parser import text_string_to_metric_families

text = sys.stdin.read()
out = []
for family in text_string_to_metric_families(text):
    out.append("F %s %s" % (family.name, family.type))
    for s in family.samples:
        labels = "&".join("%s=%s" % (quote(k, safe=""), quote(v, safe="")) for k, v in sorted(s.labels.items()))
        out.append("S %s %r %s" % (s.name, float(s.value), labels))
print("\n".join(out))
