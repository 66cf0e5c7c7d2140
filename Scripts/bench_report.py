"""The report benchmark of Scripts/bench: builds a warehouse from the bundled sample (indicators, the three
registries and what derive makes of them, task status, aggregate, forecast, assess, a 10,000-draw scenario) with the release build, then times
`chiso report` (national report and every CSV and SDMX export) and `chiso report --each-unit` (plus one page
per unit and their index), best of three each, and the size of the national report.

    python Scripts/bench_report.py OUT_PREFIX
"""
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

out = sys.argv[1]
chiso = os.path.abspath(".build/release/chiso")
work = tempfile.mkdtemp(prefix="chiso-bench-report-")
db = os.path.join(work, "w.sqlite")


env = dict(os.environ, CHISO_PSEUDONYM_KEY="bench key of more than sixteen bytes")


def run(*args):
    return subprocess.run([chiso, *args, "--db", db], check=True, capture_output=True, text=True, env=env).stdout


run("init")
run("ingest", "Datasets/sample/synthetic/indicators.csv")
for registry in ("population", "land", "business"):
    run("ingest", "--registry", registry, "--as-of", "2024-12-31", "Datasets/sample/synthetic/%s.csv" % registry)
run("derive")
run("ingest", "--task-status", "Datasets/sample/task-status.csv")
run("aggregate", "--save")
run("forecast", "--save")
run("assess", "--save")
run("simulate", "--scenario", "Datasets/scenarios/lagging-provinces.yaml", "--save")


def best(*args):
    times, paths = [], ""
    for _ in range(3):
        start = time.perf_counter()
        paths = run("report", "--output", os.path.join(work, "out"), *args)
        times.append(time.perf_counter() - start)
    return min(times), paths.split()


national, paths = best()
each, each_paths = best("--each-unit")
report = next(p for p in paths if p.endswith("/report.html"))
pages = [p for p in each_paths if "/units/" in p and not p.endswith("index.html")]
size = os.path.getsize(report)
lines = ["| task | chiso (s) |", "|---|---|",
         "| national report, every CSV and SDMX export | %.3f |" % national,
         "| the same plus %d unit pages and their index | %.3f |" % (len(pages), each),
         "",
         "national report: %.0f kB (goal under 2 MB); goal for the report plus the province pages: under 2 s; %s" % (
             size / 1024, platform.platform())]
text = "\n".join(lines)
print(text)
open(out + ".md", "w").write(text + "\n")
json.dump({"national_seconds": national, "each_unit_seconds": each, "unit_pages": len(pages), "report_bytes": size},
          open(out + ".json", "w"), indent=1)
print("written: " + out + ".md, " + out + ".json")
