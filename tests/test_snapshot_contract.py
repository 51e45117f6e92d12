"""The snapshot has one definition (glue_sessions/snapshot.py); nothing else may drift from it.

- src/types.ts is what scripts/generate_types.py writes from it (and from history.py's
  `HistoryAnswer`): the wire types, the enumerations, the plain fields normalize.ts reads;
- openapi.yaml's `Snapshot` and `History` schemas and every schema they reach: the same field
  names, the same basic types (integer, number, string, boolean, array of what, which object),
  the same nullability, the same required fields (the keys every answer has), the same enums
  (which the script writes);
- every status is explained in the README's "How it decides" (the table the script writes), and
  every kind of error the fetcher raises is an error kind of the snapshot;
- the example snapshots, which the jest tests and the screenshots read (docs/snapshot-example.json
  and the fixtures of ui-tests/tests/fixtures/ that scripts/snapshot_example.py names): exactly
  what the server's analysis makes of their recorded observations or recorded YARN and Livy
  answers (`python scripts/snapshot_example.py` rewrites them), each of the typed shape.
"""

from __future__ import annotations

import json
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints, is_typeddict

import pytest
import yaml

from glue_sessions import snapshot as contract
from glue_sessions.client import http
from scripts.generate_types import COMMAND, OPENAPI, TYPES_TS, openapi_yaml, readme, types_ts
from scripts.snapshot_example import EXAMPLES, render
from scripts.wire_definition import ROOTS, enumeration_of, nested, unwrap

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


@dataclass(frozen=True)
class Field:
    kind: str  # integer, number, string, boolean, array, object:<Name>, map
    nullable: bool = False
    item: str | None = None  # what an array holds (its kind)
    enum: frozenset[str] | None = None


# -- the typed definition -------------------------------------------------------------------------


def python_kind(annotation: Any) -> tuple[Field, list[type]]:
    """The Field of an annotation, and the TypedDicts it reaches."""
    inner, nullable = unwrap(annotation)
    words = enumeration_of(inner)  # Literal, or Annotated[str, Words]: one of the Words
    if words is not None:
        return Field("string", nullable, enum=frozenset(get_args(words))), []
    if get_origin(inner) is list:
        (item,) = get_args(inner)
        return Field("array", nullable, item=python_kind(item)[0].kind), nested(inner)
    if get_origin(inner) is dict:
        return Field("map", nullable), nested(inner)
    if is_typeddict(inner):
        return Field(f"object:{inner.__name__}", nullable), [inner]
    simple = {int: "integer", float: "number", str: "string", bool: "boolean"}
    return Field(simple[inner], nullable), []


def typed_definition() -> dict[str, tuple[dict[str, Field], frozenset[str]]]:
    """Every TypedDict reachable from the answers: its fields, and its required keys."""
    found: dict[str, tuple[dict[str, Field], frozenset[str]]] = {}
    for root_name, root in ROOTS:
        todo: list[type] = [root]
        while todo:
            td = todo.pop()
            name = root_name if td is root else td.__name__
            if name in found:
                continue
            fields = {}
            for field_name, annotation in get_type_hints(td, include_extras=True).items():
                fields[field_name], nested = python_kind(annotation)
                todo.extend(nested)
            found[name] = (fields, frozenset(td.__required_keys__))
    return found


# -- openapi.yaml ---------------------------------------------------------------------------------


def openapi_schemas() -> dict[str, Any]:
    return yaml.safe_load(OPENAPI.read_text())["components"]["schemas"]


def openapi_kind(prop: dict[str, Any], schemas: dict[str, Any]) -> Field:
    nullable = bool(prop.get("nullable"))
    if "allOf" in prop:  # { allOf: [$ref], nullable: true }: a nullable reference
        (prop_ref,) = prop["allOf"]
        inner = openapi_kind(prop_ref, schemas)
        return Field(inner.kind, nullable or inner.nullable, inner.item, inner.enum)
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[1]
        target = schemas[name]
        if target.get("type") == "object":
            return Field(f"object:{name}", nullable)
        return openapi_kind(target, schemas)  # a named scalar (Time)
    kind = prop["type"]
    if kind == "array":
        return Field("array", nullable, item=openapi_kind(prop["items"], schemas).kind)
    enum = prop.get("enum")
    if kind == "object":
        assert "additionalProperties" in prop, f"inline object {prop}: name it under schemas"
        return Field("map", nullable)
    return Field(kind, nullable, enum=frozenset(e for e in enum if e is not None) if enum else None)


