"""A fast check that HCL text is well-formed, for the files the pre-filter does not parse.

`certainly_valid(text)` is True only when the text is made of constructs it knows and they fit
together: blocks and attributes, expressions (operators, conditionals, calls, traversals,
splats, tuples, objects, `for` expressions), quoted templates with `${...}` and heredocs. It
is stricter than HCL (one item a line, one unary operator, no template directives, no
multi-line quoted strings, no provider functions...): on False, python-hcl2's parser decides,
and reports the error where it is. It runs on every `.tf` file of a tree, about twenty times
faster than the parser (one C-level `findall` tokenizes most files).

Tokens are their text: names, numbers, operators, "\\n", a quoted string without
interpolations as a whole (`"abc"`); and markers for the rest: a template string or heredoc
opens with `"{` and closes with `"}`, an interpolation in it opens with `${` and closes with
`}$`; the end of the text is "".
"""

from __future__ import annotations

import re

_SKIP = r"(?:[ \t\r]+|\#[^\n]*|//[^\n]*|/\*[\s\S]*?\*/)*"
# A quoted string whose interpolations, if any, are plain references (`${var.name}`,
# `${aws_s3_bucket.b.arn}`, `${count.index}`): a valid string whatever they name.
_SIMPLE_STRING = (r'"(?:[^"\\\n$%]|\\[nrt"\\]|\$(?!\{)|%(?!\{)'
                  r'|\$\{[ \t]*[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\.[0-9]+|\[[0-9]+\])*[ \t]*\})*"')
_NUMBER = r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
_OPS = r"\.\.\.|=>|==|!=|<=|>=|&&|\|\||[-+*/%<>!?:=.,\[\](){}]"
# Every token of a text without heredocs, template strings or other characters; anything else
# comes out as one character that no token is (see _ODD), and the slow path takes over.
_FAST = re.compile(_SKIP + r"(\n|[A-Za-z_][A-Za-z0-9_-]*|" + _SIMPLE_STRING + "|" + _NUMBER + "|" + _OPS
                   + r"|[\s\S]|\Z)")
