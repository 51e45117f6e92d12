"""The snapshot has one definition (glue_sessions/snapshot.py); nothing else may drift from it.

- openapi.yaml's `Snapshot` schema and every schema it reaches: the same field names, the same
  basic types (integer, number, string, boolean, array of what, which object), the same
  nullability, the same required fields (the keys every snapshot has), the same enums;
- src/types.ts's `ISnapshot` and the interfaces it reaches: the same field names and basic types
  (TypeScript keeps every field optional and nullable on purpose: older servers);
- docs/snapshot-example.json, which the jest tests and the screenshots read: exactly what
  analyze() makes of tests/data/snapshot-example-observations.json
  (`python scripts/snapshot_example.py` rewrites it).
"""

from __future__ import annotations

import json
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest
import yaml

from glue_sessions import snapshot as contract
from scripts.snapshot_example import EXAMPLE, example_snapshot, render

ROOT = Path(__file__).resolve().parents[1]
OPENAPI = ROOT / "glue_sessions" / "openapi.yaml"
TYPES_TS = ROOT / "src" / "types.ts"


@dataclass(frozen=True)
class Field:
    kind: str  # integer, number, string, boolean, array, object:<Name>, map
    nullable: bool = False
    item: str | None = None  # what an array holds (its kind)
    enum: frozenset[str] | None = None


# -- the typed definition -------------------------------------------------------------------------


def python_kind(annotation: Any) -> tuple[Field, list[type]]:
    """The Field of an annotation, and the TypedDicts it reaches."""
    nullable = False
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        nullable = len(args) < len(get_args(annotation))
        (annotation,) = args
        origin = get_origin(annotation)
    if origin is Literal:
        return Field("string", nullable, enum=frozenset(get_args(annotation))), []
    if origin is list:
        (item,) = get_args(annotation)
        inner, nested = python_kind(item)
        return Field("array", nullable, item=inner.kind), nested
    if is_typeddict(annotation):
        return Field(f"object:{annotation.__name__}", nullable), [annotation]
    simple = {int: "integer", float: "number", str: "string", bool: "boolean"}
    return Field(simple[annotation], nullable), []


def typed_definition() -> dict[str, tuple[dict[str, Field], frozenset[str]]]:
    """Every TypedDict reachable from Snapshot: its fields, and its required keys."""
    found: dict[str, tuple[dict[str, Field], frozenset[str]]] = {}
    todo: list[type] = [contract.Snapshot]
    while todo:
        td = todo.pop()
        if td.__name__ in found:
            continue
        fields = {}
        for name, annotation in get_type_hints(td).items():
            fields[name], nested = python_kind(annotation)
            todo.extend(nested)
        found[td.__name__] = (fields, frozenset(td.__required_keys__))
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
        raise AssertionError(f"inline object {prop}: name it under components/schemas")
    return Field(kind, nullable, enum=frozenset(e for e in enum if e is not None) if enum else None)


def openapi_definition() -> dict[str, tuple[dict[str, Field], frozenset[str]]]:
    schemas = openapi_schemas()
    found: dict[str, tuple[dict[str, Field], frozenset[str]]] = {}
    todo = ["Snapshot"]
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


# -- src/types.ts ---------------------------------------------------------------------------------

COMMENTS = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
INTERFACE = re.compile(r"export interface (\w+)\s*\{(.*?)\n\}", re.S)
TYPE_ALIAS = re.compile(r"export type (\w+)\s*=(.*?);", re.S)
MEMBER = re.compile(r"^\s*(\w+)(\??):\s*(.+?);?\s*$")


