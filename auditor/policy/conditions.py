"""IAM condition operators and condition values: what an operator is, which key types it
compares, how it behaves when its key is missing, and whether a value is well formed.

Shared by the condition rules (CA106 unsupported-condition-key, CA107
condition-operator-mismatch) and by anything else that reasons about a `Condition` block.
"""

from __future__ import annotations

import ipaddress
import re
import weakref
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from auditor.catalog import key_matches
from auditor.policy.model import Statement
from auditor.policy.suggest import closest

if TYPE_CHECKING:
    from auditor.catalog import Catalog

# Base operator -> (category, negated). The category names the key type it compares.
BASE_OPERATORS: dict[str, tuple[str, bool]] = {
    "StringEquals": ("String", False),
    "StringNotEquals": ("String", True),
    "StringEqualsIgnoreCase": ("String", False),
    "StringNotEqualsIgnoreCase": ("String", True),
    "StringLike": ("String", False),
    "StringNotLike": ("String", True),
    "NumericEquals": ("Numeric", False),
    "NumericNotEquals": ("Numeric", True),
    "NumericLessThan": ("Numeric", False),
    "NumericLessThanEquals": ("Numeric", False),
    "NumericGreaterThan": ("Numeric", False),
    "NumericGreaterThanEquals": ("Numeric", False),
    "DateEquals": ("Date", False),
    "DateNotEquals": ("Date", True),
    "DateLessThan": ("Date", False),
    "DateLessThanEquals": ("Date", False),
    "DateGreaterThan": ("Date", False),
    "DateGreaterThanEquals": ("Date", False),
    "Bool": ("Bool", False),
    "BinaryEquals": ("Binary", False),
    "IpAddress": ("IPAddress", False),
    "NotIpAddress": ("IPAddress", True),
    "ArnEquals": ("ARN", False),
    "ArnLike": ("ARN", False),
    "ArnNotEquals": ("ARN", True),
    "ArnNotLike": ("ARN", True),
    "Null": ("Null", False),
}
SET_PREFIXES = ("ForAnyValue", "ForAllValues")

# Which operator categories can compare a key of each base type. ARN keys also take the String
# operators (AWS documents StringLike on ARN keys); aws:EpochTime is compared as a number too.
COMPATIBLE: dict[str, frozenset[str]] = {
    "String": frozenset({"String"}),
    "ARN": frozenset({"ARN", "String"}),
    "Numeric": frozenset({"Numeric"}),
    "Date": frozenset({"Date"}),
    "Bool": frozenset({"Bool"}),
    "IPAddress": frozenset({"IPAddress"}),
    "Binary": frozenset({"Binary"}),
}
KEY_EXTRA_CATEGORIES: dict[str, frozenset[str]] = {"aws:epochtime": frozenset({"Numeric"})}


@dataclass(frozen=True)
class Operator:
    """A parsed condition operator such as `ForAnyValue:StringLikeIfExists`."""

    text: str
    base: str
    category: str  # String | Numeric | Date | Bool | Binary | IPAddress | ARN | Null
    negated: bool
    set_prefix: str | None = None  # ForAnyValue | ForAllValues
    if_exists: bool = False

    def when_key_absent(self) -> bool | None:
        """The condition's value when its key is not in the request context, or None when it
        depends on the values (`Null`). IAM: a missing key does not match, so a positive operator
        is false and a negated one true; `...IfExists` and ForAllValues are true."""
        if self.category == "Null":
            return None
        if self.if_exists or self.set_prefix == "ForAllValues":
            return True
        return self.negated


def parse_operator(text: str) -> Operator | None:
    """The operator an element name of a Condition block is, or None when IAM has no such
    operator. Operator names are case-sensitive, as IAM treats them."""
    if not isinstance(text, str):
        return None
    prefix: str | None = None
    rest = text
    head, sep, tail = text.partition(":")
    if sep:
        if head not in SET_PREFIXES:
            return None
        prefix, rest = head, tail
    if_exists = False
    if rest.endswith("IfExists") and rest != "IfExists":
        rest, if_exists = rest[: -len("IfExists")], True
    info = BASE_OPERATORS.get(rest)
    # "...IfExists" may end any operator but Null.
    if info is None or (rest == "Null" and if_exists):
        return None
    return Operator(text, rest, info[0], info[1], prefix, if_exists)


