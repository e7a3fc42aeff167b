"""Reading templates with positions: values, keys, short-form tags, duplicates, parse errors."""

from __future__ import annotations

import pytest

from auditor.loaders.cloudformation.yaml_marks import MarkedCfnLoader, TemplateError, load_template

YAML = """\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      Version: 2012-10-17
      On: yes
      Arn: !GetAtt Instance.Arn
      Long: !GetAtt [Queue, QueueArn]
      Sub: !Sub "${Instance.Arn}/queue/*"
      List:
        - a
        - b
"""


def child(tpl, container, key):
    return tpl.children[id(container)][key]


def test_values_and_keys_are_located() -> None:
    tpl = load_template(YAML, "t.yaml")
    props = tpl.value["Resources"]["Role"]["Properties"]
    assert child(tpl, props, "List") == ((10, 7, 10, 11), (11, 9, 12, 12), None)
    items = props["List"]
    assert tpl.children[id(items)] == [(None, (11, 11, 11, 12), ""), (None, (12, 11, 12, 12), "")]
    assert child(tpl, tpl.value["Resources"], "Role")[0] == (2, 3, 2, 7)


def test_scalars_stay_as_cloudformation_reads_them() -> None:
    props = load_template(YAML, "t.yaml").value["Resources"]["Role"]["Properties"]
    assert props["Version"] == "2012-10-17"  # not a date
    assert "On" in props  # a key stays the text written, not True
    assert props["On"] is True


def test_short_form_tags_become_long_form_with_marks() -> None:
    tpl = load_template(YAML, "t.yaml")
    props = tpl.value["Resources"]["Role"]["Properties"]
    assert props["Arn"] == {"Fn::GetAtt": ["Instance", "Arn"]}
    assert props["Long"] == {"Fn::GetAtt": ["Queue", "QueueArn"]}
    assert props["Sub"] == {"Fn::Sub": "${Instance.Arn}/queue/*"}
    # The tag is the function's key; its value spans the whole tagged node.
    assert child(tpl, props["Sub"], "Fn::Sub") == ((9, 12, 9, 16), (9, 12, 9, 42), '"')
    assert tpl.children[id(props["Arn"]["Fn::GetAtt"])] == [(None, (7, 12, 7, 32), "")] * 2


def test_duplicate_keys_are_faults() -> None:
    tpl = load_template("Resources:\n  A: 1\n  A: 2\n", "t.yaml")
    assert tpl.value == {"Resources": {"A": 2}}
    assert tpl.faults[id(tpl.value["Resources"])] == [
        ('duplicate key "A" (first at line 2): CloudFormation rejects the template', (3, 3, 3, 4))]


def test_block_scalar_ends_after_its_text() -> None:
    tpl = load_template("Doc: |\n  {\n  }\n\nNext: 1\n", "t.yaml")
    assert child(tpl, tpl.value, "Doc")[1:] == ((1, 6, 3, 4), "|")


def test_block_collection_ends_with_its_last_item() -> None:
    tpl = load_template("A:\n  B: 1\n  C: [1, 2]\nD: 2\n", "t.yaml")
    assert child(tpl, tpl.value, "A")[1] == (2, 3, 3, 12)


def test_yaml_error_is_located() -> None:
    with pytest.raises(TemplateError) as err:
        load_template("Resources:\n  A: [1, 2\n  B: 3\n", "t.yaml")
    assert err.value.span == (3, 4, 3, 5)
    assert err.value.message.startswith("the template is not valid YAML: while parsing a flow sequence")


def test_json_template_is_located_by_the_json_parser() -> None:
    tpl = load_template('{"Resources": {"A": {"Type": "AWS::IAM::Role",}}}', "t.json")
    res = tpl.value["Resources"]
    assert child(tpl, res, "A") == ((1, 16, 1, 19), (1, 21, 1, 48), None)
    assert tpl.faults[id(res["A"])] == [("trailing comma before '}'", (1, 46, 1, 47))]


def test_json_fatal_error_is_located() -> None:
    with pytest.raises(TemplateError) as err:
        load_template('{"Resources": {"A": }}', "t.json")
    assert err.value.span[:2] == (1, 21)
    assert err.value.message.startswith("the template is not valid JSON")


def test_pure_python_loader_agrees_with_libyaml() -> None:
    loader = MarkedCfnLoader(YAML)
    value, root = loader.located()
    assert value == load_template(YAML, "t.yaml").value
    assert root == (1, 1, 12, 12)


def _spans(tpl) -> list:
    """Every key and value span, in document order (styles aside: only strings need them)."""
    out = []

    def walk(v):
        if isinstance(v, dict):
            out.extend((k, c[0], c[1]) for k, c in tpl.children[id(v)].items())
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            out.extend((None, c[0], c[1]) for c in tpl.children[id(v)])
            for x in v:
                walk(x)

    walk(tpl.value)
    return out


def test_valid_json_fast_path_locates_like_the_json_parser(monkeypatch) -> None:
    from auditor.loaders.cloudformation import yaml_marks

    text = ('{\n  "Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy",\n\t"Properties": {"N": 1e5, "F": -0.5,'
            ' "B": true, "Z": null, "S": "a\\/b\\u00e9\\"",\n    "L": [1, {"x": []}, "y"]}}}}\n')
    fast = yaml_marks._valid_json(text, "t.json")
    assert fast is not None
    monkeypatch.setattr(yaml_marks, "_valid_json", lambda *a: None)
    slow = yaml_marks.load_json(text, "t.json")
    assert fast.value == slow.value and fast.value["Resources"]["P"]["Properties"]["N"] == 1e5
    assert fast.value["Resources"]["P"]["Properties"]["S"] == 'a/b\u00e9"'
    assert _spans(fast) == _spans(slow)
    assert len(_spans(fast)) == 14


def test_invalid_json_takes_the_located_parser() -> None:
    tpl = load_template('{"Resources": {"A": 1, "A": 2}}', "t.json")
    assert tpl.faults[id(tpl.value["Resources"])] == [
        ('duplicate key "A": CloudFormation rejects the template', (1, 24, 1, 27))]
