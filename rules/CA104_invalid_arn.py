"""CA104: an ARN that is malformed or names no partition, service, region or account."""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from auditor.catalog import Catalog
from auditor.policy.arn import (
    KNOWN_REGIONS,
    PARTITIONS,
    ArnServiceShape,
    arn_fields,
    arn_service_shape,
    arn_service_shapes,
    arn_services_of_prefix,
    field_is_unknown,
    is_arn_service,
    is_region,
    with_field,
)
from auditor.policy.conditions import condition_key_type, value_items
from auditor.policy.model import Path, Policy, Statement
from auditor.policy.staleness import catalog_age
from auditor.policy.suggest import SERVICE_ALIASES, closest, connect_family
from auditor.policy.values import glob_regex, is_wholly_unresolved
from auditor.rule import Finding, Rule

_WILD = re.compile(r"[*?]")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Account fields that are a documentation placeholder rather than a mistyped id.
_PLACEHOLDER = re.compile(r"acc(?:oun)?t|acct|your|owner|example|sample|number|[<>{}_]|^x+$|id$|^id", re.I)
# AWS's documentation example accounts: valid ids, reported only with `flag_example_accounts`.
# The account field of resources AWS owns (`arn:aws:iam::aws:policy/...`); AWS managed policies
# also name `partner` (AWS Marketplace permissions boundaries).
AWS_OWNED_ACCOUNTS = frozenset({"aws", "partner"})
EXAMPLE_ACCOUNTS = frozenset({"123456789012", "111122223333", "444455556666", "777788889999"})
_ARN_TYPES = ("ARN", "ArrayOfARN")


