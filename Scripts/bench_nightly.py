"""The nightly pipeline at the scale of a large province's platform, timed step by step.

Called by Scripts/bench. Generates synthetic registries of about 1,000,000 people, 200,000 enterprises and
500,000 land parcels (each registry drawn on its own, so the three scales differ), runs `chiso nightly` on
them with the synthetic indicator series, the example scenarios (10,000 draws) and every report (unit pages
included), and prints the seconds of each step from run.json, with the peak
resident memory of the run. Not a test: nothing here asserts a time.
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


def main():
    out_path = sys.argv[1]
    work = tempfile.mkdtemp(prefix="chiso-bench-nightly-")
    try:
        # Scales relative to Viet Nam's population: people 1:101, enterprises at one per 110 people of a
        # 22-million population, parcels at 0.8 per person of a 626,000 population.
        for registry, scale in (("population", 0.0099), ("business", 0.2178), ("land", 0.0062)):
            subprocess.run([CHISO, "generate", "--scale", str(scale), "--seed", "7", "--registry", registry,
                            "--out", os.path.join(work, registry), "--datasets", DATASETS],
                           check=True, stdout=subprocess.DEVNULL)
        rows = {r: sum(1 for _ in open(os.path.join(work, r, r + ".csv"))) - 1 for r in ("population", "business", "land")}
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
    finally:
        shutil.rmtree(work, ignore_errors=True)

    lines = ["nightly on %d people, %d enterprises, %d parcels (synthetic): %.1f s, peak RSS %.0f MB, exit %d"
             % (rows["population"], rows["business"], rows["land"], seconds, usage.ru_maxrss / 1024,
                os.waitstatus_to_exitcode(status)), "", "| step | status | seconds |", "|---|---|---|"]
    lines += ["| %s | %s | %.2f |" % (s["step"], s["status"], s["seconds"]) for s in run["steps"]]
    lines += ["", platform.platform()]
    text = "\n".join(lines)
    print(text)
    with open(out_path + ".md", "w") as f:
        f.write(text + "\n")
    with open(out_path + ".json", "w") as f:
        json.dump({"rows": rows, "seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024, "run": run}, f, indent=1)
    print("written: " + out_path + ".md, " + out_path + ".json")


if __name__ == "__main__":
    main()