def split_union(text: str) -> list[str]:
    """`A | (B | C)[] | { [k: string]: D }` -> its top-level alternatives."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char in "([{<"
        depth -= char in ")]}>"
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [p for p in parts if p]


def ts_kind(text: str, aliases: dict[str, list[str]]) -> tuple[str, str | None, bool]:
    """(kind, array item kind, nullable) of a TypeScript type."""
    alternatives = split_union(text)
    nullable = "null" in alternatives
    kinds = set()
    item = None
    for alt in alternatives:
        if alt in ("null", "undefined"):
            continue
        if alt.endswith("[]"):
            inner = alt[:-2].strip()
            inner = inner[1:-1] if inner.startswith("(") else inner
            item = ts_kind(inner, aliases)[0]
            kinds.add("array")
        elif alt in ("number", "string", "boolean"):
            kinds.add(alt)
        elif re.fullmatch(r"'[^']*'", alt):
            kinds.add("string")
        elif alt in aliases:
            kinds.add(ts_kind(" | ".join(aliases[alt]), aliases)[0])
        elif re.fullmatch(r"I\w+", alt):
            kinds.add(f"object:{alt[1:]}")
        elif alt.startswith("{"):
            kinds.add("map")
        else:
            raise AssertionError(f"src/types.ts: cannot read the type {alt!r}")
    assert len(kinds) == 1, f"src/types.ts: {text!r} mixes {kinds}"
    return kinds.pop(), item, nullable


def ts_definition() -> tuple[dict[str, dict[str, Field]], dict[str, list[str]]]:
    source = COMMENTS.sub("", TYPES_TS.read_text())
    aliases = {name: split_union(body) for name, body in TYPE_ALIAS.findall(source)}
    interfaces: dict[str, dict[str, Field]] = {}
    for name, body in INTERFACE.findall(source):
        fields = {}
        for line in body.splitlines():
            match = MEMBER.match(line)
            if match:
                kind, item, nullable = ts_kind(match.group(3), aliases)
                fields[match.group(1)] = Field(kind, nullable, item)
            else:
                assert not line.strip(), f"src/types.ts {name}: cannot read {line!r}"
        interfaces[name] = fields
    return interfaces, aliases


# -- the tests ------------------------------------------------------------------------------------


def test_openapi_is_the_typed_definition():
    typed, described = typed_definition(), openapi_definition()
    assert sorted(described) == sorted(typed), "schemas reached from Snapshot"
    for name, (fields, required) in typed.items():
        schema_fields, schema_required = described[name]
        assert sorted(schema_fields) == sorted(fields), f"{name}: field names"
        for field_name, field in fields.items():
            other = schema_fields[field_name]
            where = f"openapi {name}.{field_name}"
            assert (other.kind, other.item) == (field.kind, field.item), where
            assert other.nullable == field.nullable, f"{where}: nullable"
            if field.enum is not None:
                assert other.enum == field.enum, f"{where}: enum"
        assert schema_required == required, f"openapi {name}: required"


def test_types_ts_is_the_typed_definition():
    typed = typed_definition()
    interfaces, aliases = ts_definition()
    for name, (fields, _) in typed.items():
        ts_fields = interfaces.get(f"I{name}")
        assert ts_fields is not None, f"src/types.ts has no interface I{name}"
        assert sorted(ts_fields) == sorted(fields), f"I{name}: field names"
        for field_name, field in fields.items():
            other = ts_fields[field_name]
            # TypeScript has one number type.
            kind = "number" if field.kind in ("integer", "number") else field.kind
            item = "number" if field.item in ("integer", "number") else field.item
            assert (other.kind, other.item) == (kind, item), f"I{name}.{field_name}"
    statuses = {a.strip("'") for a in aliases["SessionStatus"]}
    assert statuses == set(contract.STATUSES) == set(get_args(contract.Status))


def test_the_example_is_what_analyze_makes_of_the_recorded_observation():
    made = render(example_snapshot())
    assert EXAMPLE.read_text() == made, "run: python scripts/snapshot_example.py"


@pytest.mark.parametrize("name", ["Session", "Endpoint", "Snapshot"])
def test_reader_of_types_ts_sees_every_member(name):
    # The regex reader must not skip members silently: count the `name?:` lines by hand.
    source = COMMENTS.sub("", TYPES_TS.read_text())
    body = dict(INTERFACE.findall(source))[f"I{name}"]
    members = [line for line in body.splitlines() if re.match(r"\s*\w+\??:", line)]
    assert len(members) == len(ts_definition()[0][f"I{name}"]) > 0


def test_the_example_has_the_typed_shape():
    example = json.loads(EXAMPLE.read_text())
    typed = typed_definition()

    def check(value: dict, name: str) -> None:
        fields, required = typed[name]
        assert required <= set(value) <= set(fields), name
        for key, item in value.items():
            field = fields[key]
            if item is None:
                assert field.nullable, f"{name}.{key}"
            elif field.kind.startswith("object:"):
                check(item, field.kind.split(":", 1)[1])
            elif field.kind == "array" and field.item and field.item.startswith("object:"):
                for element in item:
                    check(element, field.item.split(":", 1)[1])

    check(example, "Snapshot")
    assert typing.get_type_hints(contract.Session)["status"] == contract.Status
