"""The loader as the engine sees it: what it claims, what it parses, and how it reports files
it cannot read."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.loaders.base import LoadContext
from auditor.loaders.terraform import TerraformLoader
from auditor.loaders.terraform import loader as loader_module
from auditor.policy.model import Model

POLICY = 'resource "aws_iam_policy" "p" {\n  policy = jsonencode({Statement = [{Action = var.a, Resource = "*"}]})\n}\n'


def write(tmp_path: Path, files: dict[str, str | bytes]) -> None:
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(text if isinstance(text, bytes) else text.encode())


def load(tmp_path: Path, jobs: int = 1) -> Model:
    loader = TerraformLoader()
    paths = [p for p in sorted(tmp_path.rglob("*")) if p.is_file() and loader.claims(p, p.read_bytes()[:4096])]
    model = Model()
    loader.load(paths, LoadContext(jobs=jobs), model)
    return model


@pytest.mark.parametrize("name, head, claimed", [
    ("main.tf", b"", True),
    ("main.tf.json", b"{}", True),
    ("terraform.tfvars", b"", True),
    ("prod.auto.tfvars.json", b"{}", True),
    (".terraform/modules/x/main.tf", b"", False),
    ("plan.json", b'{"format_version":"1.2","terraform_version":"1.7.5","planned_values":{}}', True),
    ("package.json", b'{"name": "x"}', False),
    ("expected.json", b'{"findings": []}', False),
    ("main.py", b"", False),
])
def test_claims(tmp_path: Path, name: str, head: bytes, claimed: bool) -> None:
    assert TerraformLoader().claims(tmp_path / name, head) is claimed


def test_a_policy_json_is_claimed_only_when_terraform_beside_it_can_read_it(tmp_path: Path) -> None:
    head = b'{"Version": "2012-10-17", "Statement": []}'
    write(tmp_path, {"tf/main.tf": 'locals {\n  p = file("${path.module}/policies/p.json")\n}\n',
                     "tf/policies/p.json": head, "tf/policies/q.json": head, "other/p.json": head})
    loader = TerraformLoader()
    assert loader.claims(tmp_path / "tf" / "policies" / "p.json", head)
    assert not loader.claims(tmp_path / "tf" / "policies" / "q.json", head)  # nothing names it
    assert not loader.claims(tmp_path / "other" / "p.json", head)


def test_only_files_that_can_matter_are_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {
        "app/iam.tf": POLICY,
        "app/variables.tf": 'variable "a" {\n  default = "connect:ListQueues"\n}\n',
        "app/lambda.tf": 'resource "aws_lambda_function" "f" {\n  role = aws_iam_role.x.arn\n}\n',
        "app/broken_but_irrelevant.tf": 'resource "aws_s3_bucket" "b" {\n',
        "other/main.tf": 'resource "aws_s3_bucket" "b" {}\n',
        "root/main.tf": 'module "app" {\n  source = "../app"\n  a = "connect:ListUsers"\n}\n',
    })
    parsed: list[str] = []
    real = loader_module.parse_file

    def spy(path: str, keep: object = None) -> object:
        parsed.append(str(Path(path).relative_to(tmp_path)))
        return real(path, keep)  # type: ignore[arg-type]

    monkeypatch.setattr(loader_module, "parse_file", spy)
    model = load(tmp_path)
    # The other files are only checked for syntax errors, and parsed when the fast check
    # cannot vouch for them: the broken one.
    assert sorted(parsed) == ["app/broken_but_irrelevant.tf", "app/iam.tf", "app/variables.tf", "root/main.tf"]
    # app/ is called by root/, so it is audited once, as the module, with root's argument.
    (p,) = model.policies
    assert p.name == "module.app.aws_iam_policy.p"
    assert p.document["Statement"][0]["Action"] == "connect:ListUsers"
    ((span, message),) = model.input_errors
    assert (Path(span.file).name, span.line, message) == (
        "broken_but_irrelevant.tf", 2, "HCL syntax error: unexpected end of file, expected '}'")


def test_an_unparsable_file_is_an_input_error_and_the_run_goes_on(tmp_path: Path) -> None:
    write(tmp_path, {
        "a.tf": 'resource "aws_iam_policy" "bad" {\n  policy = jsonencode({Statement = [}\n}\n',
        "b.tf": POLICY.replace('"p"', '"good"'),
        "c.tf": b'resource "aws_iam_policy" "latin1" {\n  name = "caf\xe9"\n}\n',
    })
    model = load(tmp_path)
    assert [p.name for p in model.policies] == ["aws_iam_policy.good"]
    errors = sorted((Path(s.file).name, s.line, s.column, m) for s, m in model.input_errors)
    assert errors[0][:3] == ("a.tf", 2, 37) and errors[0][3].startswith("HCL syntax error: unexpected '}'")
    assert errors[1] == ("c.tf", 2, 14, "the file is not UTF-8 text")


def test_a_fault_inside_a_kept_block_is_reported_from_the_whole_file(tmp_path: Path) -> None:
    # Masking blanks the bucket; the fault in the policy block is still found where it is.
    write(tmp_path, {"main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'
                                'resource "aws_iam_policy" "p" {\n  policy = "x" "y"\n}\n'})
    ((span, message),) = load(tmp_path).input_errors
    assert (span.line, span.column) == (5, 16)


def test_parallel_parsing_gives_the_same_model(tmp_path: Path) -> None:
    files = {f"s{i}/main.tf": POLICY.replace("var.a", f'"connect:ListQueues{i}"') for i in range(6)}
    write(tmp_path, files)
    one, two = load(tmp_path, jobs=1), load(tmp_path, jobs=2)
    assert [(p.name, p.file, p.document) for p in one.policies] == [(p.name, p.file, p.document) for p in two.policies]
    assert len(one.policies) == 6


def test_the_engine_runs_the_loader(tmp_path: Path) -> None:
    from auditor.engine import scan

    write(tmp_path, {"main.tf": 'resource "aws_iam_policy" "p" {\n'
                                '  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",\n'
                                '    Action = "connect:DescribeQueues", Resource = "*"}]})\n}\n'})
    report = scan([tmp_path])
    hits = [(f.rule_id, f.location().line, f.location().column) for f in report.findings if f.rule_id == "CA102"]
    assert hits == [("CA102", 3, 14)]


def test_a_module_called_from_json_syntax_is_followed(tmp_path: Path) -> None:
    write(tmp_path, {
        "root/main.tf.json": '{"module": {"app": {"source": "../app", "a": "connect:ListPrompts"}}}',
        "app/iam.tf": POLICY,
        "app/variables.tf": 'variable "a" {}\n',
    })
    (p,) = load(tmp_path).policies
    assert p.name == "module.app.aws_iam_policy.p"
    assert p.document["Statement"][0]["Action"] == "connect:ListPrompts"


# --- syntax errors in the files no policy needs ---------------------------------------------------
BUCKET = 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_broken_file_without_policies_is_reported(tmp_path: Path, jobs: int) -> None:
    write(tmp_path, {
        "app/iam.tf": POLICY,
        "app/s3.tf": BUCKET.replace('"x"', '"x" "y"'),  # two values
        "other/main.tf": BUCKET,  # no IAM anywhere in this folder
        "other/queues.tf": 'resource "aws_connect_queue" "q" {\n  name = [\n}\n',
        "other/terraform.tfvars": "region = \n",  # not read: other/ has no policy
        "app/prod.tfvars": 'a = "connect:ListUsers"\n',  # valid, never parsed
        **{f"many/f{i}.tf": BUCKET for i in range(4)},
    })
    model = load(tmp_path, jobs)
    assert [p.name for p in model.policies] == ["aws_iam_policy.p"]
    errors = sorted((Path(s.file).name, s.line, s.column, m) for s, m in model.input_errors)
    assert [e[:3] for e in errors] == [("queues.tf", 3, 1), ("s3.tf", 2, 16), ("terraform.tfvars", 1, 10)]
    assert all(m.startswith("HCL syntax error: unexpected") for *_, m in errors)


def test_only_files_the_fast_check_cannot_vouch_for_are_parsed(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"a.tf": BUCKET, "b.tf": BUCKET + "locals {\n  x = [for v in var.l : v if v != \"\"]\n}\n",
                     "c.tf": BUCKET.replace("}", "")})
    parsed: list[str] = []
    real = loader_module.parse_file
    monkeypatch.setattr(loader_module, "parse_file", lambda path, keep=None: parsed.append(Path(path).name)
                        or real(path, keep))
    model = load(tmp_path)
    assert parsed == ["c.tf"]
    assert [Path(s.file).name for s, _ in model.input_errors] == ["c.tf"]


def test_a_fault_in_a_blanked_block_is_reported_and_the_policy_still_audited(tmp_path: Path) -> None:
    # The bucket is blanked out to parse the policy; its fault is still found where it is.
    write(tmp_path, {"main.tf": BUCKET.replace('"x"', '"x" "y"') + POLICY})
    model = load(tmp_path)
    assert [p.name for p in model.policies] == ["aws_iam_policy.p"]
    ((span, message),) = model.input_errors
    assert (span.line, span.column) == (2, 16) and message.startswith("HCL syntax error")


def test_a_root_auto_tfvars_is_read_once_and_reported_once(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": POLICY, "variables.tf": 'variable "a" {}\n', "terraform.tfvars": "a = [\n"})
    model = load(tmp_path)
    assert [(Path(s.file).name, s.line) for s, _ in model.input_errors] == [("terraform.tfvars", 2)]
