"""Where each character of a string's value is written (shared by the CloudFormation and
Terraform loaders for JSON policies held in strings)."""

from __future__ import annotations

from auditor.loaders.textpos import string_positions


def test_string_positions_follow_escapes_and_surrogate_pairs() -> None:
    raw = '"a\\u0041\\ud83d\\ude00\\"b"'  # as written: "a\u0041\ud83d\ude00\"b"
    assert string_positions(raw, 3, 10, 'aA\U0001f600"b') == [(2, 10), (2, 11), (2, 17), (2, 29), (2, 31), (2, 32)]


def test_string_positions_of_text_that_is_not_the_string_is_none() -> None:
    assert string_positions('"abc"', 1, 1, "abd") is None
