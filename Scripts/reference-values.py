#!/usr/bin/env python3
"""Independent reference values for chiso's compute core, from numpy and scipy.

Re-implements METHODS.md sections 2 and 3 directly (numpy.linalg.lstsq, scipy.stats.t) and writes the
results to Tests/AnalyticsTests/Fixtures/reference-values.json, which the Swift tests compare against.
Run it again after changing a method:  python3 Scripts/reference-values.py
"""
import json
import math
import os

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "AnalyticsTests", "Fixtures", "reference-values.json")


# ---- METHODS.md 2: models -------------------------------------------------------------------------------

def transform(model, y):
    y = np.asarray(y, dtype=float)
    if model == "loglinear":
        return np.log(y)
    if model == "logit":
        p = np.clip(y / 100.0, 0.001, 0.999)
        return np.log(p / (1 - p))
    return y


def inverse(model, z):
    if model == "loglinear":
        return math.exp(z)
    if model == "logit":
        return 100.0 / (1.0 + math.exp(-z))
    return z


def applies(model, values, bounded):
    if model == "loglinear":
        return all(v > 0 for v in values)
    if model == "logit":
        return bounded
    return True


def fit(model, years, values):
    """Returns a function year -> (center, spread, df) on the model's scale, and the fitted slope."""
    t = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    n = len(t)
    if model == "naive" or n == 1:
        changes = np.diff(y)
        sigma = math.sqrt(float(np.mean(changes ** 2))) if len(changes) else 0.0
        last_year, last = t[-1], y[-1]
        # A random walk in the series' own steps: a survey every two years is one step from 2024 to 2026.
        cadence = max(1.0, t[-1] - t[-2]) if n >= 2 else 1.0
        steps = lambda T: math.ceil(max(0.0, T - last_year) / cadence)
        return (lambda T: (last, sigma * math.sqrt(steps(T)), len(changes))), 0.0
    X = np.column_stack([np.ones(n), t])
    z = transform(model, y)
    coef, *_ = np.linalg.lstsq(X, z, rcond=None)
    resid = z - X @ coef
    df = n - 2
    sigma = math.sqrt(float(resid @ resid) / df) if df > 0 else 0.0
    tbar, sxx = t.mean(), float(((t - t.mean()) ** 2).sum())

    def at(T):
        center = coef[0] + coef[1] * T
        spread = sigma * math.sqrt(1 + 1 / n + (T - tbar) ** 2 / sxx)
        return center, spread, df
    return at, float(coef[1])


def forecast(model, years, values, T):
    at, _ = fit(model, years, values)
    center, spread, df = at(T)
    out = {"value": inverse(model, center), "center": center, "spread": spread, "df": df}
    if df > 0 and spread > 0:
        for name, p in (("80", 0.9), ("95", 0.975)):
            q = stats.t.ppf(p, df)
            out["lower" + name] = inverse(model, center - q * spread)
            out["upper" + name] = inverse(model, center + q * spread)
    return out


def backtest(model, years, values):
    errors = []
    for k in range(3, len(years)):
        at, _ = fit(model, years[:k], values[:k])
        center, _, _ = at(years[k])
        errors.append(abs(inverse(model, center) - values[k]))
    return float(np.mean(errors))


ORDER = ["naive", "linear", "loglinear", "logit"]


def choose(years, values, bounded):
    usable = [m for m in ORDER if applies(m, values, bounded)]
    if len(years) == 1:
        return "naive"
    if len(years) < 4:
        return "linear"
    maes = {m: backtest(m, years, values) for m in usable}
    return min(usable, key=lambda m: (maes[m], ORDER.index(m)))


SERIES = [
    ("steady rise", list(range(2015, 2025)), [20, 24, 27, 33, 38, 41, 47, 52, 55, 61], True),
    ("saturating share", list(range(2016, 2025)), [40, 55, 66, 75, 81, 86, 89, 91.5, 93], True),
    ("compound growth", list(range(2014, 2024)), [100, 108, 117, 126, 136, 147, 159, 171, 185, 200], False),
    ("noisy flat", list(range(2015, 2025)), [50, 53, 49, 52, 48, 51, 50, 53, 49, 51], True),
    ("with gaps", [2016, 2017, 2019, 2020, 2023, 2024], [12, 15, 19, 23, 31, 36], True),
    ("three points", [2022, 2023, 2024], [10, 14, 15], True),
    ("falling rank", [2014, 2016, 2018, 2020, 2022, 2024], [99, 89, 88, 86, 86, 71], False),
]


