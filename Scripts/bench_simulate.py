"""The numpy side of the simulation benchmark (Scripts/bench): the same Monte Carlo simulation as
`chiso-bench simulate` on the fitted distributions it wrote, timed the same way (draws, interventions,
aggregation inside each draw, quantiles and probabilities; not the fitting).

    python Scripts/bench_simulate.py INPUTS.json OUT_PREFIX SWIFT_JSON

Prints a table of times and ratios and writes it, with the raw figures, to OUT_PREFIX.md / .json.
"""
import json
import platform
import resource
import sys
import time

import numpy as np

inputs_path, out, swift_json = sys.argv[1], sys.argv[2], sys.argv[3]
inputs = json.load(open(inputs_path))
swift = json.loads(swift_json)
draws, rho = inputs["draws"], inputs["correlation"]
series = inputs["series"]
n_ind = 1 + max(s["indicator"] for s in series)
n_prov = 1 + max(s["province"] for s in series)
by = {(s["indicator"], s["province"]): s for s in series}


def column(name, i):
    return np.array([by[(i, p)][name] for p in range(n_prov)])


def inverse(models, z):
    v = z.copy()
    log = models == "loglinear"
    v[:, log] = np.exp(z[:, log])
    logit = models == "logit"
    v[:, logit] = 100 / (1 + np.exp(-z[:, logit]))
    return v


def simulate():
    rng = np.random.default_rng(942)
    regions = np.array([by[(0, p)]["region"] for p in range(n_prov)])
    membership = np.zeros((n_prov, 7))
    membership[np.arange(n_prov), regions] = 1
    membership[:, 6] = 1
    national = {}
    for i in range(n_ind):
        models = column("model", i)
        df = column("df", i).astype(float)
        weight = column("weight", i).astype(float)
        lagging = column("lagging", i).astype(bool)
        common = rng.standard_normal(draws)
        z = rng.standard_normal((draws, n_prov))
        safe = np.where(df > 0, df, 1)
        chi = rng.chisquare(safe, (draws, n_prov))
        e = (np.sqrt(rho) * common[:, None] + np.sqrt(1 - rho) * z) * np.sqrt(safe / chi)
        e[:, df == 0] = 0
        for year in (2025, 2030):
            v = inverse(models, column("center%d" % year, i) + column("spread%d" % year, i) * e)
            if year >= 2026:
                v[:, lagging] += 2 * (year - 2026 + 1)
            np.clip(v, 0, 100, out=v)
            parents = (v * (weight / 100)) @ membership / ((weight / 100) @ membership)
            values = np.concatenate([v, parents], axis=1)
            q = np.quantile(values, [0.025, 0.1, 0.5, 0.9, 0.975], axis=0)
            p = (values >= 90).mean(axis=0)
            if year == 2030:
                national["I%d" % i] = [q[2, -1], q[4, -1] - q[0, -1], p[-1]]
    return national


start = time.perf_counter()
national = simulate()
numpy_seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

# Agreement: the two use different random numbers, so the nation's 2030 medians may differ by Monte Carlo
# error only; shown as the largest difference over the 95% band's width.
worst = max(abs(swift["national_2030"][k][0] - national[k][0]) / max(national[k][1], 1e-9) for k in national)
worst_p = max(abs(swift["national_2030"][k][2] - national[k][2]) for k in national)
label = "%d draws x %d provinces x %d indicators x 2 deadlines" % (draws, n_prov, n_ind)
lines = ["| task | chiso (s) | numpy %s (s) | speed vs numpy |" % np.__version__, "|---|---|---|---|",
         "| simulate %s, aggregated to 6 regions + nation in each draw | %.3f | %.3f | %.2fx |" % (
             label, swift["simulate_seconds"], numpy_seconds, numpy_seconds / swift["simulate_seconds"]),
         "",
         "peak RSS: chiso-bench %.0f MB (%d threads), numpy %.0f MB; national 2030 medians agree within %.1f%% of the "
         "95%% band, probabilities within %.3f; %s" % (swift["peak_rss_mb"], swift["threads"], peak, 100 * worst, worst_p,
                                                       platform.platform())]
text = "\n".join(lines)
print(text)
open(out + ".md", "w").write(text + "\n")
json.dump({"chiso": swift, "numpy": {"simulate_seconds": numpy_seconds, "peak_rss_mb": peak, "national_2030": national}},
          open(out + ".json", "w"), indent=1, sort_keys=True)
print("written: " + out + ".md, " + out + ".json")
