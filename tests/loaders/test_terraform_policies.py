"""Each way Terraform writes a policy gives the exact IAM document, the right name, kind and
attachment, and the exact place (line, column, end) of every value in the source."""

from __future__ import annotations

from pathlib import Path

from auditor.loaders.base import LoadContext
from auditor.loaders.terraform import TerraformLoader
from auditor.policy.model import Attachment, Model, Policy, PolicyKind
from auditor.policy.values import Hole, Text


def load(tmp_path: Path, files: dict[str, str], jobs: int = 1) -> Model:
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    loader = TerraformLoader()
    paths = [p for p in sorted(tmp_path.rglob("*")) if p.is_file() and loader.claims(p, p.read_bytes()[:4096])]
    model = Model()
    loader.load(paths, LoadContext(jobs=jobs), model)
    return model


def policy(model: Model, name: str) -> Policy:
    found = {p.name: p for p in model.policies}
    assert name in found, sorted(found)
    return found[name]


def at(p: Policy, *path: object) -> tuple[int, int, int, int]:
    s = p.locations.value(tuple(path))
    return (s.line, s.column, s.end_line, s.end_column)


def key(p: Policy, *path: object) -> tuple[int, int, int, int]:
    s = p.locations.key(tuple(path))
    return (s.line, s.column, s.end_line, s.end_column)


INSTANCE = Hole("aws_connect_instance.main.arn", "arn:*:connect:*:*:instance/*")


# --- jsonencode ----------------------------------------------------------------------------------
JSONENCODE = (
    'resource "aws_iam_policy" "agents" {\n'                                  # 1
    '  policy = jsonencode({\n'                                               # 2
    '    Version = "2012-10-17"\n'                                            # 3
    '    Statement = [{\n'                                                    # 4
    '      Effect   = "Allow"\n'                                              # 5
    '      Action   = ["connect:DescribeUser", "connect:DeleteUser"]\n'       # 6
    '      Resource = "${aws_connect_instance.main.arn}/user/*"\n'            # 7
    '    }]\n'                                                                # 8
    '  })\n'                                                                  # 9
    '}\n'                                                                     # 10
)


def test_jsonencode_document_and_locations(tmp_path: Path) -> None:
    p = policy(load(tmp_path, {"main.tf": JSONENCODE}), "aws_iam_policy.agents")
    assert (p.kind, p.attachment) == (PolicyKind.IDENTITY, Attachment.MANAGED)
    assert p.document == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["connect:DescribeUser", "connect:DeleteUser"],
        "Resource": "${aws_connect_instance.main.arn}/user/*"}]}
    assert p.document["Statement"][0]["Resource"].parts == (INSTANCE, "/user/*")
    assert Path(p.file).name == "main.tf"
    assert at(p, "Version") == (3, 15, 3, 27)
    assert key(p, "Version") == (3, 5, 3, 12)
    assert at(p, "Statement", 0) == (4, 18, 8, 6)
    assert at(p, "Statement", 0, "Action", 0) == (6, 19, 6, 41)
    assert at(p, "Statement", 0, "Action", 1) == (6, 43, 6, 63)
    assert key(p, "Statement", 0, "Action") == (6, 7, 6, 13)
    assert at(p, "Statement", 0, "Resource") == (7, 18, 7, 59)
    # A path with no entry of its own falls back to its parent.
    assert at(p, "Statement", 0, "Condition") == (4, 18, 8, 6)


# --- heredoc -----------------------------------------------------------------------------------
HEREDOC = (
    'locals {\n'                                                                       # 1
    '  reads = ["connect:ListQueues", "connect:DescribeQueue"]\n'                      # 2
    '}\n'                                                                              # 3
    'resource "aws_iam_role_policy" "sup" {\n'                                         # 4
    '  role   = "supervisors"\n'                                                       # 5
    '  policy = <<-EOF\n'                                                              # 6
    '    {\n'                                                                          # 7
    '      "Version": "2012-10-17",\n'                                                 # 8
    '      "Statement": [\n'                                                           # 9
    '        {"Effect": "Allow", "Action": "s3:GetObject",\n'                          # 10
    '         "Resource": "arn:aws:s3:::rec/$${aws:username}/*"},\n'                   # 11
    '        {"Effect": "Allow", "Action": ${jsonencode(local.reads)},\n'              # 12
    '         "Resource": "${aws_connect_instance.main.arn}/queue/*"}\n'               # 13
    '      ]\n'                                                                        # 14
    '    }\n'                                                                          # 15
    '  EOF\n'                                                                          # 16
    '}\n'                                                                              # 17
)


