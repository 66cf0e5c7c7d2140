"""Loading registry extracts: chiso next to the tools an analyst would use instead, same file, one run.

Called by Scripts/bench with the row counts to measure. For each count N it cuts the first N rows of one
synthetic extract (`chiso generate --registry population`) and times, each in a fresh process and a fresh
database, with the peak resident memory of that process:

- chiso ingest --registry population: full validation, HMAC pseudonyms, duplicate keys, one transaction;
- sqlite3 .import into an untyped table (no checks at all);
- sqlite3 .import into a typed table keyed by the citizen ID (duplicate keys refused, nothing else checked);
- DuckDB read_csv into a table (types inferred, bad lines skipped);
- pandas read_csv then to_sql into SQLite (bad lines skipped).

Then, up to 5 million rows, chiso into SQLite against chiso into a PostgreSQL warehouse (a throw-away server
with fsync on, `Scripts/postgres start --durable`, warmed up before each size by an untimed load of that size,
as a server that has run a while is): a first load into a fresh warehouse, then a revision - the next extract,
in which one record in about 20 has changed, loaded into the warehouse holding the first (what a nightly does:
every record looked up, the changed ones revised, the rest relisted). The two engines take turns, three rounds,
each round starting with the engine the last one ended with and each turn from the same state (the other
engine's warehouse dropped, the server's dirty buffers written out), and the table gives each engine's median: on this
shared virtual machine one engine measured once after the other moved their ratio by 0.1 either way from run
to run. Beside them, PostgreSQL's own COPY of the file's well-formed lines into an unindexed table of text
columns (COPY refuses a whole file at its first malformed line), once.

Then the land and business extracts of about the first count's rows (the business registry of the whole country
has about a million enterprises), chiso against sqlite3 .import into a table keyed the same way. The table
ends with each count's seconds per million rows, which stay flat when the cost grows linearly.

Not a test: nothing here asserts a time.
"""
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

CHISO = ".build/release/chiso"
PYTHON = sys.executable


def run(argv, env=None, stdin=None):
    """Runs argv; returns (seconds, peak RSS in MB, exit status). Dirty pages left by whatever ran before (the
    file just cut, the previous tool's database) are written out first, so no tool's time includes the kernel
    writing back another's data."""
    os.sync()
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=stdin)
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


POSTGRES_MAX_ROWS = 5_000_000


