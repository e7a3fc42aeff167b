"""Benchmark: the CloudFormation loader (and a full scan) vs cfn-lint on 500 generated templates.

    python bench/bench_cloudformation.py [--templates 500] [--repeat 3] [--keep DIR] [--no-cfn-lint]
                                         [--shared-ids]

Generates contact-centre templates (YAML and JSON, about one in four a JSON template; roles
with inline and managed policies, a policy as a JSON string, Fn::Sub/Join/If/FindInMap,
parameters, SAM functions), then runs, each in its own process so peak memory is the
process's maximum resident set:

    load         CloudFormationLoader over every template (policies located, nothing checked)
    scan         `connect-audit scan` on the folder: loading plus every rule
    cfn-lint     `cfn-lint` on the same files (if installed: it is not a dependency)

and prints wall time (best of --repeat) and peak memory for each, and our speed-up.
Target: scan at least 5x faster than cfn-lint.
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

ROOT = Path(__file__).resolve().parents[1]

# Resources and the actions that act on them, so most statements are right (as in a real
# stack) and rules do the work they do on real templates; FAULTS of them get a wrong action.
GROUPS: list[tuple[str, list[str]]] = [
    ("!Sub \"${ConnectInstance.Arn}/agent/*\"", ["connect:DescribeUser", "connect:UpdateUserRoutingProfile",
                                                 "connect:UpdateUserHierarchy"]),
    ("!GetAtt SupportQueue.QueueArn", ["connect:DescribeQueue", "connect:UpdateQueueStatus"]),
    ("!Sub \"${ConnectInstance.Arn}/queue/*\"", ["connect:DescribeQueue", "connect:ListQueueQuickConnects"]),
    ("!GetAtt ConnectInstance.Arn", ["connect:ListQueues", "connect:ListUsers", "connect:ListRoutingProfiles",
                                     "connect:DescribeInstance"]),
    ("!Join [\"\", [!GetAtt ConnectInstance.Arn, \"/contact/*\"]]",
     ["connect:StopContact", "connect:DescribeContact", "connect:UpdateContactAttributes"]),
    ("!Sub \"arn:${AWS::Partition}:connect:${AWS::Region}:${AWS::AccountId}:instance/${InstanceId}/routing-profile/*\"",
     ["connect:DescribeRoutingProfile", "connect:UpdateRoutingProfileConcurrency"]),
]
FAULTS = 0.05

HEADER = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: Generated contact centre {n}
Parameters:
  Environment:
    Type: String
    AllowedValues: [prod, test]
    Default: prod
  InstanceId:
    Type: String
    Default: 00000000-0000-0000-0000-{n:012d}
  SamlProviderArn:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
Mappings:
  Reporting:
    prod:
      Actions: [connect:GetCurrentMetricData, connect:GetMetricDataV2]
    test:
      Actions: [connect:GetCurrentMetricData]
Resources:
  ConnectInstance:
    Type: AWS::Connect::Instance
    Properties:
      IdentityManagementType: SAML
      InstanceAlias: !Sub "centre-{n}-${{Environment}}"
      Attributes:
        InboundCalls: true
        OutboundCalls: true
  SupportQueue:
    Type: AWS::Connect::Queue
    Properties:
      InstanceArn: !GetAtt ConnectInstance.Arn
      Name: support
      HoursOfOperationArn: !Sub "${{ConnectInstance.Arn}}/operating-hours/00000000-0000-0000-0000-000000000000"
"""


def statement(rng: random.Random, indent: str) -> str:
    resource, actions = rng.choice(GROUPS)
    chosen = rng.sample(actions, rng.randint(1, len(actions)))
    if rng.random() < FAULTS:
        chosen.append(rng.choice(rng.choice(GROUPS)[1]))
    lines = [f"{indent}- Effect: Allow", f"{indent}  Action:"]
    lines += [f"{indent}    - {a}" for a in chosen]
    lines.append(f"{indent}  Resource: {resource}")
    return "\n".join(lines)


