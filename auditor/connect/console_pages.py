"""The permissions each Amazon Connect console page and use case needs.

The data (`data/console_pages.json`) is extracted from AWS's page "Required permissions for using
custom IAM policies to manage access to the Amazon Connect console" (seed 003, kept in
`fixtures/seeds/`). Every permission is kept as the page spells it (`as_documented`) beside the
catalog action it means now (`current`); where the two differ, `why` says how (a stray blank, a
typo, a renamed or retired action, see `auditor.connect.knowledge.RETIRED_ACTIONS`).

In the JSON a permission is a plain string when the page spells a catalog action exactly, and an
object `{"as_documented", "current" (or null), "why"}` otherwise.

`parse_permissions_markdown` reads that page (its 2023 form with space-separated cells, or the
current one with back-ticks and `<br />`), and `resolve` fills in `current`/`why` from the catalog;
`build_data` puts the two together into the JSON form, which is how the data file was made and how
the tests check it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.connect.knowledge import RETIRED_ACTIONS, normalise_action_name

if TYPE_CHECKING:  # pragma: no cover
    from auditor.catalog import Catalog

__all__ = [
    "Page",
    "Permission",
    "UseCase",
    "build_data",
    "console_pages",
    "load_console_pages",
    "parse_permissions_markdown",
    "resolve",
]

DATA_FILE = "console_pages.json"


@dataclass(frozen=True)
class Permission:
    as_documented: str
    current: str | None  # catalog spelling, or None when nothing replaces it
    why: str | None = None  # set when `as_documented` is not exactly a catalog action

    @property
    def corrected(self) -> bool:
        return self.why is not None

    def to_json(self) -> str | dict[str, Any]:
        if self.why is None and self.current == self.as_documented:
            return self.as_documented
        return {"as_documented": self.as_documented, "current": self.current, "why": self.why}

    @classmethod
    def from_json(cls, data: str | dict[str, Any]) -> "Permission":
        if isinstance(data, str):
            return cls(data, data, None)
        return cls(data["as_documented"], data.get("current"), data.get("why"))


@dataclass(frozen=True)
class UseCase:
    name: str
    permissions: tuple[Permission, ...]
    resources: tuple[str, ...] = ()  # only where the page names the resources
    note: str | None = None

    def actions(self) -> list[str]:
        """The current catalog names of the permissions, in order, without repeats or gaps."""
        out: dict[str, None] = {}
        for p in self.permissions:
            if p.current:
                out.setdefault(p.current, None)
        return list(out)


@dataclass(frozen=True)
class Page:
    id: str  # the page's anchor on the AWS page ("call-recording-section")
    title: str  # the console page ("Data storage page")
    section: str | None  # the section of that page, if the table is under one ("Call recording section")
    use_cases: tuple[UseCase, ...]

    def use_case(self, name: str) -> UseCase | None:
        low = name.lower()
        return next((u for u in self.use_cases if u.name.lower() == low), None)

    def actions(self) -> list[str]:
        out: dict[str, None] = {}
        for u in self.use_cases:
            for a in u.actions():
                out.setdefault(a, None)
        return list(out)


# --- loading -------------------------------------------------------------------------------------------
def load_console_pages(path: Path | None = None) -> list[Page]:
    """Pages from a console-pages JSON file (default: the bundled one)."""
    if path is None:
        raw = resources.files("auditor.connect").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    else:
        raw = Path(path).read_text(encoding="utf-8")
    return pages_from_data(json.loads(raw))


@lru_cache(maxsize=1)
def _bundled() -> tuple[Page, ...]:
    return tuple(load_console_pages())


def console_pages() -> list[Page]:
    """Every console page/section of the bundled data, in the order of the AWS page."""
    return list(_bundled())


def pages_from_data(data: dict[str, Any]) -> list[Page]:
    pages = []
    for p in data["pages"]:
        use_cases = tuple(
            UseCase(
                u["name"],
                tuple(Permission.from_json(x) for x in u["permissions"]),
                tuple(u.get("resources", ())),
                u.get("note"),
            )
            for u in p["use_cases"]
        )
        pages.append(Page(p["id"], p["title"], p.get("section"), use_cases))
    return pages


def pages_to_data(pages: list[Page], source: dict[str, Any] | None = None) -> dict[str, Any]:
    out_pages = []
    for p in pages:
        ucs = []
        for u in p.use_cases:
            d: dict[str, Any] = {"name": u.name, "permissions": [x.to_json() for x in u.permissions]}
            if u.resources:
                d["resources"] = list(u.resources)
            if u.note:
                d["note"] = u.note
            ucs.append(d)
        out_pages.append({"id": p.id, "title": p.title, "section": p.section, "use_cases": ucs})
    data: dict[str, Any] = {}
    if source:
        data["source"] = source
    data["pages"] = out_pages
    return data


# --- extraction from the AWS page ---------------------------------------------------------------------
_HEADING = re.compile(r"^(#{2,3})\s+(.*?)\s*(?:<a name=\"([^\"]+)\"></a>)?\s*$")
_ANCHOR_LINE = re.compile(r"^<a name=\"([^\"]+)\"></a>\s*$")
# `svc:Action`, allowing the blank after the colon the page sometimes has ("connect: DeleteUser").
_PERMISSION = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*:[ \t]?[A-Za-z][A-Za-z0-9]*\*?")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


def _unescape(text: str) -> str:
    return _MD_ESCAPE.sub(r"\1", text)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def parse_permissions_markdown(text: str) -> list[Page]:
    """Every table (and JSON policy) of the console-permissions page, as pages whose permissions are
    spelt as documented (`current` is left None; see `resolve`)."""
    pages: list[Page] = []
    title: str | None = None
    title_id: str | None = None
    section: str | None = None
    section_id: str | None = None
    pending_heading: int | None = None  # level of a heading still waiting for its anchor line
    use_cases: list[UseCase] = []
    lines = text.splitlines()

    def flush() -> None:
        nonlocal use_cases
        if use_cases and title is not None:
            pid = (section_id if section else title_id) or _slug(section or title)
            pages.append(Page(pid, title, section, tuple(use_cases)))
        use_cases = []

    i = 0
    while i < len(lines):
        line = lines[i]
        m = _HEADING.match(line)
        if m:
            flush()
            level, name, anchor = len(m.group(1)), _unescape(m.group(2)).strip(), m.group(3)
            if level == 2:
                title, title_id, section, section_id = name, anchor, None, None
            else:
                section, section_id = name, anchor
            pending_heading = level if anchor is None else None
            i += 1
            continue
        a = _ANCHOR_LINE.match(line)
        if a and pending_heading is not None:
            if pending_heading == 2:
                title_id = a.group(1)
            else:
                section_id = a.group(1)
            pending_heading = None
            i += 1
            continue
        if line.strip() and not a:
            pending_heading = None
        if line.startswith("```"):
            block = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                block.append(lines[i])
                i += 1
            i += 1
            use_cases.extend(_use_cases_from_policy("\n".join(block), section or title))
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if len(cells) >= 2 and not set(cells[0]) <= set("- :") and "Permissions needed" not in cells[1]:
                name = _unescape(cells[0].replace("`", "")).strip()
                perms = _permissions_in_cell(cells[1])
                if perms:
                    use_cases.append(UseCase(name, tuple(Permission(p, None) for p in perms)))
        i += 1
    flush()
    return pages


def _permissions_in_cell(cell: str) -> list[str]:
    text = _unescape(cell.replace("`", " ").replace("<br />", " ").replace("<br/>", " "))
    out: dict[str, None] = {}
    for m in _PERMISSION.finditer(text):
        out.setdefault(m.group(0), None)
    return list(out)


def _use_cases_from_policy(block: str, where: str | None) -> list[UseCase]:
    try:
        doc = json.loads(block)
    except ValueError:
        return []
    statements = doc.get("Statement", []) if isinstance(doc, dict) else []
    if isinstance(statements, dict):
        statements = [statements]
    out = []
    for n, st in enumerate(statements, 1):
        if not isinstance(st, dict) or st.get("Effect") != "Allow":
            continue
        acts = st.get("Action", [])
        acts = [acts] if isinstance(acts, str) else list(acts)
        res = st.get("Resource", [])
        res = [res] if isinstance(res, str) else list(res)
        name = st.get("Sid") or f"Policy statement {n}"
        out.append(UseCase(name, tuple(Permission(a, None) for a in acts), tuple(res),
                           f"statement of the policy the page prints under '{where}'"))
    return out


def resolve(pages: list[Page], catalog: "Catalog") -> list[Page]:
    """`pages` with each permission's `current` name and, where it differs from the documented
    spelling, `why`."""
    out = []
    for p in pages:
        ucs = []
        for u in p.use_cases:
            perms = tuple(_resolve_one(x.as_documented, catalog) for x in u.permissions)
            ucs.append(UseCase(u.name, perms, u.resources, u.note))
        out.append(Page(p.id, p.title, p.section, tuple(ucs)))
    return out


def _resolve_one(documented: str, catalog: "Catalog") -> Permission:
    clean = normalise_action_name(documented)
    blank = clean != documented
    if "*" in clean:
        found = bool(catalog.expand(clean).actions)
        why = None if found else "matches no action in the catalog"
        if blank:
            why = "stray blank in the documentation" + (f"; {why}" if why else "")
        return Permission(documented, clean if found else None, why)
    action = catalog.action(clean)
    if action is not None:
        if action.full_name == documented:
            return Permission(documented, documented, None)
        reasons = []
        if blank:
            reasons.append("stray blank in the documentation")
        if action.full_name != clean:
            reasons.append(f"the catalog spells it {action.full_name}")
        return Permission(documented, action.full_name, "; ".join(reasons))
    entry = RETIRED_ACTIONS.get(clean.lower())
    if entry is not None:
        return Permission(documented, entry.replacement, f"{entry.kind}: {entry.note}")
    return Permission(documented, None, "not in the catalog, and no known replacement")


def build_data(markdown: str, catalog: "Catalog", source: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON form of the console pages extracted from `markdown`."""
    return pages_to_data(resolve(parse_permissions_markdown(markdown), catalog), source)
