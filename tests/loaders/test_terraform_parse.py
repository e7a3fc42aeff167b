"""HCL to located nodes: positions of blocks, attributes, strings, heredocs and errors; the
byte-level block scanner and masking that keep positions."""

from __future__ import annotations

from auditor.loaders.terraform import prefilter
from auditor.loaders.terraform.nodes import Heredoc, Interp, Lit, ObjectE, Tmpl, Traverse, TupleE, IfDirective
from auditor.loaders.terraform.parse import parse_expression, parse_hcl
from auditor.loaders.terraform.tfjson import parse_tf_json


def pos(span) -> tuple[int, int, int, int]:
    return (span.line, span.column, span.end_line, span.end_column)


SRC = (
    'resource "aws_iam_policy" "p" {\n'        # 1
    '  name   = "agents"\n'                     # 2
    '  policy = jsonencode({\n'                 # 3
    '    Action = ["connect:A", "connect:B"]\n'  # 4
    '  })\n'                                    # 5
    '}\n'                                       # 6
)


def test_block_and_attribute_positions() -> None:
    ast = parse_hcl(SRC, "x.tf", "x.tf")
    assert ast.errors == []
    (b,) = ast.blocks
    assert (b.type, b.labels) == ("resource", ["aws_iam_policy", "p"])
    assert pos(b.span) == (1, 1, 6, 2)
    assert pos(b.header) == (1, 1, 1, 30)
    name = b.attrs["name"]
    assert pos(name.name_span) == (2, 3, 2, 7)
    assert isinstance(name.expr, Lit) and name.expr.value == "agents"
    assert pos(name.expr.span) == (2, 12, 2, 20)  # the quotes included, as in JSON
    call = b.attrs["policy"].expr
    obj = call.args[0]
    assert isinstance(obj, ObjectE)
    key, value = obj.items[0]
    assert isinstance(key, Lit) and key.value == "Action" and pos(key.span) == (4, 5, 4, 11)
    assert isinstance(value, TupleE)
    assert [pos(i.span) for i in value.items] == [(4, 15, 4, 26), (4, 28, 4, 39)]


def test_strings_escapes_and_templates() -> None:
    # A .tfvars body holds top-level attributes: the parser gives them as one pseudo-block.
    ast = parse_hcl('a = "x\\"y\\n$${keep}"\nb = "arn:${var.p}:x"\n', "x.tfvars", "x.tfvars", tfvars=True)
    attrs = ast.blocks[0].attrs
    assert isinstance(attrs["a"].expr, Lit) and attrs["a"].expr.value == 'x"y\n${keep}'
    b = attrs["b"].expr
    assert isinstance(b, Tmpl)
    assert b.parts[0] == "arn:" and b.parts[2] == ":x"
    interp = b.parts[1]
    assert isinstance(interp, Interp) and isinstance(interp.expr, Traverse)
    assert interp.expr.text == "var.p" and pos(interp.expr.span) == (2, 12, 2, 17)


def test_template_directives_in_a_quoted_string() -> None:
    ast = parse_hcl('a = "%{ if var.on }yes%{ else }no%{ endif }"\n', "v.tfvars", "v.tfvars", tfvars=True)
    t = ast.blocks[0].attrs["a"].expr
    assert isinstance(t, Tmpl) and isinstance(t.parts[0], IfDirective)
    assert t.parts[0].then == ["yes"] and t.parts[0].orelse == ["no"]


def test_heredoc_body_and_interpolation_positions() -> None:
    src = (
        'x = <<-EOF\n'                         # 1
        '    {"a": "${var.v}/q",\n'           # 2
        '     "b": ${local.l}}\n'             # 3
        '    EOF\n'                           # 4
    )
    ast = parse_hcl(src, "h.tfvars", "h.tfvars", tfvars=True)
    h = ast.blocks[0].attrs["x"].expr
    assert isinstance(h, Heredoc) and h.trim
    assert h.body_line == 2
    assert h.body == '    {"a": "${var.v}/q",\n     "b": ${local.l}}\n'
    assert pos(h.span) == (1, 5, 4, 8)
    interps = [(p, o, e) for p, o, e in zip(h.parts, h.part_offsets, h.part_ends) if isinstance(p, Interp)]
    assert [(h.body[o:e]) for _, o, e in interps] == ["${var.v}", "${local.l}"]
    assert [pos(p.expr.span) for p, _, _ in interps] == [(2, 14, 2, 19), (3, 13, 3, 20)]