def forecast_cases():
    cases = []
    for name, years, values, bounded in SERIES:
        case = {"name": name, "years": years, "values": values, "bounded": bounded, "horizon": [2025, 2030],
                "models": {}, "chosen": choose(years, values, bounded)}
        for model in ORDER:
            if not applies(model, values, bounded):
                continue
            entry = {"forecasts": {str(T): forecast(model, years, values, T) for T in (2025, 2030)},
                     "slope": fit(model, years, values)[1]}
            if len(years) >= 4:
                entry["backtest_mae"] = backtest(model, years, values)
            case["models"][model] = entry
        cases.append(case)
    return cases


# ---- METHODS.md 3.1: progress measure -------------------------------------------------------------------

def cagr(a, b, ta, tb):
    return (a / b) ** (1.0 / (ta - tb)) - 1


def pm_status(p):
    return ("substantial progress" if p >= 0.95 else "moderate progress" if p >= 0.6
            else "limited progress" if p >= 0 else "deterioration")


def pm_score(p):
    return min(7.1429 * p - 4.2857, 5) if p >= 0.6 else max(4.1667 * p - 2.5, -5)


def progress_measure(years, values, direction, x, T, base_year):
    pts = sorted((t, v) for t, v in zip(years, values) if t <= T)
    t, y = pts[-1]
    t0, y0 = next((p for p in pts if p[0] >= base_year), pts[-1])
    if (direction > 0 and y >= x) or (direction < 0 and y <= x):
        return {"status": "target achieved", "score": 5}
    if t - t0 < 1:
        return {"status": "insufficient data"}
    y0 = 0.001 if y0 == 0 else y0
    x = 0.001 if x == 0 else x
    if (y0 > 0) != (y > 0) or (y0 > 0) != (x > 0):
        return {"status": "not assessable"}  # no real CAGR between values of opposite signs
    sign = -1 if y0 < 0 else 1
    p = sign * direction * cagr(y, y0, t, t0) / abs(cagr(x, y0, T, t0))
    return {"status": pm_status(p), "progress": p, "score": pm_score(p)}


PROGRESS_CASES = [
    ([2020, 2023], [10, 14], 1, 20, 2025, 2020),
    ([2020, 2021, 2022, 2023, 2024], [40, 44, 47, 52, 55], 1, 80, 2025, 2020),
    ([2019, 2021, 2024], [30, 29, 27], 1, 60, 2025, 2020),
    ([2020, 2024], [60, 58], -1, 40, 2025, 2020),
    ([2022, 2024], [86, 71], -1, 50, 2026, 2022),
    ([2022, 2024], [86, 71], -1, 30, 2030, 2022),
    ([2020, 2024], [0, 25], 1, 100, 2025, 2020),
    ([2020, 2024], [50, 95], 1, 90, 2025, 2020),
    ([2021, 2024], [-5, -2], 1, 0, 2025, 2020),
]


def limit_scaling(b, l):
    if b <= l:
        return 1 - (b / l) ** 4.44
    if b < 2 * l:
        return 1 - ((2 * l - b) / l) ** 4.44
    return 1.0


def without_target(t0, y0, t, y, direction, limit):
    y0 = 0.001 if y0 == 0 else y0
    sign = -1 if y0 < 0 else 1
    v = sign * direction * cagr(y, y0, t, t0)
    C = limit_scaling(abs(y0), limit) if limit is not None else 1.0
    high, med, low = 0.015 * C, 0.005 * C, 0.0
    status = ("substantial progress" if v >= high else "moderate progress" if v >= med
              else "limited progress" if v >= low else "deterioration")
    if v < low:
        score = max(125 * v - 2.5, -5)
    elif C == 0:
        score = 5
    elif v >= high:
        score = min(500 * v / C - 5, 5)
    elif v >= med:
        score = 250 * v / C - 1.25
    else:
        score = 500 * v / C - 2.5
    return {"progress": v, "status": status, "score": score, "C": C}


NO_TARGET_CASES = [
    (2020, 50, 2024, 60, 1, None), (2020, 90, 2024, 93, 1, 100), (2020, 99, 2024, 99.5, 1, 100),
    (2020, 150, 2024, 155, 1, 100), (2020, 250, 2024, 240, 1, 100), (2020, 40, 2024, 40.5, 1, 100),
    (2020, 100, 2024, 100, 1, 100),
]


