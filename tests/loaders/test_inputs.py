"""What the scan reads: regular files and symbolic links to them, under the link's own name;
broken links and files that are not UTF-8 are input errors (CA000), the same whether named or
met in a folder; pipes are never opened; a policy that gives only its Version is a policy."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Iterator

import pytest

from auditor.engine import Options, load_model, scan
from auditor.loaders.base import LoadContext, display_path

POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "connect:NoSuchAction", "Resource": "*"}]}\n'
SELECT = ["CA000", "CA002", "CA102"]


def findings(paths: list[Path], catalog) -> list[tuple[str, str, int, int, str]]:
    report = scan(paths, Options(select=SELECT), catalog=catalog)
    return [(f.rule_id, f.location().file, f.location().line, f.location().column, f.message.split(" (")[0])
            for f in report.findings]


class Blocked(BaseException):
    """Not an OSError, which the scan would catch and carry on after."""


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail, rather than hang, when something opens a pipe."""
    def expired(signum: int, frame: object) -> None:
        signal.alarm(2)  # again, should the first be swallowed
        raise Blocked("the scan blocked (it opened a pipe?)")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_a_symlink_loop_is_a_broken_link_not_a_crash(tmp_path: Path, catalog) -> None:
    (tmp_path / "p.json").write_text(POLICY)
    os.symlink("l1", tmp_path / "l2")
    os.symlink("l2", tmp_path / "l1")
    loop = "broken symbolic link: it leads round a loop of links"
    assert findings([tmp_path], catalog) == [
        ("CA000", str(tmp_path / "l1"), 1, 1, loop),
        ("CA000", str(tmp_path / "l2"), 1, 1, loop),
        ("CA102", str(tmp_path / "p.json"), 1, 71, "`connect:NoSuchAction` is not an action of `connect` in the catalog"),
    ]
    assert display_path(tmp_path / "l1") == str(tmp_path / "l1")


def test_a_dangling_link_is_reported_once_under_its_own_name(tmp_path: Path, catalog,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # paths shown relative to the working folder
    (tmp_path / "tree").mkdir()
    os.symlink("../missing.json", tmp_path / "tree" / "link.json")
    message = "broken symbolic link: its target ../missing.json does not exist"
    expected = [("CA000", "tree/link.json", 1, 1, message)]
    assert findings([Path("tree")], catalog) == expected
    assert findings([Path("tree/link.json")], catalog) == expected  # named: an error too
    assert findings([Path("tree"), Path("tree/link.json")], catalog) == expected  # once


def test_a_link_to_a_policy_is_read_under_the_links_name(tmp_path: Path, catalog,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "real.json").write_text(POLICY)
    (tmp_path / "tree").mkdir()
    os.symlink("../elsewhere/real.json", tmp_path / "tree" / "link.json")
    got = findings([Path("tree")], catalog)
    assert [(r, f, ln, c) for r, f, ln, c, _ in got] == [("CA102", "tree/link.json", 1, 71)]


def test_a_pipe_in_the_tree_is_never_opened(tmp_path: Path, catalog, deadline: None) -> None:
    (tmp_path / "p.json").write_text(POLICY)
    os.mkfifo(tmp_path / "f.json")
    assert [f[:2] for f in findings([tmp_path], catalog)] == [("CA102", str(tmp_path / "p.json"))]
    # Named, it is an input error (and still not opened).
    model = load_model([tmp_path / "f.json"], LoadContext())
    assert [(s.file, m) for s, m in model.input_errors] == [
        (str(tmp_path / "f.json"), "not a regular file (a pipe, socket or device): connect-audit reads files")]


@pytest.mark.parametrize("encoding, shown", [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32")])
def test_utf16_and_utf32_policies_are_reported_named_or_in_a_folder(tmp_path: Path, catalog, encoding: str,
                                                                    shown: str) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(("\ufeff" if encoding.endswith("be") else "").encode(encoding) + POLICY.encode(encoding))
    expected = [("CA000", str(path), 1, 1, f"the file is {shown} text")]
    assert findings([tmp_path], catalog) == expected
    assert findings([path], catalog) == expected
    (error,) = load_model([tmp_path], LoadContext()).input_errors
    assert error[1] == f"the file is {shown} text (it starts with a byte-order mark), not UTF-8: save it as UTF-8"


def test_a_policy_with_only_a_version_is_claimed_in_a_folder(tmp_path: Path, catalog) -> None:
    (tmp_path / "v.json").write_text('{"Version": "2012-10-17"}\n')
    (tmp_path / "states.json").write_text('{"Version": "1.0", "StartAt": "A", "States": {}}\n')  # not a policy
    expected = [("CA002", str(tmp_path / "v.json"), 1, 1, "the policy has no Statement element: it grants and denies "
                                                           "nothing, and IAM rejects it")]
    assert findings([tmp_path], catalog) == expected
    assert findings([tmp_path / "v.json"], catalog) == expected


def test_a_module_source_that_is_a_symlink_loop_is_no_module(tmp_path: Path, catalog,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    os.symlink("l1", tmp_path / "l2")
    os.symlink("l2", tmp_path / "l1")
    (tmp_path / "main.tf").write_text('module "m" {\n  source = "./l1"\n}\n'
                                      'resource "aws_iam_policy" "p" {\n'
                                      '  policy = jsonencode({Statement = [{Effect = "Allow", '
                                      'Action = "connect:NoSuchAction", Resource = "*"}]})\n}\n')
    got = [(r, f, ln, c) for r, f, ln, c, _ in findings([Path(".")], catalog)]
    assert got == [("CA000", "l1", 1, 1), ("CA000", "l2", 1, 1), ("CA102", "main.tf", 5, 65)]
