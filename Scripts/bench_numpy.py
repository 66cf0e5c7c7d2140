#!/usr/bin/env python3
"""The numpy side of Scripts/bench: the same work as chiso-bench, the way a numpy user would write it.

Forecasts: N series x 10 years, four models (linear, loglinear, logit, naive) fitted with all series as
right-hand sides, twice: by numpy.linalg.lstsq, and by the pseudo-inverse applied with one product (what
chiso does), rolling-origin backtest (k = 3..9), model choice by smallest MAE,
forecasts with 80/95% t intervals to 2025 and 2030.
Roll-up: 50 indicators x 10,035 communes x 10 periods, commune -> district -> province -> region -> nation,
SUM and RATIO (numerators and denominators) with completeness counts, twice: with dense membership matrices,
and with scipy.sparse CSR ones (what a scipy user would pick: the cost follows the members).
Prints one JSON object.
"""
import csv
import json
import resource
import sys
import time

import numpy as np
from scipy import sparse, stats

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
DATASETS = sys.argv[2] if len(sys.argv) > 2 else "Datasets"


def solve(X, Z, method):
    """Least squares for every column of Z: LAPACK lstsq, or the pseudo-inverse applied by one product."""
    if method == "pinv":
        coef = np.linalg.pinv(X) @ Z
        resid = Z - X @ coef
        return coef, (resid ** 2).sum(axis=0)
    coef, rss, *_ = np.linalg.lstsq(X, Z, rcond=None)
    return coef, rss


def forecast_all(method):
    years = np.arange(2015, 2025, dtype=float)
    i = np.arange(N)[None, :]
    j = np.arange(10)[:, None]
    Y = (10 + (i % 50)) + (1 + (i % 7) * 0.5) * j + (((i * 31 + j * 17) % 11) - 5) * 0.3
    bounded = (np.arange(N) % 2 == 0)

    def transform(model, y):
        if model == "loglinear":
            return np.log(y)
        if model == "logit":
            p = np.clip(y / 100, 0.001, 0.999)
            return np.log(p / (1 - p))
        return y

    def inverse(model, z):
        if model == "loglinear":
            return np.exp(z)
        if model == "logit":
            return 100 / (1 + np.exp(-z))
        return z

    models = ["naive", "linear", "loglinear", "logit"]
    applicable = {"naive": np.ones(N, bool), "linear": np.ones(N, bool),
                  "loglinear": (Y > 0).all(axis=0), "logit": bounded}
    mae = {m: np.full(N, np.inf) for m in models}
    for m in models:
        cols = np.where(applicable[m])[0]
        Z = transform(m, Y[:, cols])
        errors = np.zeros(len(cols))
        for k in range(3, 10):
            if m == "naive":
                pred = Y[k - 1, cols]
            else:
                t = years[:k] - years[:k].mean()
                X = np.column_stack([np.ones(k), t])
                coef = solve(X, Z[:k], method)[0]
                pred = inverse(m, coef[0] + coef[1] * (years[k] - years[:k].mean()))
            errors += np.abs(pred - Y[k, cols])
        mae[m][cols] = errors / 7
    order = np.array([mae[m] for m in models])
    chosen = np.argmin(order, axis=0)  # ties go to the first (simplest) model
    out = {}
    tbar = years.mean()
    sxx = ((years - tbar) ** 2).sum()
    X = np.column_stack([np.ones(10), years - tbar])
    for index, m in enumerate(models):
        cols = np.where(chosen == index)[0]
        if len(cols) == 0:
            continue
        if m == "naive":
            changes = np.diff(Y[:, cols], axis=0)
            sigma = np.sqrt((changes ** 2).mean(axis=0))
            q80, q95 = stats.t.ppf(0.9, 9), stats.t.ppf(0.975, 9)
            for T in (2025, 2030):
                spread = sigma * np.sqrt(T - 2024)
                center = Y[-1, cols]
                out[(m, T)] = (center, center - q95 * spread, center + q95 * spread, center - q80 * spread)
            continue
        Z = transform(m, Y[:, cols])
        coef, rss = solve(X, Z, method)
        sigma = np.sqrt(rss / 8)
        q80, q95 = stats.t.ppf(0.9, 8), stats.t.ppf(0.975, 8)
        for T in (2025, 2030):
            dt = T - tbar
            center = coef[0] + coef[1] * dt
            spread = sigma * np.sqrt(1 + 1 / 10 + dt * dt / sxx)
            out[(m, T)] = (inverse(m, center), inverse(m, center - q95 * spread), inverse(m, center + q95 * spread),
                           inverse(m, center - q80 * spread))
    return {models[k]: int((chosen == k).sum()) for k in range(4) if (chosen == k).any()}