def openapi_definition() -> dict[str, tuple[dict[str, Field], frozenset[str]]]:
    schemas = openapi_schemas()
    found: dict[str, tuple[dict[str, Field], frozenset[str]]] = {}
    todo = [name for name, _ in ROOTS]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        schema = schemas[name]
        fields = {p: openapi_kind(v, schemas) for p, v in schema["properties"].items()}
        found[name] = (fields, frozenset(schema.get("required", [])))
        kinds = [f.kind for f in fields.values()] + [f.item or "" for f in fields.values()]
        todo.extend(k.split(":", 1)[1] for k in kinds if k.startswith("object:"))
    return found


# -- the tests ------------------------------------------------------------------------------------


def test_types_ts_is_generated_from_the_definition():
    assert TYPES_TS.read_text() == types_ts(), f"src/types.ts is out of date: run {COMMAND}"


def test_generated_interfaces_have_every_field():
    # The generator must not drop a field: each interface lists the definition's names.
    source = TYPES_TS.read_text()
    for name, (fields, _) in typed_definition().items():
        body = re.search(rf"export interface I{name} \{{\n(.*?)\n\}}", source, re.S)
        assert body, f"src/types.ts has no interface I{name}"
        members = re.findall(r"^  (\w+)\??: ", body.group(1), re.M)
        assert members == list(fields), f"I{name}: field names"


def test_openapi_enums_are_generated_from_the_definition():
    text = OPENAPI.read_text()
    assert openapi_yaml(text) == text, f"openapi.yaml's enums are out of date: run {COMMAND}"


def test_openapi_is_the_typed_definition():
    typed, described = typed_definition(), openapi_definition()
    assert sorted(described) == sorted(typed), "schemas reached from Snapshot and History"
    for name, (fields, required) in typed.items():
        schema_fields, schema_required = described[name]
        assert sorted(schema_fields) == sorted(fields), f"{name}: field names"
        for field_name, field in fields.items():
            other = schema_fields[field_name]
            where = f"openapi {name}.{field_name}"
            assert (other.kind, other.item) == (field.kind, field.item), where
            assert other.nullable == field.nullable, f"{where}: nullable"
            if field.kind == "string":  # (the version, an integer, has its own enum)
                assert other.enum == field.enum, f"{where}: enum (run {COMMAND})"
        assert schema_required == required, f"openapi {name}: required"


def test_a_session_status_is_one_of_the_statuses():
    assert typing.get_type_hints(contract.Session)["status"] == contract.Status
    assert get_args(contract.Status) == contract.STATUSES


def test_every_status_is_explained_in_the_readme():
    text = README.read_text()
    assert readme(text) == text, f"the README's table of statuses is out of date: run {COMMAND}"
    section = text.split("## How it decides", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| ([\w-]+) \| .+ \|$", section, re.M)
    assert [r for r in rows if r in contract.STATUSES] == list(contract.STATUSES)


def test_every_error_kind_is_a_kind_of_fetch_error():
    # FetchError takes an ErrorKind (mypy checks each one raised); http.py names every kind.
    named = {
        getattr(http, name)
        for name, annotation in get_type_hints(http).items()
        if annotation == contract.ErrorKind
    }
    assert named == set(get_args(contract.ErrorKind))
    assert get_type_hints(http.FetchError.__init__)["kind"] == contract.ErrorKind


EXAMPLE_PATHS = pytest.mark.parametrize("path", list(EXAMPLES), ids=[p.name for p in EXAMPLES])


@EXAMPLE_PATHS
def test_the_example_is_what_analyze_makes_of_the_recorded_observation(path):
    made = render(EXAMPLES[path]())
    assert path.read_text() == made, "run: python scripts/snapshot_example.py"


@EXAMPLE_PATHS
def test_the_example_has_the_typed_shape(path):
    example = json.loads(path.read_text())
    typed = typed_definition()

    def check(value: dict, name: str) -> None:
        fields, required = typed[name]
        assert required <= set(value) <= set(fields), name
        for key, item in value.items():
            field = fields[key]
            if item is None:
                assert field.nullable, f"{name}.{key}"
            elif field.enum is not None:
                assert item in field.enum, f"{name}.{key}: {item!r}"
            elif field.kind.startswith("object:"):
                check(item, field.kind.split(":", 1)[1])
            elif field.kind == "array" and field.item and field.item.startswith("object:"):
                for element in item:
                    check(element, field.item.split(":", 1)[1])

    check(example, "Snapshot")
