"""The nightly pipeline at several sizes of the country, timed step by step, and the national figure by its slope.

Called by Scripts/bench with the numbers of people to run at (default 1, 5 and 20 million). For each size it
generates synthetic registries in Viet Nam's proportions - about 101 million people, 1 million enterprises and
30 million land parcels (each registry drawn on its own) - runs `chiso nightly` on them in a fresh warehouse,
with the synthetic indicator series, the example scenarios (10,000 draws) and every report (unit pages
included), and prints the seconds of each step from run.json, the peak resident memory of the run and the
warehouse's size on disk. Each step's seconds are then fitted as a + b x people over the sizes (least
squares), and the fit is read at 101 million people: the national estimate. Not a test: nothing here asserts
a time.
"""
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

CHISO = os.path.abspath(".build/release/chiso")
DATASETS = os.path.abspath("Datasets")
NATION = 101_000_000
# `chiso generate --scale s` writes about s x 101 million people, s x 920,000 enterprises (one per 110 people)
# and s x 81 million parcels (0.8 per person); the country has about 1 million enterprises and 30 million
# parcels, so each registry gets its own scale.
PER_PERSON = {"population": 1.0, "business": 1_000_000 / 920_000, "land": 30_000_000 / 81_000_000}


def run_size(people, work):
    """Runs the nightly on `people` people; returns its rows, seconds, peak RSS, warehouse bytes and run.json."""
    scale = people / NATION
    for registry, factor in PER_PERSON.items():
        subprocess.run([CHISO, "generate", "--scale", "%.6f" % min(1.0, scale * factor), "--seed", "7",
                        "--registry", registry, "--out", os.path.join(work, registry), "--datasets", DATASETS],
                       check=True, stdout=subprocess.DEVNULL)
    rows = {r: sum(1 for _ in open(os.path.join(work, r, r + ".csv"), "rb")) - 1 for r in PER_PERSON}
    with open(os.path.join(work, "pipeline.yaml"), "w") as f:
        f.write("warehouse: w.sqlite\ndatasets: %s\nindicators: [population/indicators.csv]\n"
                "registries:\n  population: population/population.csv\n  land: land/land.csv\n"
                "  business: business/business.csv\nregistry_as_of: 2024-12-31\noutput: out\n"
                "scenarios: [%s/scenarios/*.yaml]\neach_unit: true\n" % (DATASETS, DATASETS))
    env = dict(os.environ, CHISO_PSEUDONYM_KEY="benchmark key, not a secret")
    start = time.perf_counter()
    process = subprocess.Popen([CHISO, "nightly", "--config", os.path.join(work, "pipeline.yaml"), "--quiet"],
                               env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    run = json.load(open(os.path.join(work, "out", "run-1", "run.json")))
    disk = sum(os.path.getsize(os.path.join(work, n)) for n in os.listdir(work) if n.startswith("w.sqlite"))
    return {"people": people, "rows": rows, "seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024,
            "warehouse_mb": disk / 2**20, "exit": os.waitstatus_to_exitcode(status), "run": run}


def fit(xs, ys):
    """Least-squares a, b of y = a + b x."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx > 0 else 0.0
    return my - b * mx, b


def main():
    out_path = sys.argv[1]
    sizes = [int(n) for n in (sys.argv[2] if len(sys.argv) > 2 else "1000000,5000000,20000000").split(",")]
    results = []
    for people in sizes:
        work = tempfile.mkdtemp(prefix="chiso-bench-nightly-")
        try:
            results.append(run_size(people, work))
        finally:
            shutil.rmtree(work, ignore_errors=True)

    steps = [s["step"] for s in results[0]["run"]["steps"]]
    seconds = {r["people"]: {s["step"]: s["seconds"] for s in r["run"]["steps"]} for r in results}
    lines = ["nightly in Viet Nam's proportions (synthetic): %s" % "; ".join(
        "%d people, %d enterprises, %d parcels: %.1f s, peak RSS %.0f MB, warehouse %.0f MB%s"
        % (r["people"], r["rows"]["business"], r["rows"]["land"], r["seconds"], r["peak_rss_mb"], r["warehouse_mb"],
           {0: "", 2: " (exit 2: warnings, the rows spoiled on purpose rejected)"}.get(r["exit"], " (exit %d)" % r["exit"]))
        for r in results), ""]
    header = "| step | " + " | ".join("%s M people (s)" % format(r["people"] / 1e6, "g") for r in results)
    if len(results) > 1:
        header += " | s per million (slope) | national, 101 M (s) |"
        lines += [header, "|---" * (len(results) + 3) + "|"]
    else:
        lines += [header + " |", "|---" * (len(results) + 1) + "|"]
    xs = [r["people"] for r in results]
    total_national = 0.0
    for step in steps:
        ys = [seconds[r["people"]].get(step, 0.0) for r in results]
        cells = " | ".join("%.2f" % y for y in ys)
        if len(results) > 1:
            a, b = fit(xs, ys)
            # A step that does not grow with the registries (the series, the scenarios, the reports) is taken
            # at its mean.
            national = a + b * NATION if b > 0 else sum(ys) / len(ys)
            total_national += national
            lines.append("| %s | %s | %.3f | %.0f |" % (step, cells, b * 1e6, national))
        else:
            lines.append("| %s | %s |" % (step, cells))
    if len(results) > 1:
        a, b = fit(xs, [r["warehouse_mb"] for r in results])
        lines += ["", "national estimate by these slopes: %.0f s (%.1f min) of steps, warehouse about %.0f GB"
                  % (total_national, total_national / 60, (a + b * NATION) / 1024)]
    lines += ["", platform.platform()]
    text = "\n".join(lines)
    print(text)
    with open(out_path + ".md", "w") as f:
        f.write(text + "\n")
    with open(out_path + ".json", "w") as f:
        json.dump(results, f, indent=1)
    print("written: " + out_path + ".md, " + out_path + ".json")


if __name__ == "__main__":
    main()