def test_syntax_error_position_and_message() -> None:
    ast = parse_hcl('resource "a" "b" {\n  x = [1, 2\n}\n', "e.tf", "e.tf")
    assert ast.blocks == []
    ((span, message),) = ast.errors
    assert pos(span) == (3, 1, 3, 2)
    assert message.startswith("HCL syntax error: unexpected '}'")


def test_an_expression_parsed_out_of_context_keeps_file_positions() -> None:
    e = parse_expression(" local.actions", "t.tf", 7, 20)
    assert e.text == "local.actions"
    assert pos(e.span) == (7, 21, 7, 34)
    e2 = parse_expression("merge(\n  a, b)", "t.tf", 3, 10)
    assert pos(e2.span) == (3, 10, 4, 8)


TRICKY = (
    'locals {\n'
    '  a = "}{ ${jsonencode({x = "}"})} {"\n'
    '  # a comment with a brace {\n'
    '  /* and { another */\n'
    '  b = <<EOT\n'
    '}}}{{{\n'
    'EOT\n'
    '}\n'
    'resource "aws_lambda_function" "f" {\n'
    '  tags = { a = "b" }\n'
    '}\n'
    'resource "aws_iam_policy" "p" {\n'
    '  policy = "{}"\n'
    '}\n'
    'variable "unused" {}\n'
    'variable "used" {}\n'
)


def test_top_level_blocks_through_strings_heredocs_and_comments() -> None:
    blocks = prefilter.top_blocks(TRICKY)
    assert [(k, labels) for _, _, k, labels in blocks] == [
        ("locals", []), ("resource", ["aws_lambda_function", "f"]), ("resource", ["aws_iam_policy", "p"]),
        ("variable", ["unused"]), ("variable", ["used"])]


def test_masking_blanks_what_cannot_matter_and_keeps_positions() -> None:
    masked = prefilter.mask(TRICKY, prefilter.Keep(frozenset({"used"})))
    assert masked is not None
    assert masked.count("\n") == TRICKY.count("\n")
    assert "aws_lambda_function" not in masked and '"unused"' not in masked
    full = parse_hcl(TRICKY, "m.tf", "m.tf")
    part = parse_hcl(masked, "m.tf", "m.tf")
    keep = {(b.type, tuple(b.labels)): b for b in full.blocks}
    assert [(b.type, b.labels) for b in part.blocks] == [
        ("locals", []), ("resource", ["aws_iam_policy", "p"]), ("variable", ["used"])]
    for b in part.blocks:
        assert b == keep[(b.type, tuple(b.labels))]


def test_masking_gives_up_when_unsure() -> None:
    assert prefilter.mask('resource "a" "b" {\n  x = "unterminated\n}\n', prefilter.Keep()) is None


def test_tf_json_values_are_templates_located_in_the_string() -> None:
    text = (
        '{"resource": {"aws_iam_policy": {"p": {\n'
        '  "policy": "${jsonencode({Action = [\\"connect:A\\"]})}",\n'
        '  "name": "n-${var.env}"\n'
        '}}}}\n'
    )
    ast = parse_tf_json(text, "p.tf.json", "p.tf.json")
    assert ast.errors == []
    (b,) = ast.blocks
    assert (b.type, b.labels) == ("resource", ["aws_iam_policy", "p"])
    name = b.attrs["name"].expr
    assert isinstance(name, Tmpl) and name.parts[0] == "n-"
    assert pos(name.parts[1].expr.span) == (3, 16, 3, 23)