class InvalidArn(Rule):
    """Reports an ARN that IAM cannot match: malformed, or naming no real partition, service,
    region or account.

    ## What it does
    Checks each ARN in `Resource` and `NotResource`, in the values of ARN-typed condition keys
    (`aws:SourceArn`, `aws:PrincipalArn`, ...) and in `Principal`/`NotPrincipal` `AWS` entries:

    - six colon-separated parts (`arn:partition:service:region:account:resource`); a part
      ending in `*` may stand for the parts after it, as IAM allows;
    - a known partition (`aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`,
      `aws-iso-f`, `aws-eusc`);
    - a service that some resource type's ARN format in the catalog uses. ARN service names
      are not always IAM prefixes (Service Catalog's is `catalog`), so they are read from the
      catalog's ARN formats; the suggestion knows the names people confuse
      (`appintegrations` -> `app-integrations`, `customer-profiles` -> `profile`). IAM does not
      allow a wildcard in the service part;
    - a region where every ARN of the service has one (unless the account is empty too, as in
      the ARNs of AWS-owned resources), none where no ARN has one (IAM), and a region that
      looks like one (`us-east-1`; `us-east1` gets a fix);
    - an account of 12 digits, `*` or a glob of digits, `aws` or `partner` (AWS-owned
      resources), or empty; a documentation placeholder (`accountID`, `YOUR_ACCOUNT_ID`,
      `<account-id>`, `xxxxxxxxxxxx`) is named as such. An empty account is reported only for
      the Amazon Connect services: AWS-owned resources of other services (SSM documents, KMS)
      have ARNs without one although the catalog's formats name one;
    - an Amazon Connect instance id that is a UUID (`instance/instanceId` is not);
    - a resource part that is not empty.

    Policy variables (`${aws:username}`) and values a template could not resolve count as
    anything. An ARN service that resembles no service may be newer than the catalog: when
    the catalog is older than `stale_after_days` (option, default 90) that is a warning.

    AWS's documentation example account `123456789012` is a valid id and is not reported: it
    cannot be told from a real account, and the examples this tool ships use it. Set the
    option `flag_example_accounts` to have it (and 111122223333, 444455556666, 777788889999)
    reported as a note.

    ## Why it matters
    IAM matches ARNs as text. An ARN with a misspelt service, a placeholder account or a
    missing region matches no resource, so an `Allow` grants nothing and a `Deny` protects
    nothing, and neither IAM nor Terraform says so. Amazon Connect's own policy examples carry
    `arn:aws:appintegrations:...` and `accountID`.

    ## Example
    ```json
    { "Effect": "Allow", "Action": "app-integrations:GetEventIntegration",
      "Resource": "arn:aws:appintegrations:us-west-2:accountID:event-integration/Name" }
    ```

    ## Fix
    Use the ARN the suggestion gives (`arn:aws:app-integrations:...`) with your 12-digit
    account id.
    """

    id = "CA104"
    name = "invalid-arn"
    short_description = "An ARN is malformed or names no real partition, service, region or account"
    level = "error"
    kinds = None

    def check(self, policy: Policy, catalog: Catalog) -> Iterable[Finding]:
        for st in policy.statements():
            for value, path, strict in _arn_values(st, catalog):
                yield from self._check_arn(policy, path, value, catalog, strict)

    # --- one ARN ---------------------------------------------------------------------------
    def _check_arn(self, policy: Policy, path: Path, value: str, catalog: Catalog,
                   strict: bool) -> Iterator[Finding]:
        """`strict`: the value must be an ARN (a Resource); else only values that start like one."""
        if is_wholly_unresolved(value) or str(value) == "*":
            return
        text = str(value)
        if text != text.strip():
            if not strict and not text.strip().startswith("arn:"):
                return
            yield self.finding(policy, path, f'"{text}" has whitespace around it, so IAM matches no resource with it.',
                               suggestion=f'write "{text.strip()}"')
            return
        parsed = arn_fields(value)
        fields = parsed.fields
        if field_is_unknown(fields[0]):
            return
        if fields[0] != "arn" or len(fields) == 1:
            if fields[0].lower() == "arn" and len(fields) > 1:
                yield self.finding(policy, path, f"`{text}` starts with `{fields[0]}:`; ARNs start with lower-case `arn:`.",
                                   suggestion=f"write `arn{text[len(fields[0]):]}`")
            elif strict and not text.startswith("execute-api:"):  # API Gateway's short form in its own policies
                yield self.finding(policy, path, f"`{text}` is neither `*` nor an ARN (arn:partition:service:region:account:resource).",
                                   suggestion="write the resource's full ARN, or `*`")
            return
        # How many fields are positional: a field ending in `*` may swallow the colons after it.
        usable = len(fields)
        if parsed.count_known and len(fields) < 6:
            star = next((i for i, f in enumerate(fields) if f.endswith("*")), None)
            # `*` may stand for the parts after it, but `instance/*` where the account or region
            # belongs is a resource path with parts missing before it.
            if star is None or "/" in fields[star]:
                yield self._short(policy, path, text, fields)
                return
            usable = star + 1
        get = (lambda i: fields[i] if i < usable else None)
        if get(1) is not None:
            yield from self._partition(policy, path, value, get(1))
        service_findings, service_ok, shape = self._service(policy, path, value, get(2), catalog)
        yield from service_findings
        if get(3) is not None:
            yield from self._region(policy, path, value, get(3), get(2), shape, get(4))
        if get(4) is not None:
            yield from self._account(policy, path, value, get(4), get(2), shape)
        if get(5) is not None and not any(f.endswith("*") for f in fields[:5]):
            yield from self._resource(policy, path, value, get(5), get(2) if service_ok else None)

    def _short(self, policy: Policy, path: Path, text: str, fields: tuple[str, ...]) -> Finding:
        suggestion = "write all six parts, leaving the region or account empty only where the service has none"
        # The usual slip: the region left out, the account in its place.
        if len(fields) == 5 and re.fullmatch(r"\d{12}", fields[3]):
            suggestion = f"add the region: `{':'.join(fields[:3] + ('*',) + fields[3:])}`"
        return self.finding(policy, path, f"`{text}` has {len(fields)} of the six colon-separated parts of an ARN "
                            "(arn:partition:service:region:account:resource).", suggestion=suggestion)

    def _partition(self, policy: Policy, path: Path, value: str, part: str) -> Iterator[Finding]:
        if field_is_unknown(part) or part in PARTITIONS:
            return
        if _WILD.search(part) and any(glob_regex(part).fullmatch(p) for p in PARTITIONS):
            return
        best = part.lower() if part.lower() in PARTITIONS else next(iter(closest(part, PARTITIONS, cutoff=0.5)), None)
        yield self.finding(policy, path, f"`{part}` in `{value}` is not an AWS partition ({', '.join(PARTITIONS)}).",
                           suggestion=f"use `{with_field(value, 1, best)}`" if best else None)

    def _service(self, policy: Policy, path: Path, value: str, part: str | None,
                 catalog: Catalog) -> tuple[list[Finding], bool, ArnServiceShape | None]:
        """Findings for the service part, whether it names a service, and that service's shape."""
        if part is None or field_is_unknown(part):
            return [], False, None
        if part == "":
            return [self.finding(policy, path, f"`{value}` has no service part.")], False, None
        if _WILD.search(part):
            return [self.finding(
                policy, path, f"`{value}` has a wildcard in its service part (`{part}`), which IAM does not allow.",
                suggestion="name the service, or use `*` for the whole resource")], False, None
        if is_arn_service(catalog, part):
            return [], True, arn_service_shape(catalog, part)
        best = _suggest_arn_service(part, catalog)
        age = catalog_age(catalog, part, self.options)
        if best is None and age.stale:
            # A service newer than the catalog looks exactly like this: do not cry wolf.
            hint = age.refresh
            return [self.finding(
                policy, path, f"`{part}` in `{value}` names no service in {age.too_old}, so it may be a newer "
                f"service; `{hint}` refreshes the catalog.",
                suggestion=f"run `{hint}`; if `{part}` is still unknown, check the service's ARN format",
                level="warning")], False, None
        return [self.finding(policy, path, f"`{part}` in `{value}` is not the name of an AWS service in ARNs.",
                             suggestion=f"use `{with_field(value, 2, best)}`" if best else None)], False, None

    def _region(self, policy: Policy, path: Path, value: str, part: str, service: str | None,
                shape: ArnServiceShape | None, account: str | None) -> Iterator[Finding]:
        if field_is_unknown(part) or _WILD.search(part):
            return
        if part == "":
            # AWS-owned resources (ACM PCA templates, ...) have neither region nor account
            # although the catalog's formats have both; Connect's never do.
            aws_owned = account == "" and service not in connect_family()
            if shape is not None and shape.regional and not aws_owned:
                yield self.finding(policy, path, f"`{value}` has no region, but every `{service}` ARN has one, so it matches nothing.",
                                   suggestion=f"name the region, or `*` for any: `{with_field(value, 3, '*')}`")
            return
        if not is_region(part):
            best = part.lower() if is_region(part.lower()) else next(iter(closest(part, KNOWN_REGIONS, cutoff=0.75)), None)
            yield self.finding(policy, path, f"`{part}` in `{value}` is not an AWS region.",
                               suggestion=f"use `{with_field(value, 3, best)}`" if best else "use a region such as `us-east-1`, or `*`")
            return
        if shape is not None and shape.global_:
            yield self.finding(policy, path, f"`{value}` names region `{part}`, but `{service}` ARNs have no region, so it matches nothing.",
                               suggestion=f"leave the region empty: `{with_field(value, 3, '')}`")

    def _account(self, policy: Policy, path: Path, value: str, part: str, service: str | None,
                 shape: ArnServiceShape | None) -> Iterator[Finding]:
        if field_is_unknown(part) or part in AWS_OWNED_ACCOUNTS or re.fullmatch(r"\d{12}", part):
            if part in EXAMPLE_ACCOUNTS and self.options.get("flag_example_accounts"):
                yield self.finding(policy, path, f"`{part}` in `{value}` is AWS's documentation example account.",
                                   suggestion="use the id of the account that owns the resource", level="note")
            return
        if part == "":
            # AWS-owned resources (SSM documents, KMS, Resource Explorer views) have no account
            # although the catalog's formats do; only Connect's family is known never to.
            if shape is not None and not shape.account_optional and service in connect_family():
                yield self.finding(policy, path, f"`{value}` has no account, but every `{service}` ARN names one, so it matches nothing.",
                                   suggestion=f"name the account, or `*` for any: `{with_field(value, 4, '*')}`")
            return
        if _WILD.search(part) and re.fullmatch(r"[\d*?]+", part):
            return
        digits = re.sub(r"[\s\-]", "", part)
        if digits.isdigit() and digits != part and len(digits) == 12:
            yield self.finding(policy, path, f"The account `{part}` in `{value}` has separators; ARNs carry the 12 digits alone.",
                               suggestion=f"use `{with_field(value, 4, digits)}`")
        elif part.isdigit():
            fix = None
            if len(part) < 12:
                fix = f"if leading zeros were lost (a number in YAML or HCL), use `{with_field(value, 4, part.zfill(12))}`"
            yield self.finding(policy, path, f"The account `{part}` in `{value}` has {len(part)} digits; account ids have 12.",
                               suggestion=fix)
        elif _PLACEHOLDER.search(part):
            yield self.finding(policy, path, f"The account `{part}` in `{value}` is a documentation placeholder, not an account id.",
                               suggestion=f"replace `{part}` with the 12-digit id of the account that owns the resource, or `*` for any")
        else:
            yield self.finding(policy, path, f"The account `{part}` in `{value}` is not a 12-digit account id.",
                               suggestion="use the 12-digit id of the account that owns the resource, or `*` for any")

    def _resource(self, policy: Policy, path: Path, value: str, part: str, service: str | None) -> Iterator[Finding]:
        if part == "":
            yield self.finding(policy, path, f"`{value}` has an empty resource part, so it matches nothing.",
                               suggestion="name the resource after the last colon, or end with `*`")
            return
        if service != "connect":
            return
        m = re.match(r"instance/([^/]*)", part)
        if m is None:
            return
        ident = m.group(1)
        if not ident or field_is_unknown(ident) or _WILD.search(ident) or _UUID.fullmatch(ident):
            return
        yield self.finding(policy, path, f"`{ident}` in `{value}` is not an Amazon Connect instance id, which is a UUID.",
                           suggestion="use the instance id (the UUID at the end of the instance ARN, "
                           "e.g. `00fbeee1-123e-111e-93e3-11111bfbfcc1`), or `*`")


