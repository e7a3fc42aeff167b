"""Which files are Terraform's, from names and bytes alone (no parser is imported here).

Besides `.tf`, `.tf.json`, `.tfvars`, `.tfvars.json` and plans, Terraform reads JSON files
through `file()`, `templatefile()` and `fileset()`. `json_patterns` lists, for one Terraform
file, the paths its string literals ending in `.json` can name, as glob patterns over
absolute POSIX paths: `${path.module}` is the file's folder, any other interpolation (or a
`format` verb) stands for any text, and a relative path, which Terraform resolves from the root module's
folder, is tried both from the file's folder and as a suffix under any folder. The patterns
err on the side of naming more files: a JSON file Terraform is offered but does not read is
audited on its own.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from typing import Iterable


def is_tf(name: str) -> bool:
    return name.endswith(".tf") or name.endswith(".tf.json")


def is_tfvars(name: str) -> bool:
    return name.endswith(".tfvars") or name.endswith(".tfvars.json")


def is_terraform_source(name: str) -> bool:
    """A file whose literals can name JSON files Terraform reads."""
    return is_tf(name) or is_tfvars(name)


def auto_tfvars(name: str) -> bool:
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith(".auto.tfvars") \
        or name.endswith(".auto.tfvars.json")


def looks_like_plan(head: bytes) -> bool:
    """`terraform show -json` output (a plan or a state), from its first bytes."""
    return b'"format_version"' in head and (b'"planned_values"' in head or b'"terraform_version"' in head)


# A string literal that ends in ".json"; interpolations may hold quotes ("${var.m["k"]}").
_JSON_LITERAL = re.compile(rb'"((?:[^"\\\n$]|\\.|\$\{[^}\n]*\}|\$)*?\.json)"')
_FILESET = re.compile(rb'\bfileset\(\s*"([^"\n]*)"\s*,\s*"([^"\n]*)"\s*\)')
_INTERP = re.compile(r"\$\{([^}]*)\}")
_FORMAT_VERB = re.compile(r"%[-+# 0-9.]*[a-zA-Z]")
# In a pattern: ANY stands for any text, "/" included (an interpolation, `**`, a folder we
# cannot know); `*` and `?` are fileset()'s globs, within one path segment.
ANY = "\x01"
_MODULE = "\x00"


def json_patterns(data: bytes, folder: str) -> list[str]:
    """Patterns of the JSON files a Terraform file in `folder` (absolute, POSIX) can read."""
    if b".json" not in data:
        return []
    literals = [m.group(1) for m in _JSON_LITERAL.finditer(data)]
    if b"fileset" in data:
        literals += [a + b"/" + b for a, b in _FILESET.findall(data) if b.endswith(b".json")]
    out: list[str] = []
    for raw in literals:
        out.extend(_patterns(raw.decode("utf-8", "replace"), folder))
    return out


def _patterns(literal: str, folder: str) -> list[str]:
    s = _INTERP.sub(lambda m: _MODULE if m.group(1).strip() == "path.module" else ANY, literal)
    s = _FORMAT_VERB.sub(ANY, s).replace("**", ANY)
    if _MODULE in s:
        return [posixpath.normpath(folder + "/" + s[s.rindex(_MODULE) + 1:].lstrip("/"))]
    if s.startswith("/"):
        return [posixpath.normpath(s)]
    if s.startswith(ANY):
        return [s]  # under a folder we cannot know (path.root, a variable...)
    # Relative: from the root module's folder, which is this one or one that calls it.
    out = [posixpath.normpath(folder + "/" + s)]
    parts = [p for p in s.split("/") if p not in ("", ".", "..")]
    if parts and not any(c in parts[0] for c in (ANY, "*", "?")):
        out.append(ANY + "/" + "/".join(parts))
    return out


def pattern_regex(pattern: str) -> str:
    out = []
    for c in pattern:
        out.append(".*" if c == ANY else "[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c))
    return "".join(out)


class JsonReferences:
    """The JSON files that Terraform files can read. Built from the Terraform files given (the
    scan's inputs), or, when none are given, from those in each JSON file's folder and its
    three parents. The answer for a file never depends on which files were asked about first."""

    def __init__(self, terraform_files: list[Path] | None = None) -> None:
        self._given = terraform_files
        self._all: re.Pattern[str] | None = None
        self._by_dir: dict[str, re.Pattern[str]] = {}

    def reads(self, path: Path) -> bool:
        full = posixpath.normpath(path.absolute().as_posix())
        return any(rx.fullmatch(full) for rx in self._regexes(path))

    def _regexes(self, path: Path) -> list[re.Pattern[str]]:
        if self._given is not None:
            if self._all is None:
                self._all = _compile(pat for f in self._given for pat in _file_patterns(f))
            return [self._all]
        folder = path.absolute().parent
        out = []
        for d in [folder, *list(folder.parents)[:3]]:
            key = d.as_posix()
            if key not in self._by_dir:
                self._by_dir[key] = _compile(_folder_patterns(d))
            out.append(self._by_dir[key])
        return out


def _compile(patterns: Iterable[str]) -> re.Pattern[str]:
    alternatives = sorted({pattern_regex(p) for p in patterns})
    return re.compile("|".join(f"(?:{a})" for a in alternatives) if alternatives else "(?!)")


def _file_patterns(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError:
        return []
    return json_patterns(data, posixpath.normpath(path.absolute().parent.as_posix()))


def _folder_patterns(folder: Path) -> list[str]:
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [pat for n in names if is_terraform_source(n) for pat in _file_patterns(folder / n)]