def warm_up(server_url, path, env):
    """An untimed load of path into a scratch database: a new server makes its write-ahead log's files (16 MB
    each, zero-filled) as it first needs them, which a server that has run for a while reuses. Warmed with the
    smallest extract only, the 5 M first load took 13.8-14.9 s in the bench, against 12.3-13.4 s by hand on a
    server that had run a while."""
    base = server_url.rsplit("/", 1)[0]
    for sql in ("DROP DATABASE IF EXISTS warmup WITH (FORCE)", "CREATE DATABASE warmup"):
        subprocess.run(["psql", "-q", server_url, "-c", sql], check=True, stdout=subprocess.DEVNULL)
    for argv in (["init"], ["ingest", "--registry", "population", "--as-of", "2024-12-31", path]):
        subprocess.run([CHISO] + argv + ["--db", base + "/warmup"], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    subprocess.run(["psql", "-q", server_url, "-c", "DROP DATABASE warmup WITH (FORCE)"], check=True,
                   stdout=subprocess.DEVNULL)


ROUNDS = 3


def engine_rounds(server_url, path, env, work):
    """chiso's first load and revision of the extract at path into SQLite and into PostgreSQL (on the server at
    server_url), the engines taking turns for ROUNDS rounds: {"sqlite": {"first": [run(...)], "revision": [...]},
    "postgres": {...}, "revised": records revised}, each engine with the records it holds after the last round's
    revision; warns when the two hold different counts."""
    base = server_url.rsplit("/", 1)[0]
    result = {"sqlite": {"first": [], "revision": []}, "postgres": {"first": [], "revision": []}}
    ingest = lambda db, extract: run([CHISO, "ingest", "--registry", "population", "--as-of", "2024-12-31", "--db", db,
                                      extract], env)
    for round_ in range(ROUNDS):
        for engine in (("sqlite", "postgres") if round_ % 2 == 0 else ("postgres", "sqlite")):
            # Each turn starts from the same state: the last turn's warehouses gone and the server's dirty
            # buffers written out, so that neither engine's time includes the other's aftermath.
            db = os.path.join(work, "rounds.sqlite")
            for suffix in ("", "-wal", "-shm", ".lock"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
            psql(server_url, "DROP DATABASE IF EXISTS bench WITH (FORCE)")
            psql(server_url, "CHECKPOINT")
            if engine == "postgres":
                psql(server_url, "CREATE DATABASE bench")
                db = base + "/bench"
            subprocess.run([CHISO, "init", "--db", db], check=True, stdout=subprocess.DEVNULL, env=env)
            result[engine]["first"].append(ingest(db, path))
            result[engine]["revision"].append(ingest(db, revised(path)))
            # What the warehouse holds after the revision (-1: none could be read, a load failed).
            if engine == "sqlite":
                result["sqlite"]["records"] = number(count(db, "SELECT count(*) FROM person"))
                result["revised"] = number(count(db, "SELECT rows_updated FROM load ORDER BY id DESC LIMIT 1"))
            else:
                result["postgres"]["records"] = number(subprocess.run(
                    ["psql", "-qAt", db, "-c", "SELECT count(*) FROM person"], capture_output=True, text=True).stdout)
    if result["sqlite"]["records"] != result["postgres"]["records"]:
        print("warning: %d records in SQLite, %d in PostgreSQL" % (result["sqlite"]["records"],
                                                                   result["postgres"]["records"]), file=sys.stderr)
    return result


def number(text):
    """The integer a query printed; -1 when it printed none (a load that failed)."""
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else -1


def raw_copy(server_url, path, work):
    """PostgreSQL's COPY of the well-formed lines of the extract at path into an unindexed table of text columns:
    run(...)."""
    base = server_url.rsplit("/", 1)[0]
    psql(server_url, "DROP DATABASE IF EXISTS bench WITH (FORCE)")
    psql(server_url, "CREATE DATABASE bench")
    url = base + "/bench"
    clean = os.path.join(work, "well-formed.csv")
    with open(path, "rb") as src, open(clean, "wb") as dst:
        for line in src:
            if line.count(b",") == 6 and b'"' not in line:
                dst.write(line)
    psql(url, "CREATE TABLE person_raw (citizen_id text, birth_date text, sex text, unit text, identity_level text, "
              "registration_date text, status text)")
    copied = run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c",
                  "\\copy person_raw FROM '%s' WITH (FORMAT csv, HEADER true)" % clean])
    os.remove(clean)
    psql(server_url, "DROP DATABASE bench WITH (FORCE)")
    return copied