def _arn_values(st: Statement, catalog: Catalog) -> Iterator[tuple[str, Path, bool]]:
    """(value, path, must be an ARN) for every place of a statement that holds ARNs."""
    for element in ("Resource", "NotResource"):
        for value, path in st.strings(element):
            yield value, path, True
    candidates: list[tuple[object, Path]] = []
    for _op, key, value, path in st.conditions():
        if condition_key_type(catalog, key) in _ARN_TYPES:
            candidates.extend((v, path + idx) for v, idx in value_items(value))
    for element in ("Principal", "NotPrincipal"):
        block = st.data.get(element)
        if isinstance(block, dict) and "AWS" in block:
            base = st.path + (element, "AWS")
            candidates.extend((v, base + idx) for v, idx in value_items(block["AWS"]))
    for v, p in candidates:
        if isinstance(v, str) and v.strip().startswith("arn:"):
            yield v, p, False


def _suggest_arn_service(part: str, catalog: Catalog) -> str | None:
    low = part.lower()
    if low != part and is_arn_service(catalog, low):
        return low
    prefix = SERVICE_ALIASES.get(low) or (low if catalog.has_service(low) else None)
    if prefix:
        names = arn_services_of_prefix(catalog, prefix)
        if names:
            return prefix if prefix in names else names[0]
    names = sorted(set(arn_service_shapes(catalog)) | set(catalog.service_prefixes()))
    best = closest(low, names, cutoff=0.75)
    return best[0] if best else None