def test_heredoc_json_is_located_line_by_line(tmp_path: Path) -> None:
    p = policy(load(tmp_path, {"main.tf": HEREDOC}), "aws_iam_role_policy.sup")
    assert (p.kind, p.attachment) == (PolicyKind.IDENTITY, Attachment.ROLE_INLINE)
    assert p.document == {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::rec/${aws:username}/*"},
        {"Effect": "Allow", "Action": ["connect:ListQueues", "connect:DescribeQueue"],
         "Resource": "${aws_connect_instance.main.arn}/queue/*"}]}
    # `$${aws:username}` is the IAM policy variable, not a hole.
    assert not isinstance(p.document["Statement"][0]["Resource"], Text)
    assert p.document["Statement"][1]["Resource"].parts == (INSTANCE, "/queue/*")
    assert at(p, "Statement", 0, "Action") == (10, 39, 10, 53)
    assert key(p, "Statement", 0, "Action") == (10, 29, 10, 37)
    assert at(p, "Statement", 0, "Resource") == (11, 22, 11, 59)
    assert at(p, "Statement", 1, "Resource") == (13, 22, 13, 64)
    # An interpolation standing for a whole value takes the places of the local's strings.
    assert at(p, "Statement", 1, "Action", 0) == (2, 12, 2, 32)
    assert at(p, "Statement", 1, "Action", 1) == (2, 34, 2, 57)


def test_heredoc_with_bad_json_is_kept_with_its_errors(tmp_path: Path) -> None:
    src = 'resource "aws_iam_policy" "p" {\n  policy = <<EOF\n{"Version": "2012-10-17",\n "Statement": [],}\nEOF\n}\n'
    p = policy(load(tmp_path, {"main.tf": src}), "aws_iam_policy.p")
    assert p.document == {"Version": "2012-10-17", "Statement": []}
    ((path, message, span),) = p.syntax_errors
    assert "trailing comma" in message and (span.line, span.column) == (4, 17)


# --- data "aws_iam_policy_document" --------------------------------------------------------------
DOC = (
    'data "aws_iam_policy_document" "d" {\n'                                   # 1
    '  policy_id = "agents"\n'                                                 # 2
    '  statement {\n'                                                          # 3
    '    sid           = "One"\n'                                              # 4
    '    effect        = "Deny"\n'                                             # 5
    '    not_actions   = ["connect:DeleteInstance"]\n'                         # 6
    '    not_resources = [aws_connect_instance.main.arn]\n'                    # 7
    '    principals {\n'                                                       # 8
    '      type        = "AWS"\n'                                              # 9
    '      identifiers = ["arn:aws:iam::111122223333:root"]\n'                 # 10
    '    }\n'                                                                  # 11
    '    principals {\n'                                                       # 12
    '      type        = "AWS"\n'                                              # 13
    '      identifiers = ["arn:aws:iam::444455556666:root"]\n'                 # 14
    '    }\n'                                                                  # 15
    '    not_principals {\n'                                                   # 16
    '      type        = "Service"\n'                                          # 17
    '      identifiers = ["connect.amazonaws.com"]\n'                          # 18
    '    }\n'                                                                  # 19
    '    condition {\n'                                                        # 20
    '      test     = "StringEquals"\n'                                        # 21
    '      variable = "aws:RequestedRegion"\n'                                 # 22
    '      values   = ["eu-west-2"]\n'                                         # 23
    '    }\n'                                                                  # 24
    '    condition {\n'                                                        # 25
    '      test     = "StringEquals"\n'                                        # 26
    '      variable = "aws:RequestedRegion"\n'                                 # 27
    '      values   = ["eu-west-1"]\n'                                         # 28
    '    }\n'                                                                  # 29
    '  }\n'                                                                    # 30
    '  statement {\n'                                                          # 31
    '    actions   = ["connect:ListQueues"]\n'                                 # 32
    '    resources = ["*"]\n'                                                  # 33
    '  }\n'                                                                    # 34
    '}\n'                                                                      # 35
)


def test_policy_document_every_element(tmp_path: Path) -> None:
    # A document no resource reads is audited on its own, under its data source address.
    p = policy(load(tmp_path, {"doc.tf": DOC}), "data.aws_iam_policy_document.d")
    assert p.document == {
        "Version": "2012-10-17",
        "Id": "agents",
        "Statement": [
            {"Sid": "One", "Effect": "Deny", "NotAction": ["connect:DeleteInstance"],
             "NotResource": ["${aws_connect_instance.main.arn}"],
             "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]},
             "NotPrincipal": {"Service": ["connect.amazonaws.com"]},
             "Condition": {"StringEquals": {"aws:RequestedRegion": ["eu-west-2", "eu-west-1"]}}},
            {"Effect": "Allow", "Action": ["connect:ListQueues"], "Resource": ["*"]},
        ],
    }
    assert list(p.document["Statement"][0]) == [
        "Sid", "Effect", "NotAction", "NotResource", "Principal", "NotPrincipal", "Condition"]
    assert at(p, "Statement", 0) == (3, 3, 30, 4)
    assert at(p, "Statement", 0, "Sid") == (4, 21, 4, 26)
    assert key(p, "Statement", 0, "Sid") == (4, 5, 4, 8)
    assert at(p, "Statement", 0, "NotAction", 0) == (6, 22, 6, 46)
    assert at(p, "Statement", 0, "NotResource", 0) == (7, 22, 7, 51)
    assert at(p, "Statement", 0, "Principal", "AWS", 0) == (10, 22, 10, 54)
    assert at(p, "Statement", 0, "Principal", "AWS", 1) == (14, 22, 14, 54)
    assert key(p, "Statement", 0, "Principal", "AWS") == (9, 21, 9, 26)
    assert key(p, "Statement", 0, "Principal") == (8, 5, 8, 15)
    assert key(p, "Statement", 0, "Condition", "StringEquals") == (21, 18, 21, 32)
    assert key(p, "Statement", 0, "Condition", "StringEquals", "aws:RequestedRegion") == (22, 18, 22, 39)
    assert at(p, "Statement", 0, "Condition", "StringEquals", "aws:RequestedRegion", 1) == (28, 19, 28, 30)
    # Effect defaults to Allow, located at the statement block.
    assert at(p, "Statement", 1, "Effect") == (31, 3, 31, 12)
    assert at(p, "Statement", 1, "Action", 0) == (32, 18, 32, 38)


def test_a_star_principal_is_written_as_a_star(tmp_path: Path) -> None:
    src = ('data "aws_iam_policy_document" "d" {\n  statement {\n    actions = ["sts:AssumeRole"]\n'
           '    principals {\n      type        = "*"\n      identifiers = ["*"]\n    }\n  }\n}\n')
    p = policy(load(tmp_path, {"d.tf": src}), "data.aws_iam_policy_document.d")
    assert p.document["Statement"][0]["Principal"] == "*"
    assert at(p, "Statement", 0, "Principal") == (6, 22, 6, 25)
    assert p.kind == PolicyKind.TRUST


def test_dynamic_statements_from_a_known_collection(tmp_path: Path) -> None:
    src = (
        'variable "grants" {\n'                                                       # 1
        '  default = {\n'                                                             # 2
        '    monitor = ["connect:MonitorContact"]\n'                                  # 3
        '    barge   = ["connect:UpdateParticipantRoleConfig"]\n'                     # 4
        '  }\n'                                                                       # 5
        '}\n'                                                                         # 6
        'data "aws_iam_policy_document" "d" {\n'                                      # 7
        '  dynamic "statement" {\n'                                                   # 8
        '    for_each = var.grants\n'                                                 # 9
        '    iterator = g\n'                                                          # 10
        '    content {\n'                                                             # 11
        '      sid       = title(g.key)\n'                                            # 12
        '      actions   = g.value\n'                                                 # 13
        '      resources = ["*"]\n'                                                   # 14
        '    }\n'                                                                     # 15
        '  }\n'                                                                       # 16
        '}\n'                                                                         # 17
    )
    p = policy(load(tmp_path, {"d.tf": src}), "data.aws_iam_policy_document.d")
    # Map keys in lexical order, as Terraform iterates them.
    assert p.document["Statement"] == [
        {"Sid": "Barge", "Effect": "Allow", "Action": ["connect:UpdateParticipantRoleConfig"], "Resource": ["*"]},
        {"Sid": "Monitor", "Effect": "Allow", "Action": ["connect:MonitorContact"], "Resource": ["*"]},
    ]
    assert at(p, "Statement", 0, "Action", 0) == (4, 16, 4, 53)
    assert at(p, "Statement", 1, "Action", 0) == (3, 16, 3, 40)
    assert at(p, "Statement", 1) == (11, 5, 15, 6)


def test_a_dynamic_statement_over_an_unknown_collection_has_unresolved_actions(tmp_path: Path) -> None:
    src = ('data "aws_iam_policy_document" "d" {\n  dynamic "statement" {\n    for_each = var.grants\n'
           '    content {\n      actions   = statement.value\n      resources = ["*"]\n    }\n  }\n}\n')
    p = policy(load(tmp_path, {"d.tf": src}), "data.aws_iam_policy_document.d")
    (st,) = p.document["Statement"]
    assert isinstance(st["Action"], Text) and st["Action"].wholly_unresolved
    assert st["Action"].parts == (Hole("statement.value"),)
    assert at(p, "Statement", 0, "Action") == (5, 19, 5, 34)


def test_source_and_override_documents_merge_by_sid(tmp_path: Path) -> None:
    src = (
        'data "aws_iam_policy_document" "base" {\n'
        '  statement {\n    sid = "A"\n    actions = ["connect:ListQueues"]\n  }\n'
        '  statement {\n    sid = "B"\n    actions = ["connect:ListUsers"]\n  }\n'
        '  statement {\n    actions = ["connect:ListPrompts"]\n  }\n'
        '}\n'
        'data "aws_iam_policy_document" "over" {\n'
        '  statement {\n    sid = "B"\n    actions = ["connect:DescribeUser"]\n  }\n'
        '  statement {\n    sid = "D"\n    actions = ["connect:ListPhoneNumbers"]\n  }\n'
        '}\n'
        'data "aws_iam_policy_document" "merged" {\n'
        '  source_policy_documents   = [data.aws_iam_policy_document.base.json]\n'
        '  override_policy_documents = [data.aws_iam_policy_document.over.json]\n'
        '  statement {\n    sid = "A"\n    actions = ["connect:DescribeQueue"]\n  }\n'
        '  statement {\n    sid = "C"\n    actions = ["connect:ListHoursOfOperations"]\n  }\n'
        '}\n'
        'resource "aws_iam_policy" "p" {\n  policy = data.aws_iam_policy_document.merged.json\n}\n'
    )
    model = load(tmp_path, {"d.tf": src})
    # The documents the policy reads are not audited again on their own.
    assert [p.name for p in model.policies] == ["aws_iam_policy.p"]
    p = model.policies[0]
    assert [(s.get("Sid"), s["Action"]) for s in p.document["Statement"]] == [
        ("A", ["connect:DescribeQueue"]),      # the current statement replaced the source's A
        ("B", ["connect:DescribeUser"]),       # the override replaced B
        (None, ["connect:ListPrompts"]),       # no Sid: kept
        ("C", ["connect:ListHoursOfOperations"]),
        ("D", ["connect:ListPhoneNumbers"]),   # new in the override: appended
    ]
    assert at(p, "Statement", 0, "Action", 0) == (29, 16, 29, 39)
    assert at(p, "Statement", 1, "Action", 0) == (17, 16, 17, 38)


# --- file() and templatefile() ----------------------------------------------------------------------
def test_file_reads_json_beside_the_module_and_locates_in_it(tmp_path: Path) -> None:
    files = {
        "main.tf": 'module "m" {\n  source = "./mod"\n}\n',
        "mod/main.tf": 'resource "aws_iam_policy" "p" {\n  policy = file("${path.module}/p.json")\n}\n',
        "mod/p.json": '{"Version": "2012-10-17",\n "Statement": [{"Effect": "Allow", "Action": "connect:*", "Resource": "*"}]}\n',
    }
    model = load(tmp_path, files)
    # The JSON file is audited once: as the policy that reads it.
    assert [p.name for p in model.policies] == ["module.m.aws_iam_policy.p"]
    p = model.policies[0]
    assert p.document["Statement"][0]["Action"] == "connect:*"
    span = p.locations.value(("Statement", 0, "Action"))
    assert (Path(span.file).name, span.line, span.column, span.end_column) == ("p.json", 2, 46, 57)


def test_a_policy_file_nobody_reads_is_audited_on_its_own(tmp_path: Path) -> None:
    from auditor.engine import load_model

    files = {
        # unused.json is named, so Terraform is offered it, but nothing reads it.
        "main.tf": 'resource "aws_iam_policy" "p" {\n  policy = "{}"\n}\nlocals {\n  x = "unused.json"\n}\n',
        "loose.json": '{"Version": "2012-10-17", "Statement": []}\n',
        "unused.json": '{"Version": "2012-10-17", "Statement": []}\n',
    }
    assert [Path(p.name).name for p in load(tmp_path, files).policies] == ["aws_iam_policy.p", "unused.json"]
    names = sorted(Path(p.name).name for p in load_model([tmp_path], LoadContext()).policies)
    assert names == ["aws_iam_policy.p", "loose.json", "unused.json"]


def test_templatefile_fills_the_template_and_locates_in_it(tmp_path: Path) -> None:
    files = {
        "main.tf": ('resource "aws_iam_role_policy" "p" {\n  role = "r"\n'
                    '  policy = templatefile("${path.module}/p.json.tftpl", {\n'
                    '    instance = aws_connect_instance.main.arn\n    bucket = "rec"\n  })\n}\n'),
        "p.json.tftpl": ('{"Version": "2012-10-17", "Statement": [\n'
                         '  {"Effect": "Allow", "Action": "connect:GetContactAttributes", "Resource": "${instance}/contact/*"},\n'
                         '  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${bucket}/*"}\n'
                         ']}\n'),
    }
    p = policy(load(tmp_path, files), "aws_iam_role_policy.p")
    st = p.document["Statement"]
    assert st[0]["Resource"].parts == (Hole("aws_connect_instance.main.arn", INSTANCE.pattern), "/contact/*")
    assert st[1]["Resource"] == "arn:aws:s3:::rec/*"
    span = p.locations.value(("Statement", 0, "Resource"))
    assert (Path(span.file).name, span.line, span.column, span.end_column) == ("p.json.tftpl", 2, 77, 100)


# --- resources ------------------------------------------------------------------------------------
def test_role_trust_and_inline_policies(tmp_path: Path) -> None:
    src = (
        'resource "aws_iam_role" "r" {\n'
        '  assume_role_policy = jsonencode({Statement = [{Effect = "Allow", Action = "sts:AssumeRole",\n'
        '    Principal = {Service = "lambda.amazonaws.com"}}]})\n'
        '  inline_policy {\n    name   = "one"\n'
        '    policy = jsonencode({Statement = [{Effect = "Allow", Action = "connect:ListQueues", Resource = "*"}]})\n'
        '  }\n'
        '}\n'
        'resource "aws_iam_user_policy" "u" {\n  user = "alice"\n  policy = "{\\"Statement\\": []}"\n}\n'
        'resource "aws_iam_group_policy" "g" {\n  group = "ops"\n  policy = jsonencode({Statement = []})\n}\n'
        'resource "aws_ssoadmin_permission_set_inline_policy" "s" {\n'
        '  instance_arn = "x"\n  permission_set_arn = "y"\n  inline_policy = jsonencode({Statement = []})\n}\n'
    )
    model = load(tmp_path, {"main.tf": src})
    kinds = {p.name: (p.kind, p.attachment) for p in model.policies}
    assert kinds == {
        "aws_iam_role.r.assume_role_policy": (PolicyKind.TRUST, Attachment.TRUST),
        "aws_iam_role.r.inline_policy[0]": (PolicyKind.IDENTITY, Attachment.ROLE_INLINE),
        "aws_iam_user_policy.u": (PolicyKind.IDENTITY, Attachment.USER_INLINE),
        "aws_iam_group_policy.g": (PolicyKind.IDENTITY, Attachment.GROUP_INLINE),
        "aws_ssoadmin_permission_set_inline_policy.s": (PolicyKind.IDENTITY, Attachment.UNKNOWN),
    }
    assert policy(model, "aws_iam_user_policy.u").document == {"Statement": []}
    inline = policy(model, "aws_iam_role.r.inline_policy[0]")
    assert at(inline, "Statement", 0, "Action") == (6, 67, 6, 87)


def test_module_arguments_and_addresses(tmp_path: Path) -> None:
    files = {
        "main.tf": ('module "connect" {\n  source = "./modules/connect"\n'
                    '  actions = ["connect:ListQueues"]\n  instance = aws_connect_instance.main.arn\n}\n'
                    'module "per_site" {\n  source = "./modules/connect"\n  for_each = toset(["east", "west"])\n'
                    '  actions = ["connect:ListUsers"]\n  instance = "arn:aws:connect:eu-west-2:1:instance/${each.key}"\n}\n'),
        "modules/connect/main.tf": ('variable "actions" {}\nvariable "instance" {}\n'
                                    'module "inner" {\n  source = "../inner"\n  arn = var.instance\n}\n'
                                    'resource "aws_iam_policy" "p" {\n'
                                    '  policy = jsonencode({Statement = [{Action = var.actions, Resource = var.instance}]})\n}\n'),
        "modules/inner/main.tf": ('variable "arn" {}\nresource "aws_iam_policy" "q" {\n'
                                  '  policy = jsonencode({Statement = [{Action = "connect:ListPrompts", Resource = "${var.arn}/prompt/*"}]})\n}\n'),
    }
    model = load(tmp_path, files)
    assert sorted(p.name for p in model.policies) == [
        "module.connect.aws_iam_policy.p",
        "module.connect.module.inner.aws_iam_policy.q",
        'module.per_site["east"].aws_iam_policy.p',
        'module.per_site["east"].module.inner.aws_iam_policy.q',
        'module.per_site["west"].aws_iam_policy.p',
        'module.per_site["west"].module.inner.aws_iam_policy.q',
    ]
    p = policy(model, "module.connect.aws_iam_policy.p")
    # The value comes from the caller, so it points at the caller's line.
    assert Path(p.locations.value(("Statement", 0, "Action", 0)).file).name == "main.tf"
    assert at(p, "Statement", 0, "Action", 0) == (3, 14, 3, 34)
    assert Path(p.file).name == "main.tf" and "modules/connect" in p.file
    q = policy(model, 'module.per_site["west"].module.inner.aws_iam_policy.q')
    assert q.document["Statement"][0]["Resource"] == "arn:aws:connect:eu-west-2:1:instance/west/prompt/*"
    inner = policy(model, "module.connect.module.inner.aws_iam_policy.q")
    # A hole shows what is written where it is used; the caller's ARN pattern stays with it.
    assert inner.document["Statement"][0]["Resource"].parts == (Hole("var.arn", INSTANCE.pattern), "/prompt/*")


def test_count_and_for_each_make_instance_addresses(tmp_path: Path) -> None:
    src = ('resource "aws_iam_policy" "c" {\n  count = 2\n'
           '  policy = jsonencode({Statement = [{Action = "connect:ListQueues", Resource = "q${count.index}"}]})\n}\n'
           'resource "aws_iam_policy" "e" {\n  for_each = {a = "connect:ListUsers"}\n'
           '  policy = jsonencode({Statement = [{Action = each.value, Resource = "*"}]})\n}\n'
           'resource "aws_iam_policy" "off" {\n  count = 0\n  policy = "{}"\n}\n')
    model = load(tmp_path, {"main.tf": src})
    assert [p.name for p in model.policies] == ["aws_iam_policy.c[0]", "aws_iam_policy.c[1]", 'aws_iam_policy.e["a"]']
    assert policy(model, "aws_iam_policy.c[1]").document["Statement"][0]["Resource"] == "q1"
    e = policy(model, 'aws_iam_policy.e["a"]')
    assert e.document["Statement"][0]["Action"] == "connect:ListUsers"
    # The value is the for_each map's string.
    assert at(e, "Statement", 0, "Action") == (6, 19, 6, 38)


def test_a_policy_that_cannot_be_known_is_noted_not_audited(tmp_path: Path) -> None:
    src = 'resource "aws_iam_policy" "p" {\n  policy = module.remote.policy_json\n}\n'
    model = load(tmp_path, {"main.tf": src})
    assert model.policies == []
    ((span, message),) = model.notes
    # At the value (`module.remote.policy_json`), not the whole argument.
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 12, 2, 37)
    assert message == ("aws_iam_policy.p: the policy cannot be audited: `module.remote.policy_json` is not known "
                       "before deployment")


def test_a_managed_policy_used_as_a_boundary_is_a_boundary(tmp_path: Path) -> None:
    src = ('resource "aws_iam_policy" "b" {\n  policy = jsonencode({Statement = []})\n}\n'
           'resource "aws_iam_role" "r" {\n  assume_role_policy = "{}"\n'
           '  permissions_boundary = aws_iam_policy.b.arn\n}\n')
    assert policy(load(tmp_path, {"main.tf": src}), "aws_iam_policy.b").kind == PolicyKind.BOUNDARY


def test_tf_json_configuration(tmp_path: Path) -> None:
    text = ('{"resource": {"aws_iam_policy": {"p": {\n'
            '  "policy": "${jsonencode({Statement = [{Action = \\"connect:ListQueues\\", Resource = \\"*\\"}]})}"\n'
            '}}},\n'
            ' "data": {"aws_iam_policy_document": {"d": {"statement": [{"actions": ["connect:ListUsers"]}]}}}}\n')
    model = load(tmp_path, {"main.tf.json": text})
    p = policy(model, "aws_iam_policy.p")
    assert p.document == {"Statement": [{"Action": "connect:ListQueues", "Resource": "*"}]}
    d = policy(model, "data.aws_iam_policy_document.d")
    assert d.document["Statement"][0]["Action"] == ["connect:ListUsers"]
    assert at(d, "Statement", 0, "Action", 0) == (4, 72, 4, 91)


TF_JSON_STRINGS = (
    '{"resource": {"aws_iam_policy": {\n'
    '  "p": {"policy": "{\\"Statement\\": {\\"Action\\": \\"connect:NoSuchAction\\", \\"Resource\\": \\"*\\"}}"},\n'
    '  "q": {"policy": "{\\"Statement\\": {\\"Action\\": \\"connect:NoSuch\\u0041ction\\", '
    '\\"Resource\\": \\"${aws_connect_instance.main.arn}/queue/*\\"}}"}\n'
    '}}}\n'
)


def test_tf_json_policy_in_a_json_string_is_located_inside_the_string(tmp_path: Path) -> None:
    model = load(tmp_path, {"main.tf.json": TF_JSON_STRINGS})
    p = policy(model, "aws_iam_policy.p")
    assert p.document == {"Statement": {"Action": "connect:NoSuchAction", "Resource": "*"}}
    # Each escape `\"` is two columns: a value starts at the escape of its opening quote.
    assert at(p, "Statement", "Action") == (2, 49, 2, 73)
    assert key(p, "Statement", "Action") == (2, 37, 2, 47)
    assert at(p, "Statement", "Resource") == (2, 89, 2, 94)
    q = policy(model, "aws_iam_policy.q")  # with an interpolation, and a \u escape
    assert q.document["Statement"]["Action"] == "connect:NoSuchAction"
    assert q.document["Statement"]["Resource"].parts == (
        Hole("aws_connect_instance.main.arn", "arn:*:connect:*:*:instance/*"), "/queue/*")
    assert at(q, "Statement", "Action") == (3, 49, 3, 78)
    assert at(q, "Statement", "Resource") == (3, 94, 3, 138)


def test_tf_json_policy_string_findings_point_at_the_action(tmp_path: Path, catalog) -> None:
    from auditor.engine import Options, scan

    (tmp_path / "main.tf.json").write_text(TF_JSON_STRINGS)
    report = scan([tmp_path / "main.tf.json"], Options(select=["CA102"]), catalog=catalog)
    got = [(f.rule_id, f.resource, (f.location().line, f.location().column, f.location().end_line,
                                    f.location().end_column)) for f in report.findings]
    assert got == [("CA102", "aws_iam_policy.p", (2, 49, 2, 73)), ("CA102", "aws_iam_policy.q", (3, 49, 3, 78))]


def test_hcl_policy_in_a_quoted_string_is_located_inside_the_string(tmp_path: Path) -> None:
    src = ('resource "aws_iam_policy" "p" {\n'
           '  policy = "{\\"Statement\\": {\\"Action\\": \\"connect:ListUsers\\"}}"\n'
           '}\n')
    p = policy(load(tmp_path, {"main.tf": src}), "aws_iam_policy.p")
    assert p.document == {"Statement": {"Action": "connect:ListUsers"}}
    assert at(p, "Statement", "Action") == (2, 42, 2, 63)


def test_workers_give_the_same_model(tmp_path: Path) -> None:
    files = {f"f{i}.tf": JSONENCODE.replace('"agents"', f'"agents{i}"') for i in range(8)}
    one = load(tmp_path, files, jobs=1)
    two = load(tmp_path, {}, jobs=2)
    assert [(p.name, p.document, p.locations.values) for p in one.policies] == \
        [(p.name, p.document, p.locations.values) for p in two.policies]


def test_a_heredoc_with_directives_is_rendered_and_located_at_the_heredoc(tmp_path: Path) -> None:
    src = (
        'locals {\n  actions = ["connect:ListQueues", "connect:ListUsers"]\n}\n'
        'resource "aws_iam_policy" "p" {\n'
        '  policy = <<EOT\n'
        '{"Statement": [\n'
        '%{ for a in local.actions ~}\n'
        '  {"Effect": "Allow", "Action": "${a}", "Resource": "*"},\n'
        '%{ endfor ~}\n'
        '  {"Effect": "Deny", "Action": "connect:DeleteInstance", "Resource": "*"}\n'
        ']}\n'
        'EOT\n'
        '}\n'
    )
    p = policy(load(tmp_path, {"main.tf": src}), "aws_iam_policy.p")
    assert [s["Action"] for s in p.document["Statement"]] == [
        "connect:ListQueues", "connect:ListUsers", "connect:DeleteInstance"]
    # The rendered text is not the file's, so every value points at the heredoc.
    assert at(p, "Statement", 1, "Action") == (5, 12, 12, 4)


def test_condition_keys_with_holes_stay_unresolved(tmp_path: Path) -> None:
    src = (
        'data "aws_iam_policy_document" "d" {\n  statement {\n    actions = ["sts:AssumeRoleWithWebIdentity"]\n'
        '    condition {\n      test     = "StringEquals"\n      variable = "${var.provider}:sub"\n'
        '      values   = ["system:serviceaccount:x"]\n    }\n  }\n}\n'
        'resource "aws_iam_policy" "h" {\n  policy = <<EOF\n'
        '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",\n'
        '  "Condition": {"StringEquals": {"${var.key}": "x"}}}]}\nEOF\n}\n'
    )
    model = load(tmp_path, {"main.tf": src})
    for name in ("data.aws_iam_policy_document.d", "aws_iam_policy.h"):
        (st,) = list(policy(model, name).statements())
        ((_, key, _, _),) = list(st.conditions())
        assert isinstance(key, Text) and key.holes, name
