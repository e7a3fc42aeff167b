"""ARNs as written in policies: their parts, what the catalog says of their services, and
example ARNs for suggestions.

`arn_fields` is the one ARN splitter: it splits on colons without breaking a policy variable
(`${aws:username}`) or an unresolved template value apart; `split_arn` names the six parts.
`arn_service_shape` says, from the catalog's ARN formats alone, whether an ARN service exists,
is regional, and can do without an account. `example_arn` fills a catalog ARN format for a
suggestion, from what the policy already says.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from auditor.catalog.patterns import format_to_example
from auditor.policy.model import Statement
from auditor.memo import BoundedMemo
from auditor.policy.values import Hole, Text, has_holes, value_key

if TYPE_CHECKING:
    from auditor.catalog import Catalog

# The AWS partitions (the second part of every ARN).
PARTITIONS: tuple[str, ...] = (
    "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc",
)

# Regions, for suggestions only: validity is the pattern below, so a new region is never wrong.
KNOWN_REGIONS: tuple[str, ...] = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-east-2",
    "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
    "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
    "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
    "eu-south-1", "eu-south-2", "eu-north-1", "il-central-1", "me-south-1", "me-central-1",
    "mx-central-1", "sa-east-1", "cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1",
    "us-iso-east-1", "us-iso-west-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1",
    "us-isof-east-1", "eusc-de-east-1",
)
REGION_PATTERN = re.compile(r"[a-z]{2,4}(-[a-z]+){1,3}-\d{1,2}")

# Stands for an unresolved template part inside an ARN field (see `arn_fields`).
UNKNOWN = "\x00"


@dataclass(frozen=True)
class ArnFields:
    """The colon-separated fields of an ARN as written.

    Policy variables (`${aws:username}`) stay whole inside their field; a template hole is
    replaced by its pattern, or by `UNKNOWN` when it has none. `count_known` is False when
    such a hole could itself hold colons, so the number of fields is not known.
    """

    fields: tuple[str, ...]
    count_known: bool

    def get(self, i: int) -> str | None:
        return self.fields[i] if i < len(self.fields) else None


def arn_fields(value: str, hole_patterns: bool = True) -> ArnFields:
    """Split an ARN on its colons (at most six fields), keeping `${...}` whole. Without
    `hole_patterns`, every template hole is `UNKNOWN`, its pattern unused."""
    # Several rules split the same ARNs, and trees repeat them.
    return _FIELDS.get((value_key(value), hole_patterns), lambda: _arn_fields(value, hole_patterns))


_FIELDS: BoundedMemo[tuple[object, bool], ArnFields] = BoundedMemo(100_000)


def _arn_fields(value: str, hole_patterns: bool) -> ArnFields:
    count_known = True
    if isinstance(value, Text):
        pieces: list[str] = []
        for part in value.parts:
            if isinstance(part, Hole):
                known = part.pattern if hole_patterns else None
                if known is None:
                    count_known = False
                pieces.append(known if known is not None else UNKNOWN)
            else:
                pieces.append(part)
        text = "".join(pieces)
    else:
        text = str(value)
    if "${" not in text:
        return ArnFields(tuple(text.split(":", 5)), count_known)
    fields: list[str] = []
    cur: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "$" and i + 1 < n and text[i + 1] == "{":
            end = text.find("}", i)
            if end >= 0:
                cur.append(text[i : end + 1])
                i = end + 1
                continue
        if c == ":" and len(fields) < 5:
            fields.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    fields.append("".join(cur))
    return ArnFields(tuple(fields), count_known)


@dataclass(frozen=True)
class Arn:
    """The six parts of an ARN as written (template holes shown as `${expr}`)."""

    text: str
    partition: str
    service: str
    region: str
    account: str
    resource: str


def split_arn(value: str) -> Arn | None:
    """The six parts of `arn:partition:service:region:account:resource`, or None if the value
    does not have them. Policy variables and template holes stay whole inside their part."""
    if not str(value).startswith("arn:") and not _starts_with_hole(value):
        return None
    fields = arn_fields(str(value)).fields
    if len(fields) < 6:
        return None
    return Arn(value, *fields[1:])


def _starts_with_hole(value: str) -> bool:
    return isinstance(value, Text) and bool(value.parts) and isinstance(value.parts[0], Hole)


def first_wildcard_in_resource(value: str) -> int | None:
    """Where the first `*` or `?` of an ARN's resource part is, counting a policy variable
    (`${aws:username}`) as one character; None when the value is no ARN, has no wildcard there,
    or a template hole comes first (then nothing is known of what follows)."""
    fields = arn_fields(value, hole_patterns=False)
    if fields.get(0) != "arn" or len(fields.fields) < 6:
        return None
    resource = fields.fields[5]
    i = position = 0
    while i < len(resource):
        c = resource[i]
        if c == UNKNOWN:
            return None
        if c in "*?":
            return position
        if resource.startswith("${", i) and "}" in resource[i:]:
            i = resource.index("}", i)
        i += 1
        position += 1
    return None


def field_is_unknown(field_text: str) -> bool:
    """A field that is (partly) an unresolved template value or a policy variable: anything."""
    return UNKNOWN in field_text or "${" in field_text


def is_region(text: str) -> bool:
    return REGION_PATTERN.fullmatch(text) is not None


def with_field(value: str, index: int, new: str) -> str:
    """The ARN with field `index` replaced (for suggestions); holes are shown as `${expr}`."""
    parts = arn_fields(str(value)).fields
    out = list(parts)
    if index < len(out):
        out[index] = new
    return ":".join(out)


@dataclass(frozen=True)
class ArnServiceShape:
    """What the catalog's ARN formats say about one ARN service (the third field).

    `regional`: every format has a region; `global_`: none has; `account_optional`: some format
    has an empty account (S3 buckets, EC2 public images); `prefixes`: the IAM prefixes whose
    resource types use this ARN service (they differ, e.g. `catalog` is `servicecatalog`'s).
    """

    regional: bool
    global_: bool
    account_optional: bool
    prefixes: tuple[str, ...]


def _shape(formats: list[tuple[str, str]]) -> ArnServiceShape:
    regions = [f.split(":", 5)[3] for _, f in formats]
    accounts = [f.split(":", 5)[4] for _, f in formats]
    return ArnServiceShape(
        regional=all(regions),
        global_=not any(regions),
        account_optional=any(a == "" for a in accounts),
        prefixes=tuple(dict.fromkeys(p for p, _ in formats)),
    )


def _formats_by_arn_service(catalog: "Catalog", prefixes: list[str]) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for p in prefixes:
        svc = catalog.service(p)
        if svc is None:
            continue
        for rt in svc.resources.values():
            parts = rt.arn_format.split(":", 5)
            # Formats with a variable service (`${Vendor}`) say nothing about names.
            if len(parts) == 6 and parts[2] and "${" not in parts[2]:
                out.setdefault(parts[2], []).append((p, rt.arn_format))
    return out


_ALL_SHAPES: "weakref.WeakKeyDictionary[Catalog, dict[str, ArnServiceShape]]" = weakref.WeakKeyDictionary()
# Per catalog, the shape of an ARN service that is a prefix, from that prefix's formats only.
_OWN_SHAPES: "weakref.WeakKeyDictionary[Catalog, dict[str, ArnServiceShape | None]]" = weakref.WeakKeyDictionary()


def arn_service_shapes(catalog: "Catalog") -> dict[str, ArnServiceShape]:
    """Every ARN service named by some resource type's ARN format, with its shape. Reads every
    service file (about a quarter of a second), so it is computed once per catalog and only
    asked for when an ARN's service is not itself a service prefix."""
    shapes = _ALL_SHAPES.get(catalog)
    if shapes is None:
        by = _formats_by_arn_service(catalog, catalog.service_prefixes())
        shapes = {s: _shape(f) for s, f in by.items()}
        _ALL_SHAPES[catalog] = shapes
    return shapes


def arn_service_shape(catalog: "Catalog", arn_service: str) -> ArnServiceShape | None:
    """The shape of an ARN service, or None when no ARN format names it.

    When the ARN service is a service prefix, only that service's formats are read (the fast,
    common case); otherwise every service is searched.
    """
    if catalog.has_service(arn_service):
        cache = _OWN_SHAPES.setdefault(catalog, {})
        if arn_service not in cache:
            own = _formats_by_arn_service(catalog, [arn_service.lower()]).get(arn_service)
            cache[arn_service] = _shape(own) if own else None
        if cache[arn_service] is not None:
            return cache[arn_service]
        # A prefix whose formats are all under another ARN service (or has none).
    return arn_service_shapes(catalog).get(arn_service)


def is_arn_service(catalog: "Catalog", arn_service: str) -> bool:
    """Whether an ARN's third field names a service: an ARN service of some resource type, or a
    service prefix (a few services have ARNs but no resource types in the catalog). ARNs are
    case-sensitive, so `Connect` is no service."""
    if arn_service == arn_service.lower() and catalog.has_service(arn_service):
        return True
    return arn_service in arn_service_shapes(catalog)


def arn_services_of_prefix(catalog: "Catalog", prefix: str) -> list[str]:
    """The ARN services a prefix's resource types use (`servicecatalog` -> `catalog`, `servicecatalog`)."""
    return list(_formats_by_arn_service(catalog, [prefix.lower()]))


# --- example ARNs for suggestions ----------------------------------------------------------------
_FORMAT_VAR = re.compile(r"\$\{([^}]*)\}")
_PATH_WORD = re.compile(r"([A-Za-z0-9_.\-]+)[/:]$")


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


def known_from_arn(written: str, arn_format: str) -> dict[str, str]:
    """What a written ARN says of a catalog format's variables: the partition always; the region
    and account when it is of the format's service; an id when it follows the same path word
    (`instance/<id>`)."""
    known: dict[str, str] = {}
    arn = split_arn(written)
    fmt_parts = arn_format.split(":", 5)
    if arn is None or len(fmt_parts) != 6:
        return known
    if arn.partition:
        known["Partition"] = arn.partition
    if arn.service.lower() == fmt_parts[2].lower():
        if arn.region:
            known["Region"] = arn.region
        if arn.account:
            known["Account"] = arn.account
        segments = re.split(r"[/:]", arn.resource)
        resource_format = fmt_parts[5]
        for m in _FORMAT_VAR.finditer(resource_format):
            word = _PATH_WORD.search(resource_format[: m.start()])
            if word is None or word.group(1) not in segments:
                continue
            i = segments.index(word.group(1))
            if i + 1 < len(segments) and segments[i + 1]:
                known[m.group(1)] = segments[i + 1]
    return known


def arn_context(statements: Iterable[Statement]) -> dict[str, dict[str, str]]:
    """Per ARN service, the partition, region and account (and Connect instance id) that the
    policy's own literal ARNs (Resource, NotResource) use, to fill suggested ARNs with the
    user's real values."""
    out: dict[str, dict[str, str]] = {}
    values = (v for st in statements for element in ("Resource", "NotResource") for v, _ in st.strings(element))
    for value in values:
        arn = None if has_holes(value) else split_arn(value)
        if arn is None:
            continue
        known = out.setdefault(arn.service.lower(), {})
        for var, part in (("Partition", arn.partition), ("Region", arn.region), ("Account", arn.account)):
            if part and not any(c in part for c in "*?$"):
                known.setdefault(var, part)
        m = re.match(r"instance/([^/*?$]+)(/|$)", arn.resource)
        if m:
            known.setdefault("InstanceId", m.group(1))
    return out


def example_arn(arn_format: str, known: dict[str, str] | None = None, *, written: str | None = None,
                placeholders: bool = True) -> str:
    """A catalog ARN format (`...:instance/${InstanceId}/agent/${UserId}`) made concrete for a
    suggestion.

    Variables are filled from `known` and, when `written` (an ARN as the policy has it) is
    given, from what it already says (`known_from_arn`). What stays unknown is, with
    `placeholders`, `aws`, `<region>`, `<account-id>` and a `<placeholder>` for the first id of
    the resource part (`*` for later ids); without, `*` everywhere. A written value that starts
    with a template hole standing for the format's leading part keeps the hole:
    `${aws_connect_instance.main.arn}/user/*` -> `${aws_connect_instance.main.arn}/agent/*`.
    """
    known = dict(known or {})
    if written is not None:
        if _starts_with_hole(written):
            hole = written.parts[0]  # type: ignore[attr-defined]
            if hole.pattern:
                for m in _FORMAT_VAR.finditer(arn_format):
                    if format_to_example(arn_format[: m.end()]) == hole.pattern:
                        return "${" + hole.expr + "}" + format_to_example(arn_format[m.end():])
        else:
            for var, value in known_from_arn(written, arn_format).items():
                known.setdefault(var, value)
    if not placeholders:
        return format_to_example(arn_format, **known)
    known.setdefault("Partition", "aws")
    known.setdefault("Region", "<region>")
    known.setdefault("Account", "<account-id>")
    parts = arn_format.split(":", 5)
    if len(parts) < 6:
        return _FORMAT_VAR.sub(lambda m: known.get(m.group(1), "*"), arn_format)
    head = _FORMAT_VAR.sub(lambda m: known.get(m.group(1), "*"), ":".join(parts[:5]))
    first = True

    def fill(m: re.Match[str]) -> str:
        nonlocal first
        var = m.group(1)
        if var in known:
            first = False
            return known[var]
        if first:
            first = False
            return f"<{_kebab(var)}>"
        return "*"

    return head + ":" + _FORMAT_VAR.sub(fill, parts[5])
