#!/usr/bin/env python3
"""Audit of disclosure control: look for suppressed registry figures ("<10") that the published ones let one
recover exactly, by solving every additive relation an outsider knows at once (parent = sum of children in
both versions, 2025 unit = sum share x pre-2025 unit, identities such as a share's denominator = POPULATION).

Usage, in the folder a nightly wrote (`Notebooks-output/latest/series.csv`), after
    for i in POPULATION NEW_ENTERPRISES DIGITAL_ID_L2_SHARE EINVOICE_SHARE LAND_DIGITISED_SHARE LAND_CERTIFIED_SHARE; do
      chiso aggregate --indicator $i --format csv > agg_$i.csv; done; chiso aggregate --format csv > agg.csv
run `python3 Scripts/audit-disclosure.py chiso.sqlite [--explain]` (numpy). The warehouse gives the true values,
to find the identities and to confirm what is recovered; the published files are all an outsider sees.
Written by a new-user review (2026-12-07), independently of chiso's own audit (`DisclosureAudit.swift`);
not a test, as it needs numpy: on the sample's nightly it finds 2 figures recovered (README).
"""

import csv, sqlite3, sys, glob, collections
import numpy as np

REG = ['POPULATION', 'NEW_ENTERPRISES', 'DIGITAL_ID_L2_SHARE', 'EINVOICE_SHARE',
       'LAND_DIGITISED_SHARE', 'LAND_CERTIFIED_SHARE']
COUNT = {'POPULATION', 'NEW_ENTERPRISES'}
db = sqlite3.connect(sys.argv[1] if len(sys.argv) > 1 else 'chiso.sqlite')
units = {}
bykey = {}
for uid, code, level, version, parent in db.execute(
        "select id, code, level, version, parent_id from unit"):
    units[uid] = (code, level, version, parent)
    bykey[(code, level, version)] = uid

# truth: variable -> value ; variable = (quantity, indicator-class, uid, period)
truth = {}
for ind, uid, period, v, n, d in db.execute(
        "select indicator, unit_id, period, value, numerator, denominator from observation where indicator in (%s)"
        % ",".join("'%s'" % i for i in REG)):
    if ind in COUNT:
        truth[('V', ind, uid, period)] = v
    else:
        truth[('N', ind, uid, period)] = n
        truth[('D', ind, uid, period)] = d

# identities between quantities: same value at every (uid, period) where both exist
cands = sorted({(q, i) for (q, i, u, p) in truth})
alias = {}
for a in cands:
    for b in cands:
        if a >= b or b in alias or a in alias:
            continue
        common = [(u, p) for (q, i, u, p) in truth if (q, i) == a and (b[0], b[1], u, p) in truth]
        if len(common) > 50 and all(abs(truth[a + k] - truth[b + k]) < 1e-6 for k in common):
            alias[b] = a
print("identities:", alias)


def canon(var):
    qi = (var[0], var[1])
    while qi in alias:
        qi = alias[qi]
    return qi + var[2:]


ctruth = {}
for k, v in truth.items():
    ctruth[canon(k)] = v

# published
pub = {}
supp = set()


def take(ind, code, level, version, period, value, num, den):
    uid = bykey.get((code, level, version))
    if uid is None or ind not in REG:
        return
    if ind in COUNT:
        items = [(('V', ind, uid, period), value)]
    else:
        items = [(('N', ind, uid, period), num), (('D', ind, uid, period), den)]
    for var, s in items:
        var = canon(var)
        if s == '<10':
            supp.add(var)
        elif s not in ('', None):
            pub[var] = float(s)


for path in glob.glob('Notebooks-output/latest/series.csv'):
    for r in csv.DictReader(open(path, encoding='utf-8-sig')):
        if r['kind'] != 'observed':
            continue
        take(r['indicator'], r['unit_code'], r['level'], r['version'], r['period'], r['value'],
             r['numerator'], r['denominator'])
for path in glob.glob('agg*.csv'):
    for r in csv.DictReader(open(path, encoding='utf-8-sig')):
        take(r['indicator'], r['unit'], r['level'], r['version'], r['period'], r['value'],
             r['numerator'], r['denominator'])