def rollup(use_sparse):
    wards = list(csv.DictReader(open(DATASETS + "/reference/pre2025/wards.csv", encoding="utf-8")))
    districts = list(csv.DictReader(open(DATASETS + "/reference/pre2025/districts.csv", encoding="utf-8")))
    regions = {r["code"]: r["region_code"] for r in
               csv.DictReader(open(DATASETS + "/reference/pre2025/socioeconomic_regions_63.csv", encoding="utf-8"))}
    district_of = [w["district_code"] for w in wards]
    province_of = {d["code"]: d["province_code"] for d in districts}
    C = len(wards)
    K, P = 50, 10
    c = np.arange(C)[:, None, None]
    k = np.arange(K)[None, :, None]
    p = np.arange(P)[None, None, :]
    values = (100 + (c * 7 + k * 13 + p * 3) % 50).astype(float)
    numer = ((c + k + p) % 40 + 1).astype(float)
    denom = np.full((C, K, P), 50.0)
    sum_cols = values[:, :25, :].reshape(C, -1)
    ratio_num = numer[:, 25:, :].reshape(C, -1)
    ratio_den = denom[:, 25:, :].reshape(C, -1)
    start = time.perf_counter()
    parents = [district_of, [province_of[d] for d in sorted(set(district_of))]]
    child_keys = [sorted(set(district_of))]
    # Build level by level: children are the previous level's parents.
    level_children = [None]
    S, N_, D = sum_cols, ratio_num, ratio_den
    present_S = np.ones_like(S)
    present_N = np.ones_like(N_)
    chains = []
    codes = district_of
    for level in range(4):
        keys = sorted(set(codes))
        index = {key: n for n, key in enumerate(keys)}
        rows = np.array([index[x] for x in codes])
        if use_sparse:
            M = sparse.csr_matrix((np.ones(len(codes)), (rows, np.arange(len(codes)))), shape=(len(keys), len(codes)))
            members = np.asarray(M.sum(axis=1))
        else:
            M = np.zeros((len(keys), len(codes)))
            M[rows, np.arange(len(codes))] = 1
            members = M.sum(axis=1, keepdims=True)
        S2, cS = M @ S, M @ present_S
        N2, D2, cN = M @ N_, M @ D, M @ present_N
        S = np.where(cS == members, S2, np.nan)
        value = np.where(cN == members, 100 * N2 / D2, np.nan)
        N_, D = N2, D2
        present_S = (~np.isnan(S)).astype(float)
        present_N = (~np.isnan(value)).astype(float)
        S = np.nan_to_num(S)
        if level == 0:
            codes = [province_of[x] for x in keys]
        elif level == 1:
            codes = [regions[x] for x in keys]
        elif level == 2:
            codes = ["VN" for _ in keys]
    seconds = time.perf_counter() - start
    return seconds, float(S[0, 0])


def best_of(repeats, body):
    """The fastest of `repeats` runs of `body` and its result, as timeit reports (chiso-bench times its side
    the same way): the slower runs measure the machine's other work, not this one."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = body()
        best = min(best, time.perf_counter() - start)
    return best, result


def main():
    forecast_seconds, chosen = best_of(3, lambda: forecast_all("lstsq"))
    forecast_pinv_seconds, chosen_pinv = best_of(3, lambda: forecast_all("pinv"))
    assert chosen == chosen_pinv
    # The roll-up times itself (after reading the hierarchy): the best of three of its own timings.
    rollup_seconds, national = min(rollup(use_sparse=False) for _ in range(3))
    rollup_sparse_seconds, national_sparse = min(rollup(use_sparse=True) for _ in range(3))
    assert national == national_sparse
    print(json.dumps({"series": N, "forecast_seconds": forecast_seconds, "models_chosen": chosen,
                      "forecast_pinv_seconds": forecast_pinv_seconds,
                      "rollup_seconds": rollup_seconds, "rollup_sparse_seconds": rollup_sparse_seconds,
                      "rollup_national_I0_2015": national,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}, sort_keys=True))


if __name__ == "__main__":
    main()
