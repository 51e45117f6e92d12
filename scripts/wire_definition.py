"""The wire definition of the API, read from the Python that defines it once.

glue_sessions/snapshot.py (and history.py's `HistoryAnswer`) define every answer as TypedDicts,
a named Literal per enumeration, and the description of each field in the comment above it
(or after it). This reads them into plain `Enumeration`s and `Interface`s for
scripts/generate_types.py to write as TypeScript and OpenAPI. Standard library and the project
only.
"""

from __future__ import annotations

import ast
import inspect
import io
import sys
import tokenize
import types
from dataclasses import dataclass
from pathlib import Path
from typing import (
    Annotated,
    Any,
    Literal,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from glue_sessions import snapshot  # noqa: E402
from glue_sessions.serve import history  # noqa: E402

# The answers of the API: (their name in openapi.yaml, and I<name> in TypeScript, TypedDict).
ROOTS: list[tuple[str, type]] = [
    ("Snapshot", snapshot.Snapshot),
    ("History", history.HistoryAnswer),
    ("Endpoints", snapshot.EndpointsAnswer),
]
# The enumerations' names in TypeScript, where they differ from Python's.
TS_NAMES = {"Status": "SessionStatus"}


@dataclass(frozen=True)
class Enumeration:
    name: str  # in TypeScript
    values: tuple[str, ...]
    doc: str
    line: int
    value_docs: tuple[str, ...]  # the comment above each value ("" where there is none)


@dataclass(frozen=True)
class Field:
    name: str
    annotation: Any
    doc: str


@dataclass(frozen=True)
class Interface:
    name: str  # without the I
    fields: list[Field]
    doc: str


def comments(source: str) -> dict[int, tuple[str, bool]]:
    """Line number -> (comment text, whether the comment is the whole line)."""
    found = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            whole = not token.line[: token.start[1]].strip()
            found[token.start[0]] = (token.string[1:].strip(), whole)
    return found


def described(node: ast.stmt | ast.expr, notes: dict[int, tuple[str, bool]]) -> str:
    """The comment lines right above a statement (or a value), then the comment after it."""
    above = []
    line = node.lineno - 1
    while line in notes and notes[line][1]:
        above.insert(0, notes[line][0])
        line -= 1
    after = notes.get(node.end_lineno or node.lineno)
    if after and not after[1]:
        above.append(after[0])
    return " ".join(above)


def parsed(module: types.ModuleType) -> tuple[ast.Module, dict[int, tuple[str, bool]]]:
    source = inspect.getsource(module)
    return ast.parse(source), comments(source)


def enumerations(module: types.ModuleType) -> dict[Any, Enumeration]:
    """Every `Name = Literal[...]` of a module, by its Literal."""
    tree, notes = parsed(module)
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            value = getattr(module, getattr(target, "id", ""), None)
            if isinstance(target, ast.Name) and get_origin(value) is Literal:
                name = TS_NAMES.get(target.id, target.id)
                members = getattr(getattr(node.value, "slice", None), "elts", [])
                value_docs = tuple(described(member, notes) for member in members)
                found[value] = Enumeration(
                    name, get_args(value), described(node, notes), node.lineno, value_docs
                )
    return found


@dataclass(frozen=True)
class ClassSource:
    doc: str  # its docstring
    fields: dict[str, str]  # its own fields' descriptions
    line: int
    bases: list[str]


def class_docs(module: types.ModuleType) -> dict[str, ClassSource]:
    """What the source of each class of a module says."""
    tree, notes = parsed(module)
    found = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            fields = {
                item.target.id: described(item, notes)
                for item in node.body
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
            }
            found[node.name] = ClassSource(
                " ".join((ast.get_docstring(node) or "").split()),
                fields,
                node.lineno,
                [b.id for b in node.bases if isinstance(b, ast.Name)],
            )
    return found


def unwrap(annotation: Any) -> tuple[Any, bool]:
    """An annotation without its `| None`, and whether it had one."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], len(args) < len(get_args(annotation))
    return annotation, False


def enumeration_of(annotation: Any) -> Any | None:
    """The Literal of an enumerated field (`Words` or `Annotated[str, Words]`), else None."""
    annotation, _ = unwrap(annotation)
    if get_origin(annotation) is Annotated:
        literals = [m for m in annotation.__metadata__ if get_origin(m) is Literal]
        return literals[0] if literals else None
    return annotation if get_origin(annotation) is Literal else None


def nested(annotation: Any) -> list[type]:
    """The TypedDicts an annotation reaches."""
    annotation, _ = unwrap(annotation)
    if is_typeddict(annotation):
        return [annotation]
    if get_origin(annotation) in (list, dict):
        return [td for arg in get_args(annotation) for td in nested(arg)]
    return []


def class_parts(name: str, docs: dict[str, ClassSource]) -> list[ClassSource]:
    """A class and the classes it extends (`Session`, `_Session`) as their source says."""
    parts = [docs[name]]
    for base in docs[name].bases:
        if base in docs:
            parts += class_parts(base, docs)
    return parts


def definition() -> tuple[list[Enumeration], list[Interface], list[str]]:
    """The enumerations and interfaces reachable from the roots (in the order of their
    modules' source), and the names of the snapshot's objects."""
    named = enumerations(snapshot)
    docs = {**class_docs(snapshot), **class_docs(history)}
    order = {module.__name__: i for i, module in enumerate((snapshot, history))}
    found: dict[str, tuple[tuple[int, int], Interface]] = {}
    in_snapshot: list[str] = []
    used: dict[Any, Enumeration] = {}
    for root_name, root in ROOTS:
        todo = [root]
        while todo:
            td = todo.pop(0)
            name = root_name if td is root else td.__name__
            if name in found:
                continue
            if root is snapshot.Snapshot:
                in_snapshot.append(name)
            hints = get_type_hints(td, include_extras=True)
            field_docs: dict[str, str] = {}
            parts = class_parts(td.__name__, docs)
            for part in parts:
                field_docs.update(part.fields)
            fields = []
            for field, annotation in hints.items():
                words = enumeration_of(annotation)
                if words is not None:
                    if words not in named:
                        raise SystemExit(
                            f"{td.__name__}.{field}: name its Literal in snapshot.py "
                            f"(`Name = Literal[...]`) so that TypeScript has a type for it"
                        )
                    used[words] = named[words]
                fields.append(Field(field, annotation, field_docs.get(field, "")))
                todo.extend(nested(annotation))
            doc = next((part.doc for part in parts if part.doc), "")
            key = (order[td.__module__], parts[0].line)
            found[name] = (key, Interface(name, fields, doc))
    interfaces = [i for _, i in sorted(found.values(), key=lambda pair: pair[0])]
    return sorted(used.values(), key=lambda e: e.line), interfaces, in_snapshot