supp -= set(pub)
print("published", len(pub), "suppressed", len(supp))
# any published figure disagreeing with truth?
bad = [k for k in pub if k in ctruth and ctruth[k] is not None and abs(pub[k] - ctruth[k]) > 1e-3]
print("published != truth:", len(bad), bad[:3])

# equations
eqs = []  # list of (parent_var, [(coef, child_var)])
children = collections.defaultdict(list)
for uid, (code, level, version, parent) in units.items():
    if parent is not None:
        children[parent].append(uid)
xw = collections.defaultdict(list)
for f, t, s in db.execute("select from_unit_id, to_unit_id, share from crosswalk"):
    xw[t].append((s, f))
qis = sorted({(k[0], k[1]) for k in ctruth})
periods = sorted({k[3] for k in ctruth})
for (q, i) in qis:
    for p in periods:
        for par, kids in list(children.items()) + [('X', None)]:
            pass
    for p in periods:
        for par, kids in children.items():
            pv = (q, i, par, p)
            kv = [(1.0, (q, i, k, p)) for k in kids]
            if pv in ctruth and all(v in ctruth for _, v in kv):
                eqs.append((pv, kv))
        for to, froms in xw.items():
            pv = (q, i, to, p)
            kv = [(s, (q, i, f, p)) for s, f in froms]
            if pv in ctruth and all(v in ctruth for _, v in kv):
                eqs.append((pv, kv))
# keep only equations true on the data
good = []
for pv, kv in eqs:
    if ctruth[pv] is None or any(ctruth[v] is None for _, v in kv):
        continue
    if abs(ctruth[pv] - sum(c * ctruth[v] for c, v in kv)) < 1e-6 * max(1, abs(ctruth[pv])):
        good.append((pv, kv))
print("equations", len(eqs), "holding", len(good))

# Unknowns: suppressed vars (and vars not published at all but in truth: unknown too)
def known(v):
    return v in pub

# propagate single-unknown equations; then per-component null space
rows = []
for pv, kv in good:
    terms = [(-1.0, pv)] + kv
    unk = [(c, v) for c, v in terms if not known(v)]
    const = sum(c * pub[v] for c, v in terms if known(v))
    if unk:
        rows.append((unk, -const))

# union-find components over unknowns
parent = {}
def find(x):
    while parent.setdefault(x, x) != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x
for unk, _ in rows:
    for _, v in unk[1:]:
        a, b = find(unk[0][1]), find(v)
        if a != b:
            parent[a] = b
comp = collections.defaultdict(list)
for r in rows:
    comp[find(r[0][0][1])].append(r)

recovered = []
for root, rs in comp.items():
    vars_ = sorted({v for unk, _ in rs for _, v in unk})
    if not any(v in supp for v in vars_):
        continue
    idx = {v: j for j, v in enumerate(vars_)}
    A = np.zeros((len(rs), len(vars_)))
    b = np.zeros(len(rs))
    for r, (unk, c) in enumerate(rs):
        for coef, v in unk:
            A[r, idx[v]] += coef
        b[r] = c
    if len(vars_) > 4000:
        print("component too big", len(vars_));
        continue
    # null space
    u, s, vt = np.linalg.svd(A, full_matrices=True)
    rank = int((s > 1e-9 * max(1, s.max() if len(s) else 1)).sum())
    N = vt[rank:]
    x = np.linalg.lstsq(A, b, rcond=None)[0]
    for v in vars_:
        if v in supp and (N.shape[0] == 0 or np.abs(N[:, idx[v]]).max() < 1e-8):
            recovered.append((v, x[idx[v]], ctruth.get(v)))

print("RECOVERABLE suppressed figures:", len(recovered))
def name(v):
    q, i, uid, p = v
    code, level, version, _ = units[uid]
    return f"{i} {q} {level} {version} {code} {p}"
for v, est, tv in recovered[:60]:
    print("  ", name(v), "recovered=%.3f" % est, "true=", tv)

if '--explain' in sys.argv:
    want = set(v for v, _, _ in recovered)
    def show(v):
        return name(v) + "=" + (str(pub[v]) if v in pub else "<10" if v in supp else "?")
    for pv, kv in good:
        vs = [pv] + [v for _, v in kv]
        if any(v in want for v in vs) and len(kv) < 12:
            print(show(pv), " = ", " + ".join(("%.3g*" % c if c != 1 else "") + show(v) for c, v in kv))