def all_operator_names() -> list[str]:
    names = []
    for base in BASE_OPERATORS:
        forms = [base] if base == "Null" else [base, base + "IfExists"]
        names.extend(forms)
        if base != "Null":
            names.extend(f"{p}:{f}" for p in SET_PREFIXES for f in forms)
    return names


def closest_operator(text: str) -> str | None:
    """The operator a misspelt one most likely stands for (`StringEqual` -> `StringEquals`,
    `stringequals` -> `StringEquals`, `ForAnyValues:StringLike` -> `ForAnyValue:StringLike`)."""
    names = all_operator_names()
    lower = {n.lower(): n for n in names}
    low = text.strip().lower()
    if low in lower:
        return lower[low]
    if low.endswith("ifexists") and low[: -len("ifexists")] in lower:
        return lower[low[: -len("ifexists")]]  # NullIfExists: Null takes no IfExists
    return next(iter(closest(low, names, cutoff=0.75)), None)


def operator_negated(text: str) -> bool:
    """Whether a condition operator is negated (`StringNotEquals`, `NotIpAddress`,
    `ForAllValues:ArnNotLike`...): the statement applies where the values do NOT match. An
    operator IAM does not have (CA107 reports it) counts as negated when its name says "Not"."""
    op = parse_operator(text)
    return op.negated if op is not None else "not" in str(text).lower()


def condition_block_unresolved(st: Statement) -> bool:
    """Whether the statement's Condition is (partly) a template value that is not known before
    deployment: the block itself, or an operator's keys. It may then limit anything."""
    block = st.data.get("Condition")
    return isinstance(block, str) or (isinstance(block, dict) and any(not isinstance(v, dict) for v in block.values()))


_CATEGORY_PREFIX = {"String": "String", "ARN": "Arn", "Numeric": "Numeric", "Date": "Date"}
_DEFAULT_FOR_TYPE: dict[str, tuple[str, str]] = {
    "String": ("StringEquals", "StringNotEquals"),
    "ARN": ("ArnLike", "ArnNotLike"),
    "Numeric": ("NumericEquals", "NumericNotEquals"),
    "Date": ("DateEquals", "DateNotEquals"),
    "Bool": ("Bool", "Bool"),
    "IPAddress": ("IpAddress", "NotIpAddress"),
    "Binary": ("BinaryEquals", "BinaryEquals"),
}


def operator_for_type(op: Operator, key_type: str) -> str | None:
    """The operator that makes the same comparison as `op` for a key of `key_type`
    (`NumericLessThan` -> `DateLessThan` for a Date key), keeping its set prefix and IfExists."""
    base, _ = key_base_type(key_type)
    src = _CATEGORY_PREFIX.get(op.category)
    dst = _CATEGORY_PREFIX.get(base)
    name = None
    if src and dst and op.base.startswith(src):
        candidate = dst + op.base[len(src):]
        if candidate in BASE_OPERATORS:
            name = candidate
    if name is None and base in _DEFAULT_FOR_TYPE:
        name = _DEFAULT_FOR_TYPE[base][1 if op.negated else 0]
    if name is None:
        return None
    return (f"{op.set_prefix}:" if op.set_prefix else "") + name + ("IfExists" if op.if_exists else "")


def key_base_type(key_type: str) -> tuple[str, bool]:
    """(`String`, True) for `ArrayOfString`: a catalog key type's element type and whether the
    key is multivalued."""
    if key_type.startswith("ArrayOf"):
        return key_type[len("ArrayOf"):], True
    return key_type, False