_VALID_SINGLE = set("\n_-+*/%<>!?:=.,[](){}0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ODD = frozenset(chr(c) for c in range(128)) - _VALID_SINGLE
# The slow path: one token at a time, switching to template strings and heredocs.
_CODE = re.compile(_SKIP + r"""(?:
  (?P<hd><<-?(?P<marker>[A-Za-z][A-Za-z0-9._-]*)[ \t]*\r?\n)
| (?P<tok>\n|[A-Za-z_][A-Za-z0-9_-]*|""" + _SIMPLE_STRING + "|" + _NUMBER + "|" + _OPS + r""")
| (?P<q>")
| (?P<end>\Z)
)""", re.X)
# Inside a quoted string or a heredoc: the next character that matters. An escaped `$${...}`
# or `%%{...}` runs to the next `}` (python-hcl2's reading).
_IN_STRING = re.compile(r'\\(?:[nrt"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})|\\|(?:\$\$|%%)\{[^}"\n]*\}|\$\$\{|%%\{|\$\{'
                        r'|%\{|"|\n')
_IN_HEREDOC = re.compile(r"\$\$\{|%%\{|\$\{|%\{")

NL, TEMPLATE, TEMPLATE_END, INTERP, INTERP_END, EOF = "\n", '"{', '"}', "${", "}$", ""
_BINARY = frozenset({"==", "!=", "<", ">", "<=", ">=", "&&", "||", "+", "-", "*", "/", "%"})
_NAME_START = frozenset("_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")


class _Unsure(Exception):
    pass


def tokenize(text: str) -> list[str] | None:
    """The tokens of `text` (see the module's docstring), or None when unsure."""
    if text.isascii() and "<<" not in text:
        toks = _FAST.findall(text)
        if _ODD.isdisjoint(toks):
            return toks
    return _tokenize_slowly(text)


def _tokenize_slowly(text: str) -> list[str] | None:
    toks: list[str] = []
    add = toks.append
    # What each open `{` or `${` is: "{" a brace, "s" an interpolation in a quoted string,
    # (end, after) an interpolation in a heredoc whose body ends at `end`.
    stack: list[object] = []
    code = _CODE.match
    pos = 0
    resume: object = None  # a string or heredoc to go on scanning
    while True:
        if resume is not None:
            if resume == "s":
                pos, closed = _scan_string(text, pos)
                if pos < 0:
                    return None
            else:
                end, after = resume  # type: ignore[misc]
                pos = _scan_heredoc(text, pos, end)
                if pos < 0:
                    return None
                closed = pos >= end
                if closed:
                    pos = after
            if closed:
                add(TEMPLATE_END)
            else:
                stack.append(resume)
                add(INTERP)
            resume = None
            continue
        m = code(text, pos)
        if m is None:
            return None
        g = m.lastgroup
        pos = m.end()
        if g == "tok":
            t = m.group(g)
            if t == "{":
                stack.append("{")
            elif t == "}":
                if not stack:
                    return None
                top = stack.pop()
                if top != "{":
                    if top != "s" and pos > top[0]:  # type: ignore[index]
                        return None  # an interpolation running past its heredoc's end
                    add(INTERP_END)
                    resume = top
                    continue
            add(t)
        elif g == "q":
            add(TEMPLATE)
            resume = "s"
        elif g == "end":
            break
        else:  # heredoc: its body runs to the line holding only the marker
            marker = m.group("marker")
            close = re.compile(r"(?m)^[ \t]*" + re.escape(marker) + r"[ \t]*\r?$").search(text, pos)
            if close is None:
                return None
            add(TEMPLATE)
            resume = (close.start(), close.end())
    if stack:
        return None
    add(EOF)
    return toks


def _scan_string(text: str, pos: int) -> tuple[int, bool]:
    """From inside a quoted string: (offset after its closing quote, True) or (offset after
    a `${`, False); -1 when it is unterminated or holds what we do not check."""
    search = _IN_STRING.search
    while True:
        m = search(text, pos)
        if m is None:
            return -1, False
        c = m.group()
        if c == '"':
            return m.end(), True
        if c == "${":
            return m.end(), False
        if c in ("\n", "\\", "%{", "$${", "%%{"):
            return -1, False  # unterminated, a bad escape, a directive, an escape left open
        pos = m.end()


def _scan_heredoc(text: str, pos: int, end: int) -> int:
    """From inside a heredoc body ending at `end`: the offset after its next `${`, or `end`;
    -1 for a directive."""
    m = _IN_HEREDOC.search(text, pos, end)
    if m is None:
        return end
    if m.group() == "${":
        return m.end()
    return -1  # a directive, or an escape (`$${`, `%%{`) we leave to the parser


def _simple_string(t: str) -> bool:
    return len(t) > 1 and t[0] == '"' and t[-1] == '"'


class _Parser:
    def __init__(self, toks: list[str]) -> None:
        self.k = toks
        self.i = 0

    # --- bodies ----------------------------------------------------------------------------------
    def body(self, closer: str) -> None:
        k = self.k
        while True:
            while k[self.i] == NL:
                self.i += 1
            t = k[self.i]
            if t == closer:
                return
            if t[:1] not in _NAME_START:
                raise _Unsure
            self.i += 1
            if k[self.i] == "=":
                self.i += 1
                self.expr(False)
            else:
                while k[self.i][:1] in _NAME_START or _simple_string(k[self.i]):
                    self.i += 1
                if k[self.i] != "{":
                    raise _Unsure
                self.i += 1
                self.body("}")
                self.i += 1
            t = k[self.i]
            if t == NL:
                self.i += 1
            elif t != closer:
                raise _Unsure

    # --- expressions -----------------------------------------------------------------------------
    def skip(self, nl: bool) -> None:
        if nl:
            k = self.k
            while k[self.i] == NL:
                self.i += 1

    def expr(self, nl: bool) -> None:
        """An expression; `nl`: inside brackets, where newlines do not end it."""
        k = self.k
        self.operand()
        while True:
            self.skip(nl)
            t = k[self.i]
            if t in _BINARY:
                self.i += 1
                self.skip(nl)
                self.operand()
            elif t == "?":
                self.i += 1
                self.skip(nl)
                self.expr(nl)
                self.skip(nl)
                self.expect(":")
                self.skip(nl)
                self.expr(nl)
                return
            else:
                return

    def expect(self, tok: str) -> None:
        if self.k[self.i] != tok:
            raise _Unsure
        self.i += 1

    def operand(self) -> None:
        k = self.k
        if k[self.i] in ("-", "!"):
            self.i += 1  # one: python-hcl2 reads no more
        t = k[self.i]
        c = t[:1]
        if c in _NAME_START:
            self.i += 1
            if k[self.i] == "(":
                if t in ("true", "false", "null"):
                    raise _Unsure
                self.call()
        elif c in _DIGITS:
            self.i += 1
        elif t == TEMPLATE:
            self.template()
        elif _simple_string(t):
            self.i += 1
        elif t == "(":
            self.i += 1
            self.skip(True)
            self.expr(True)
            self.skip(True)
            self.expect(")")
        elif t == "[":
            self.tuple()
        elif t == "{":
            self.object()
        else:
            raise _Unsure
        # traversals and splats
        while True:
            t = k[self.i]
            if t == ".":
                nxt = k[self.i + 1]
                if nxt[:1] in _NAME_START or nxt[:1] in _DIGITS or nxt == "*":
                    self.i += 2
                else:
                    raise _Unsure
            elif t == "[":
                if k[self.i + 1] == "*" and k[self.i + 2] == "]":
                    self.i += 3
                else:
                    self.i += 1
                    self.skip(True)
                    self.expr(True)
                    self.skip(True)
                    self.expect("]")
            else:
                return

    def template(self) -> None:
        k = self.k
        self.i += 1
        while True:
            t = k[self.i]
            if t == TEMPLATE_END:
                self.i += 1
                return
            if t != INTERP:
                raise _Unsure
            self.i += 1
            self.skip(True)
            self.expr(True)
            self.skip(True)
            self.expect(INTERP_END)

    def call(self) -> None:
        k = self.k
        self.i += 1
        self.skip(True)
        if k[self.i] == ")":
            self.i += 1
            return
        while True:
            self.expr(True)
            self.skip(True)
            t = k[self.i]
            if t == "...":
                self.i += 1
                self.skip(True)
                self.expect(")")
                return
            if t == ")":
                self.i += 1
                return
            self.expect(",")
            self.skip(True)
            if k[self.i] == ")":
                self.i += 1
                return

    def name(self) -> None:
        if self.k[self.i][:1] not in _NAME_START:
            raise _Unsure
        self.i += 1

    def for_(self, closer: str) -> None:
        """From `for`: `for k, v in coll : result [=> value [...]] [if cond]` and the closer."""
        k = self.k
        self.i += 1
        self.skip(True)
        self.name()
        if k[self.i] == ",":
            self.i += 1
            self.skip(True)
            self.name()
        self.skip(True)
        self.expect("in")
        self.skip(True)
        self.expr(True)
        self.skip(True)
        self.expect(":")
        self.skip(True)
        self.expr(True)
        self.skip(True)
        if closer == "}":
            self.expect("=>")
            self.skip(True)
            self.expr(True)
            self.skip(True)
            if k[self.i] == "...":
                self.i += 1
                self.skip(True)
        if k[self.i] == "if":
            self.i += 1
            self.skip(True)
            self.expr(True)
            self.skip(True)
        self.expect(closer)

    def tuple(self) -> None:
        k = self.k
        self.i += 1
        self.skip(True)
        if k[self.i] == "for":
            self.for_("]")
            return
        while k[self.i] != "]":
            self.expr(True)
            self.skip(True)
            if k[self.i] == ",":
                self.i += 1
                self.skip(True)
            elif k[self.i] != "]":
                raise _Unsure
        self.i += 1

    def object(self) -> None:
        k = self.k
        self.i += 1
        self.skip(True)
        if k[self.i] == "for" and k[self.i + 1] not in ("=", ":"):
            self.for_("}")
            return
        while k[self.i] != "}":
            self.expr(False)
            if k[self.i] not in ("=", ":"):
                raise _Unsure
            self.i += 1
            self.expr(False)
            t = k[self.i]
            if t == ",":
                self.i += 1
            elif t != NL and t != "}":
                raise _Unsure
            self.skip(True)
        self.i += 1


def certainly_valid(text: str) -> bool:
    """True when `text` is well-formed HCL as far as this check knows; False when it is not,
    or may not be (python-hcl2's parser then decides)."""
    toks = tokenize(text)
    if toks is None or toks[-1] != EOF:
        return False
    try:
        _Parser(toks).body(EOF)
    except (_Unsure, IndexError, RecursionError):
        return False
    return True