def psql(url, sql):
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def median(runs):
    """The median of runs' seconds."""
    seconds = sorted(r[0] for r in runs)
    return seconds[len(seconds) // 2]


def revised(path):
    """The next extract of the one at path: every 20th line's person without an electronic identity now has level
    1 (registered 2024-06-01); the rest as they were. Made once, beside it."""
    out = path + ".revised.csv"
    if not os.path.exists(out):
        with open(path, "rb") as src, open(out, "wb") as dst:
            for i, line in enumerate(src):
                fields = line.rstrip(b"\n").split(b",")
                if i > 0 and i % 20 == 0 and len(fields) == 7 and fields[4] == b"none":
                    fields[4:6] = [b"1", b"2024-06-01"]
                    line = b",".join(fields) + b"\n"
                dst.write(line)
    return out


def count(database, sql):
    return subprocess.run(["sqlite3", database, sql], capture_output=True, text=True).stdout.strip()


def main():
    sizes = [int(n) for n in sys.argv[1].split(",")]
    out_path = sys.argv[2]
    work = tempfile.mkdtemp(prefix="chiso-bench-ingest-")
    server = None
    try:
        # About 101 million people; the scale gives a little more than the largest size.
        scale = min(1.0, max(sizes) * 1.02 / 101_000_000)
        subprocess.run([CHISO, "generate", "--scale", "%.6f" % scale, "--seed", "1", "--registry", "population",
                        "--out", work], check=True, stdout=subprocess.DEVNULL)
        source = os.path.join(work, "population.csv")
        env = dict(os.environ, CHISO_PSEUDONYM_KEY="benchmark key, not a secret")
        server = subprocess.run(["Scripts/postgres", "start", "--durable"], check=True, capture_output=True,
                                text=True).stdout.split()
        results = []
        for size in sizes:
            path = os.path.join(work, "population-%d.csv" % size)
            with open(source, "rb") as src, open(path, "wb") as dst:
                for i, line in enumerate(src):
                    if i > size:
                        break
                    dst.write(line)
            row = {"rows": size, "file_mb": os.path.getsize(path) / 2**20}

            db = os.path.join(work, "chiso-%d.sqlite" % size)
            subprocess.run([CHISO, "init", "--db", db], check=True, stdout=subprocess.DEVNULL)
            row["chiso"] = run([CHISO, "ingest", "--registry", "population", "--as-of", "2024-12-31", "--db", db, path], env)
            row["chiso_loaded"] = int(count(db, "SELECT count(*) FROM person"))
            row["chiso_rejected"] = int(count(db, "SELECT count(*) FROM reject"))

            db = os.path.join(work, "sqlite-%d.sqlite" % size)
            row["sqlite3_import"] = run(["sqlite3", db, ".import --csv %s person" % path])

            db = os.path.join(work, "sqlite-keyed-%d.sqlite" % size)
            subprocess.run(["sqlite3", db, "CREATE TABLE person (citizen_id TEXT PRIMARY KEY, birth_date TEXT, sex TEXT, "
                            "unit TEXT, identity_level TEXT, registration_date TEXT, status TEXT) WITHOUT ROWID"], check=True)
            row["sqlite3_import_keyed"] = run(["sqlite3", db, ".import --csv --skip 1 %s person" % path])

            db = os.path.join(work, "duck-%d.duckdb" % size)
            row["duckdb"] = run([PYTHON, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
                                 "c.execute(\"CREATE TABLE person AS SELECT * FROM read_csv(?, ignore_errors = true)\", "
                                 "[sys.argv[2]])", db, path])

            db = os.path.join(work, "pandas-%d.sqlite" % size)
            row["pandas"] = run([PYTHON, "-c", "import pandas, sqlite3, sys; "
                                 "f = pandas.read_csv(sys.argv[2], dtype=str, on_bad_lines='skip'); "
                                 "f.to_sql('person', sqlite3.connect(sys.argv[1]), index=False, chunksize=100000)",
                                 db, path])
            if server and size <= POSTGRES_MAX_ROWS:
                # Before each size, as much write-ahead log as its load needs is made (see warm_up).
                warm_up(server[1], path, env)
                row["engines"] = engine_rounds(server[1], path, env, work)
                row["copy"] = raw_copy(server[1], path, work)
            checked = [(key, row[key]) for key in ("chiso", "sqlite3_import", "sqlite3_import_keyed", "duckdb", "pandas")]
            checked += [("%s %s" % (engine, kind), r) for engine in ("sqlite", "postgres")
                        for kind in ("first", "revision") for r in row.get("engines", {}).get(engine, {}).get(kind, [])]
            for key, result in checked:
                if result[2] != 0:
                    print("warning: %s exited with %d at %d rows" % (key, result[2], size), file=sys.stderr)
            results.append(row)
            for name in os.listdir(work):
                if name != "population.csv" and not name.startswith("population-"):
                    os.remove(os.path.join(work, name))
            os.remove(path)
            if os.path.exists(path + ".revised.csv"):
                os.remove(path + ".revised.csv")
        others = []
        for registry, key_columns in (("land", "parcel_id TEXT PRIMARY KEY, unit TEXT, area_m2 REAL, land_use TEXT, "
                                       "certificate_issued TEXT, record_digitised TEXT"),
                                      ("business", "tax_code TEXT PRIMARY KEY, name TEXT, unit TEXT, industry TEXT, "
                                       "registration_date TEXT, status TEXT, e_invoice TEXT, e_invoice_since TEXT")):
            # One parcel per 0.8 person and one enterprise per 110 people at a given scale.
            per_person = {"land": 0.8, "business": 1 / 110}[registry]
            scale = min(1.0, sizes[0] * 1.02 / per_person / 101_000_000)
            folder = os.path.join(work, registry)
            subprocess.run([CHISO, "generate", "--scale", "%.6f" % scale, "--seed", "1", "--registry", registry,
                            "--out", folder], check=True, stdout=subprocess.DEVNULL)
            path = os.path.join(folder, registry + ".csv")
            rows = sum(1 for _ in open(path, "rb")) - 1
            db = os.path.join(work, "chiso-%s.sqlite" % registry)
            subprocess.run([CHISO, "init", "--db", db], check=True, stdout=subprocess.DEVNULL)
            other = {"registry": registry, "rows": rows,
                     "chiso": run([CHISO, "ingest", "--registry", registry, "--as-of", "2024-12-31", "--db", db, path], env)}
            db = os.path.join(work, "sqlite-keyed-%s.sqlite" % registry)
            subprocess.run(["sqlite3", db, "CREATE TABLE t (%s) WITHOUT ROWID" % key_columns], check=True)
            other["sqlite3_import_keyed"] = run(["sqlite3", db, ".import --csv --skip 1 %s t" % path])
            others.append(other)
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        if server:
            subprocess.run(["Scripts/postgres", "stop", server[0]], check=False)
        shutil.rmtree(work, ignore_errors=True)

    import duckdb
    import pandas
    peers = (("sqlite3_import", "sqlite3 .import, untyped table"),
             ("sqlite3_import_keyed", "sqlite3 .import, typed table keyed by ID"),
             ("duckdb", "DuckDB %s read_csv" % duckdb.__version__),
             ("pandas", "pandas %s read_csv + to_sql" % pandas.__version__))
    lines = ["| rows | tool | seconds | rows/s | peak RSS (MB) | its time / chiso's (above 1: chiso faster) |", "|---|---|---|---|---|---|"]
    for row in results:
        chiso_seconds = row["chiso"][0]
        lines.append("| %d | chiso ingest (validated, pseudonymised) | %.2f | %.0f | %.0f | 1.00x |"
                     % (row["rows"], chiso_seconds, row["rows"] / chiso_seconds, row["chiso"][1]))
        for key, label in peers:
            seconds, rss, _ = row[key]
            lines.append("| %d | %s | %.2f | %.0f | %.0f | %.2fx |"
                         % (row["rows"], label, seconds, row["rows"] / seconds, rss, seconds / chiso_seconds))
    lines += ["", "| registry | rows | chiso (s) | sqlite3 .import, keyed (s) | its time / chiso's |", "|---|---|---|---|---|"]
    for other in others:
        lines.append("| %s | %d | %.2f | %.2f | %.2fx |" % (other["registry"], other["rows"], other["chiso"][0],
                                                           other["sqlite3_import_keyed"][0],
                                                           other["sqlite3_import_keyed"][0] / other["chiso"][0]))
    seconds = lambda runs: "%.2f (%s)" % (median(runs), ", ".join("%.2f" % r[0] for r in runs))
    lines += ["", "chiso into SQLite and into PostgreSQL, taking turns, %d rounds: the median (each round's seconds)"
              % ROUNDS, "", "| rows | load | SQLite (s) | PostgreSQL (s) | PostgreSQL's median / SQLite's |",
              "|---|---|---|---|---|"]
    for row in results:
        if "engines" in row:
            engines = row["engines"]
            for kind, label in (("first", "first load"),
                                ("revision", "revision (%d records revised)" % engines["revised"])):
                sqlite, postgres = engines["sqlite"][kind], engines["postgres"][kind]
                lines.append("| %d | %s | %s | %s | %.2fx |" % (row["rows"], label, seconds(sqlite), seconds(postgres),
                                                                median(postgres) / median(sqlite)))
    lines += ["", "| rows | PostgreSQL COPY of the file, unindexed (s) |", "|---|---|"]
    lines += ["| %d | %.2f |" % (row["rows"], row["copy"][0]) for row in results if "copy" in row]
    per_million = lambda key: [r[key][0] / r["rows"] * 1e6 for r in results]
    lines += ["", "population, seconds per million rows (largest size's over smallest's): chiso %s (%.2fx); "
              "sqlite3 keyed %s (%.2fx)" % (
                  ", ".join("%.2f" % s for s in per_million("chiso")), per_million("chiso")[-1] / per_million("chiso")[0],
                  ", ".join("%.2f" % s for s in per_million("sqlite3_import_keyed")),
                  per_million("sqlite3_import_keyed")[-1] / per_million("sqlite3_import_keyed")[0])]
    lines.append("")
    lines.append("chiso loaded %s and rejected %s rows (the extract's deliberately bad ones); %s"
                 % (", ".join(str(r["chiso_loaded"]) for r in results),
                    ", ".join(str(r["chiso_rejected"]) for r in results), platform.platform()))
    text = "\n".join(lines)
    print(text)
    with open(out_path + ".md", "w") as f:
        f.write(text + "\n")
    with open(out_path + ".json", "w") as f:
        json.dump({"population": results, "registries": others}, f, indent=1, sort_keys=True)
    print("written: " + out_path + ".md, " + out_path + ".json")


if __name__ == "__main__":
    main()