def operator_fits_key(op: Operator, key: str, key_type: str) -> bool:
    """Whether `op` compares values of a key of this catalog type (Null fits every key)."""
    if op.category == "Null":
        return True
    base, _ = key_base_type(key_type)
    allowed = COMPATIBLE.get(base)
    if allowed is None:  # a type this table does not know: do not guess
        return True
    return op.category in allowed or op.category in KEY_EXTRA_CATEGORIES.get(key.lower(), frozenset())


# --- values -----------------------------------------------------------------------------------
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_ISO_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?"
)
_EPOCH = re.compile(r"\d{1,13}")


def _valid_iso_date(text: str) -> bool:
    if not _ISO_DATE.fullmatch(text):
        return False
    try:
        date(int(text[0:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        return False
    return True


def value_items(value: Any) -> list[tuple[Any, tuple[int, ...]]]:
    """The values of one condition key, each with its index path (a list has one per item)."""
    if isinstance(value, list):
        return [(v, (i,)) for i, v in enumerate(value)]
    return [(value, ())]


def value_problem(category: str, value: Any) -> str | None:
    """Why a literal value cannot be compared by an operator of this category (None when it
    can). Strings holding policy variables or template holes are for the caller to skip."""
    if category == "Bool" or category == "Null":
        if isinstance(value, bool) or (isinstance(value, str) and value.strip().lower() in ("true", "false")):
            return None
        return 'is not "true" or "false"'
    if category == "Numeric":
        if isinstance(value, bool):
            return "is not a number"
        if isinstance(value, (int, float)) or (isinstance(value, str) and _NUMBER.fullmatch(value.strip())):
            return None
        return "is not a number"
    if category == "Date":
        if isinstance(value, bool):
            return "is not a date"
        if isinstance(value, int):
            return None
        if isinstance(value, str) and (_valid_iso_date(value.strip()) or _EPOCH.fullmatch(value.strip())):
            return None
        return "is not an ISO 8601 date or an epoch time"
    if category == "IPAddress":
        if isinstance(value, str):
            try:
                ipaddress.ip_network(value.strip(), strict=False)
                return None
            except ValueError:
                pass
        return "is not an IP address or CIDR range"
    return None


# Keys a service defines that AWS puts in the request context of other services' actions too
# ("cross-service" global keys, IAM User Guide), so every action supports them; with their types.
CROSS_SERVICE_KEYS: dict[str, str] = {
    "ec2:RoleDelivery": "Numeric",
    "ec2:SourceInstanceArn": "ARN",
    "glue:RoleAssumedBy": "String",
    "glue:CredentialIssuingService": "String",
    "lambda:SourceFunctionArn": "ARN",
    "ssm:SourceInstanceArn": "ARN",
    "identitystore:UserId": "String",
}
_CROSS_SERVICE_LOWER = {k.lower(): t for k, t in CROSS_SERVICE_KEYS.items()}


def cross_service_key_type(key: str) -> str | None:
    return _CROSS_SERVICE_LOWER.get(key.lower())


_FOREIGN: "weakref.WeakKeyDictionary[Catalog, dict[str, str]]" = weakref.WeakKeyDictionary()


def condition_key_type(catalog: "Catalog", key: str) -> str | None:
    """The type of a condition key wherever the catalog defines it: a global key, a key of its
    own service, a cross-service key, or a key a service lists under another prefix
    (`saml:aud` in sts, `cognito-identity-auth:AccountId`); None when it exists nowhere. Every
    rule that asks for a key's type asks here."""
    typ = catalog.condition_key_type(key) or cross_service_key_type(key)
    if typ:
        return typ
    for name, t in _foreign_keys(catalog).items():
        if key_matches(name, key):
            return t
    return None


def _foreign_keys(catalog: "Catalog") -> dict[str, str]:
    # Reading every service is slow-ish, so it happens once, and only for a key not found above.
    found = _FOREIGN.get(catalog)
    if found is None:
        found = {}
        for prefix in catalog.service_prefixes():
            svc = catalog.service(prefix)
            for name, t in (svc.conditions.items() if svc else ()):
                if name.partition(":")[0].lower() != prefix.lower():
                    found.setdefault(name, t)
        _FOREIGN[catalog] = found
    return found