def role(rng: random.Random, name: str, n_policies: int) -> str:
    out = [f"  {name}:", "    Type: AWS::IAM::Role", "    Properties:",
           "      AssumeRolePolicyDocument:", "        Version: \"2012-10-17\"", "        Statement:",
           "          - Effect: Allow", "            Principal:", "              Federated: !Ref SamlProviderArn",
           "            Action: sts:AssumeRoleWithSAML", "      Policies:"]
    for i in range(n_policies):
        out += [f"        - PolicyName: {name.lower()}-{i}", "          PolicyDocument:",
                "            Version: \"2012-10-17\"", "            Statement:"]
        out += [statement(rng, "              ") for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.5:
            out += ["              - !If", "                - IsProd",
                    "                - Effect: Allow",
                    "                  Action: !FindInMap [Reporting, !Ref Environment, Actions]",
                    "                  Resource: !GetAtt ConnectInstance.Arn",
                    "                - !Ref AWS::NoValue"]
    return "\n".join(out)


def managed(rng: random.Random, name: str) -> str:
    out = [f"  {name}:", "    Type: AWS::IAM::ManagedPolicy", "    Properties:", "      PolicyDocument:",
           "        Version: \"2012-10-17\"", "        Statement:"]
    out += [statement(rng, "          ") for _ in range(rng.randint(2, 6))]
    return "\n".join(out)


def json_string_policy(rng: random.Random, name: str, target: str) -> str:
    actions = json.dumps(["connect:DescribeQueue", "connect:ListQueueQuickConnects"])
    return "\n".join([
        f"  {name}:", "    Type: AWS::IAM::Policy", "    Properties:", f"      PolicyName: {name.lower()}",
        f"      Roles: [!Ref {target}]", "      PolicyDocument: !Sub |", "        {",
        "          \"Version\": \"2012-10-17\",", "          \"Statement\": [{", "            \"Effect\": \"Allow\",",
        f"            \"Action\": {actions},", "            \"Resource\": \"${ConnectInstance.Arn}/queue/*\"",
        "          }]", "        }"])


def sam_function(rng: random.Random, name: str) -> str:
    out = [f"  {name}:", "    Type: AWS::Serverless::Function", "    Properties:", "      Runtime: python3.12",
           "      Handler: app.handler", "      CodeUri: src/", "      Policies:",
           "        - AmazonConnectReadOnlyAccess", "        - Version: \"2012-10-17\"", "          Statement:"]
    out += [statement(rng, "            ") for _ in range(rng.randint(1, 3))]
    return "\n".join(out)


def template(n: int, shared_ids: bool = False) -> str:
    rng = random.Random(n)
    # Logical ids unique across the stacks, unless --shared-ids (as when many stacks each
    # have a `Role0`): policy names then repeat across files.
    tag = "" if shared_ids else f"S{n}"
    parts = [HEADER.format(n=n)]
    roles = [f"Role{i}{tag}" for i in range(rng.randint(2, 5))]
    parts += [role(rng, r, rng.randint(1, 3)) for r in roles]
    parts += [managed(rng, f"Managed{i}{tag}") for i in range(rng.randint(1, 4))]
    parts.append(json_string_policy(rng, f"SupervisorPolicy{tag}", roles[0]))
    if n % 3 == 0:
        parts[0] = parts[0].replace('AWSTemplateFormatVersion: "2010-09-09"',
                                    'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31')
        parts.append(sam_function(rng, f"Callback{tag}"))
    return "\n".join(parts) + "\n"


def generate(folder: Path, count: int, shared_ids: bool = False) -> list[Path]:
    import cfn_flip

    paths = []
    for n in range(count):
        text = template(n, shared_ids)
        if n % 4 == 3:  # a JSON template (long-form functions), as CDK and older stacks are
            path = folder / f"stack{n:04d}.json"
            path.write_text(cfn_flip.to_json(text))
        else:
            path = folder / f"stack{n:04d}.yaml"
            path.write_text(text)
        paths.append(path)
    return paths


LOAD_ONLY = r"""
import sys
from pathlib import Path
from auditor.loaders.base import LoadContext
from auditor.loaders.cloudformation import CloudFormationLoader
from auditor.policy.model import Model
paths = sorted(Path(sys.argv[1]).iterdir())
loader = CloudFormationLoader()
model = Model()
loader.load([p for p in paths if loader.claims(p, p.read_bytes()[:4096])], LoadContext(), model)
assert not model.input_errors, model.input_errors[:3]
print(len(model.policies), "policies", len(model.principals), "principals", file=sys.stderr)
"""


def measure(cmd: list[str], repeat: int, env: dict[str, str]) -> tuple[float, float, int]:
    """Best wall time (s), peak RSS (MiB) of that run, and the exit code."""
    best = (float("inf"), 0.0, 0)
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode() if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        if proc.returncode not in (0, 1, 2, 4, 6, 8, 10, 12, 14):  # cfn-lint's exit codes are bit flags
            sys.exit(f"{cmd[0]} failed ({proc.returncode}): {err[-2000:]}")
        if wall < best[0]:
            best = (wall, usage.ru_maxrss / 1024, proc.returncode)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--templates", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="write the templates here and keep them")
    ap.add_argument("--no-cfn-lint", action="store_true")
    ap.add_argument("--shared-ids", action="store_true", help="the same logical ids in every template")
    args = ap.parse_args()

    top = args.keep or Path(tempfile.mkdtemp(prefix="bench-cfn-"))
    # Three levels down: the Terraform loader claims policy-looking JSON within three folders
    # of any .tf file, and a shared /tmp may hold some.
    folder = top / "stacks" / "cloudformation" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("CONNECT_AUDIT_CACHE_DIR", str(ROOT / ".pytest_cache" / "connect-audit"))
    try:
        paths = generate(folder, args.templates, args.shared_ids)
        size = sum(p.stat().st_size for p in paths)
        lines = sum(p.read_text().count("\n") for p in paths)
        print(f"{len(paths)} templates ({sum(p.suffix == '.json' for p in paths)} JSON), "
              f"{lines} lines, {size / 1e6:.1f} MB in {folder}")
        python = sys.executable
        # Warm-up: builds the catalog cache once, so no run below pays for it.
        subprocess.run([python, "-m", "auditor.cli", "scan", str(paths[0])], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        rows = [
            ("load (CloudFormationLoader)", measure([python, "-c", LOAD_ONLY, str(folder)], args.repeat, env)),
            ("scan (connect-audit, all rules)", measure([python, "-m", "auditor.cli", "scan", "--format", "json",
                                                         str(folder)], args.repeat, env)),
        ]
        cfn_lint = shutil.which("cfn-lint") or (shutil.which("cfn-lint", path=str(Path(python).parent)))
        if cfn_lint and not args.no_cfn_lint:
            rows.append(("cfn-lint", measure([cfn_lint, *map(str, paths)], 1 if args.repeat > 1 else args.repeat,
                                             env)))
        print(f"{'':34}{'wall (s)':>10}{'peak RSS (MiB)':>16}{'per template (ms)':>19}")
        for name, (wall, rss, _) in rows:
            print(f"{name:34}{wall:10.2f}{rss:16.0f}{wall / len(paths) * 1000:19.1f}")
        if len(rows) == 3:
            lint = rows[2][1][0]
            print(f"speed-up vs cfn-lint: load {lint / rows[0][1][0]:.1f}x, scan {lint / rows[1][1][0]:.1f}x "
                  f"(target: scan >= 5x)")
        else:
            print("cfn-lint is not installed (pip install cfn-lint) or --no-cfn-lint: no comparison")
    finally:
        if not args.keep:
            shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    main()
