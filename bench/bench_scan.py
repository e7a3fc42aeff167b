"""Benchmark: `connect-audit scan` against parliament on the same policy files, in one run.

    python bench/bench_scan.py [--files 1000]

Prints wall time and peak memory (max RSS of the process) for one policy file and for a folder
of N policy files, for both tools, and the ratios. parliament is optional (`pip install
parliament`); without it only our figures are printed. Each tool runs as its own process, as
a user runs it, after one warm-up run (so the catalog cache exists, as on any second run).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

INSTANCE = "arn:aws:connect:eu-west-2:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1"
ACTIONS = [
    ("connect:DescribeUser", f"{INSTANCE}/agent/*"),
    ("connect:DeleteUser", f"{INSTANCE}/user/*"),  # wrong: users are agent/
    ("connect:ListUsers", f"{INSTANCE}"),
    ("connect:ListQueues", f"{INSTANCE}"),
    ("connect:DescribeQueue", f"{INSTANCE}/queue/*"),
    ("connect:StartContactRecording", f"{INSTANCE}/contact/*"),
    ("connect:UpdateUserSecurityProfiles", f"{INSTANCE}/agent/*"),
    ("connect:GetFederationTokens", f"{INSTANCE}"),  # retired
    ("connect:CreateInstance", "*"),
    ("s3:GetObject", "arn:aws:s3:::recordings-bucket/*"),
    ("kms:Decrypt", "arn:aws:kms:eu-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    ("connect:Describe*", f"{INSTANCE}/*"),
    ("profile:SearchProfiles", "arn:aws:profile:eu-west-2:123456789012:domains/customers"),
]


def make_policy(rng: random.Random) -> dict:
    statements = []
    for i in range(rng.randint(2, 5)):
        picks = rng.sample(ACTIONS, rng.randint(1, 4))
        statements.append({
            "Sid": f"S{i}",
            "Effect": "Allow",
            "Action": [a for a, _ in picks],
            "Resource": sorted({r for _, r in picks}),
        })
    return {"Version": "2012-10-17", "Statement": statements}


# Both tools run as installed packages do: with their bytecode cached (the warm-up writes it).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB, exit code of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def best_of(n: int, cmd: list[str], cwd: Path) -> tuple[float, float]:
    runs = [run(cmd, cwd) for _ in range(n)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def works(cmd: list[str], cwd: Path) -> str | None:
    """None if the tool ran to the end (exit 0 or 1: findings), else what went wrong; a tool that
    crashes at once would otherwise look very fast."""
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=ENV)
    if proc.returncode in (0, 1) and "Traceback" not in proc.stderr:
        return None
    return (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]


def what_parliament_misses(ours: list[str], parliament: str, folder: Path, cwd: Path) -> None:
    """Connect user ARNs written `.../user/*` and missing dependent actions: each tool's findings."""
    mine = json.loads(subprocess.run(ours + [str(folder)], cwd=cwd, capture_output=True, text=True,
                                     env=ENV).stdout)["findings"]
    theirs = [json.loads(line) for line in subprocess.run([parliament, "--directory", str(folder), "--json"],
                                                            cwd=cwd, capture_output=True, text=True,
                                                            env=ENV).stdout.splitlines() if line.strip()]
    user_arn = {f["file"] for f in mine if f["rule_id"] == "CA105" and "connect:DeleteUser" in f["message"]}
    flagged = {Path(i["location"]["filepath"]).name for i in theirs if i["issue"] == "RESOURCE_MISMATCH"
               and any(d.get("action") == "connect:DeleteUser" for d in i["detail"])}
    caught = len({Path(f).name for f in user_arn} & flagged)
    print(f"connect:DeleteUser on .../user/* (users are .../agent/*): connect-audit flags it in {len(user_arn)} "
          f"files, parliament in {caught} of them")
    dependents = sum(1 for f in mine if f["rule_id"] == "CA108")
    print(f"missing dependent actions: connect-audit {dependents} findings (CA108); parliament has no such check")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rng = random.Random(7)
    work = Path(tempfile.mkdtemp(prefix="bench-scan-"))
    one = work / "one"
    many = work / "many"
    one.mkdir()
    many.mkdir()
    (one / "policy.json").write_text(json.dumps(make_policy(rng), indent=2))
    for i in range(args.files):
        (many / f"policy-{i:04d}.json").write_text(json.dumps(make_policy(rng), indent=2))

    bindir = Path(sys.executable).parent
    ours = [str(bindir / "connect-audit"), "scan", "--format", "json", "--fail-on", "never"]
    parliament = shutil.which("parliament", path=str(bindir)) or shutil.which("parliament")
    # parliament reads standard input when it is not a terminal unless given --files/--directory.
    cases = [("one policy file", one / "policy.json", "--files"), (f"{args.files} policy files", many, "--directory")]
    run(ours + [str(one)], work)  # warm the catalog cache, as any earlier run would have
    if parliament and (why := works([parliament, "--files", str(one / "policy.json")], work)):
        print(f"parliament does not run here ({why}): no ratio")
        parliament = None
    print(f"{'input':<22}{'tool':<16}{'wall s':>9}{'peak MiB':>10}")
    for label, target, flag in cases:
        w, m = best_of(args.repeat, ours + [str(target)], work)
        print(f"{label:<22}{'connect-audit':<16}{w:>9.3f}{m:>10.1f}")
        if parliament:
            pw, pm = best_of(args.repeat, [parliament, flag, str(target)], work)
            print(f"{label:<22}{'parliament':<16}{pw:>9.3f}{pm:>10.1f}")
            print(f"{'':<22}{'ratio (ours/parliament)':<26} wall {w / pw:.2f}  memory {m / pm:.2f}")
        else:
            print(f"{label:<22}parliament not installed (pip install parliament) — no ratio")
    if parliament:
        what_parliament_misses(ours, parliament, many, work)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