# ---- METHODS.md 3.2-3.4 ---------------------------------------------------------------------------------

def pvr(t0, y0, t, y, x, T, percent):
    vT = y * (1 + cagr(y, y0, t, t0)) ** (T - t)
    ratio = (vT - y0) / (x - y0)
    if percent and x in (0, 100) and abs(vT - x) <= 1:
        status = "on track"
    else:
        status = "on track" if ratio >= 0.95 else "fair progress, acceleration needed" if ratio >= 0.10 \
            else "stagnation or regression"
    return {"status": status, "ratio": ratio, "projected": vT}


PVR_CASES = [(2020, 40, 2024, 60, 80, 2025, True), (2020, 40, 2024, 45, 80, 2025, True),
             (2020, 40, 2024, 39, 80, 2025, True), (2020, 60, 2024, 95, 100, 2025, True),
             (2020, 86, 2024, 71, 50, 2026, False), (2020, 10, 2023, 14, 20, 2025, False)]


def escap(y0, y, x, direction):
    if (direction > 0 and y >= x) or (direction < 0 and y <= x):
        return 10.0
    return 10 * direction * (y - y0) / abs(x - y0)


ESCAP_CASES = [(40, 60, 80, 1), (40, 38, 80, 1), (40, 76.4, 80, 1), (86, 71, 50, -1), (60, 30, 50, -1)]


def pace(t, y, x, T):
    if T <= t:
        return {}
    out = {"per_year": (x - y) / (T - t)}
    if x > 0 and y > 0:
        out["rate"] = (x / y) ** (1 / (T - t)) - 1
    return out


PACE_CASES = [(2024, 60, 80, 2025), (2023, 50, 100, 2030), (2024, 71, 50, 2026), (2025, 70, 80, 2025)]


def probability(model, fc, x, at_least):
    center, spread, df = fc["center"], fc["spread"], fc["df"]
    z = transform(model, [x])[0]
    below = stats.t.cdf((z - center) / spread, df)
    return 1 - below if at_least else below


def probability_cases():
    cases = []
    for name, years, values, bounded in SERIES[:3]:
        for model in ("linear", "logit" if bounded else "loglinear"):
            fc = forecast(model, years, values, 2025)
            x = values[-1] * 1.1 if not bounded else min(99.0, values[-1] + 8)
            cases.append({"series": name, "model": model, "threshold": x,
                          "probability": float(probability(model, fc, x, True))})
    return cases


def main():
    data = {
        "generated_by": "Scripts/reference-values.py (numpy %s, scipy)" % np.__version__,
        "forecasts": forecast_cases(),
        "progress_measure": [
            {"years": c[0], "values": c[1], "direction": c[2], "threshold": c[3], "deadline": c[4], "base_year": c[5],
             "expected": progress_measure(*c)} for c in PROGRESS_CASES],
        "progress_status_boundaries": [{"progress": p, "status": pm_status(p), "score": pm_score(p)}
                                       for p in (0.95, 0.9499999999, 0.6, 0.5999999999, 0.0, -1e-12, 2.0, -3.0)],
        "without_target": [
            {"base_year": c[0], "base": c[1], "latest_year": c[2], "latest": c[3], "direction": c[4], "limit": c[5],
             "expected": without_target(*c)} for c in NO_TARGET_CASES],
        "projected_value_ratio": [
            {"base_year": c[0], "base": c[1], "latest_year": c[2], "latest": c[3], "threshold": c[4], "deadline": c[5],
             "percent": c[6], "expected": pvr(*c)} for c in PVR_CASES],
        "pvr_status_boundaries": [{"ratio": r, "status": "on track" if r >= 0.95 else
                                   "fair progress, acceleration needed" if r >= 0.10 else "stagnation or regression"}
                                  for r in (0.95, 0.9499999999, 0.10, 0.0999999999)],
        "escap": [{"base": c[0], "value": c[1], "threshold": c[2], "direction": c[3], "index": escap(*c)}
                  for c in ESCAP_CASES],
        "required_pace": [{"latest_year": c[0], "latest": c[1], "threshold": c[2], "deadline": c[3],
                           "expected": pace(*c)} for c in PACE_CASES],
        "probability": probability_cases(),
    }
    with open(OUT, "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
    print(OUT)


if __name__ == "__main__":
    main()
