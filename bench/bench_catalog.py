"""Benchmark: a one-policy scan with the bundled catalog vs after `catalog update`.

    python bench/bench_catalog.py [--repeat 5] [--lookups 2000]

Runs in a private cache folder (CONNECT_AUDIT_CACHE_DIR), offline: the updates import the
local fixtures (`--from fixtures/service-reference`, AWS's format). Three catalogs:

    bundled       Policy Sentry's database only
    refreshed     after `catalog update --from fixtures/service-reference` (4 services)
    full refresh  after importing every bundled service in AWS's format plus the fixtures,
                  as a full online update leaves it (445+ services in the refreshed source)

For each it prints the wall time and peak memory of `connect-audit scan` on one policy file
(its own process, best of --repeat, after a warm-up so the caches exist), and the in-process
time to open the catalog and resolve the policy's actions (median). It also times the updates.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "service-reference"
INSTANCE = "arn:aws:connect:eu-west-2:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1"
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Agents", "Effect": "Allow",
         "Action": ["connect:DescribeUser", "connect:ListUsers", "connect:DescribeQueue", "connect:ListQueues",
                    "connect:StartContactRecording", "connect:UpdateUserSecurityProfiles"],
         "Resource": [INSTANCE, f"{INSTANCE}/agent/*", f"{INSTANCE}/queue/*", f"{INSTANCE}/contact/*"]},
        {"Sid": "Tests", "Effect": "Allow",
         "Action": ["connect:CreateTestCase", "connect:StartTestCaseExecution", "connect:ListTestCases"],
         "Resource": [INSTANCE, f"{INSTANCE}/test-case/*"]},
        {"Sid": "Read", "Effect": "Allow", "Action": ["connect:Describe*", "connect:List*"], "Resource": "*"},
        {"Sid": "Profiles", "Effect": "Allow", "Action": ["profile:SearchProfiles", "profile:GetDomain"],
         "Resource": "arn:aws:profile:eu-west-2:123456789012:domains/customers"},
        {"Sid": "Recordings", "Effect": "Allow", "Action": ["s3:GetObject", "kms:Decrypt"],
         "Resource": ["arn:aws:s3:::recordings-bucket/*",
                      "arn:aws:kms:eu-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]},
    ],
}

IN_PROCESS = r"""
import json, sys, time, statistics
from auditor.catalog import Catalog
policy = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
times = []
for _ in range(n):
    t0 = time.perf_counter()
    cat = Catalog.default()
    for st in policy["Statement"]:
        for a in st["Action"]:
            if "*" in a:
                cat.expand(a)
            else:
                act = cat.action(a)
                if act is not None:
                    for r in st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]:
                        cat.action_accepts_arn(act, r)
    times.append(time.perf_counter() - t0)
print(json.dumps({"median_ms": statistics.median(times) * 1000, "unknown": [
    a for st in policy["Statement"] for a in st["Action"] if "*" not in a and Catalog.default().action(a) is None]}))
"""


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def best_of(n: int, cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    runs = [run(cmd, env) for _ in range(n)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def in_process(policy: Path, n: int, env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-c", IN_PROCESS, str(policy), str(n)], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def full_reference(folder: Path, env: dict[str, str]) -> None:
    """Every bundled service in AWS's format, then the fixtures over them."""
    script = r"""
import json, shutil, sys
from pathlib import Path
from auditor.catalog import Source
from auditor.catalog.store import bundled_source_folder
from auditor.catalog.service_reference import service_to_reference
out = Path(sys.argv[1]); fixtures = Path(sys.argv[2])
b = Source(bundled_source_folder())
for p in b.prefixes:
    (out / f"{p}.json").write_text(json.dumps(service_to_reference(b.service(p)), separators=(",", ":")))
for f in fixtures.rglob("*.json"):
    if f.name != "index.json":
        shutil.copy(f, out / f.name)
"""
    folder.mkdir(parents=True)
    subprocess.run([sys.executable, "-c", script, str(folder), str(FIXTURES)], env=env, check=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--lookups", type=int, default=200, help="in-process iterations")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-catalog-"))
    env = dict(os.environ, CONNECT_AUDIT_CACHE_DIR=str(work / "cache"))
    policy = work / "policy.json"
    policy.write_text(json.dumps(POLICY, indent=2))
    exe = str(Path(sys.executable).with_name("connect-audit"))
    scan = [exe, "scan", "--format", "json", "--fail-on", "never", "--jobs", "1", str(policy)]
    update = [exe, "catalog", "update"]

    rows = []
    try:
        run(scan, env)  # builds the bundled cache, as the first run ever does
        rows.append(("bundled", *best_of(args.repeat, scan, env), in_process(policy, args.lookups, env)))

        t_update = run(update + ["--from", str(FIXTURES)], env)[0]
        rows.append(("refreshed (4 services)", *best_of(args.repeat, scan, env),
                     in_process(policy, args.lookups, env)))

        full = work / "full"
        full_reference(full, env)
        shutil.rmtree(work / "cache" / "catalog" / "service-reference")
        t_full = run(update + ["--from", str(full)], env)[0]
        n = len(json.loads((work / "cache" / "catalog" / "service-reference" / "index.json").read_text())["services"])
        rows.append((f"full refresh ({n} services)", *best_of(args.repeat, scan, env),
                     in_process(policy, args.lookups, env)))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"one-policy scan (`connect-audit scan`, own process, best of {args.repeat}); "
          f"in-process: open catalog + resolve the policy's actions (median of {args.lookups})")
    print(f"{'catalog':<30}{'scan s':>9}{'peak MiB':>10}{'in-proc ms':>12}  unknown actions")
    for label, wall, mem, ip in rows:
        print(f"{label:<30}{wall:>9.3f}{mem:>10.1f}{ip['median_ms']:>12.2f}  {', '.join(ip['unknown']) or '-'}")
    base = rows[0][1]
    for label, wall, *_ in rows[1:]:
        print(f"{label}: {wall / base:.2f}x the bundled scan time")
    print(f"catalog update --from fixtures: {t_update:.3f}s; --from a full {n}-service folder: {t_full:.3f}s")


if __name__ == "__main__":
    main()
