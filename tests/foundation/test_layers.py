"""The apps import each other in one direction only (read from the source, imports inside
functions included): shared pieces live a floor down (core, taxonomy), and apps that plug
into another (record types into interop, kinds of profile into matching) register with it
instead of being imported by it."""

import ast
from collections import defaultdict
from pathlib import Path

import clusterbridge

PACKAGE = Path(clusterbridge.__file__).parent


def app_imports() -> dict[str, set[str]]:
    """app → the other ClusterBridge apps its modules import (migrations left out)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or "migrations" in parts:
            continue
        app = parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "import_module"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names = [str(node.args[0].value)]
            else:
                continue
            for name in names:
                package, _, rest = name.partition(".")
                other = rest.split(".")[0]
                if package == "clusterbridge" and other and other != app:
                    graph[app].add(other)
    return graph


def test_projects_and_matching_do_not_import_each_other():
    graph = app_imports()
    assert "matching" not in graph["projects"]
    assert "projects" not in graph["matching"]


def test_interop_imports_none_of_the_apps_that_register_with_it():
    graph = app_imports()
    assert not graph["interop"] & {"funding", "projects", "clusters", "suggestions"}


def test_the_apps_import_each_other_without_a_circle():
    graph = app_imports()

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for other in graph.get(start, ()):
            if other == goal or (other not in seen and reaches(other, goal, seen | {other})):
                return True
        return False

    circles = sorted(app for app in list(graph) if reaches(app, app, {app}))
    assert circles == []


def test_the_walk_sees_imports_inside_functions():
    graph = app_imports()
    # core/views.py imports accounts at module level; core/services.py inside a method.
    assert "accounts" in graph["core"]


# The floors of docs/architecture.md. An app imports only apps on lower floors; on floor 0
# the shared pieces lean on each other (taxonomy ► core ► accounts; notifications).
FLOORS = {
    "taxonomy": 0,
    "core": 0,
    "accounts": 0,
    "notifications": 0,
    "interop": 1,
    "suggestions": 1,
    "funding": 2,
    "clusters": 2,
    "matching": 3,
    "projects": 3,
    "organisations": 3,
    "alerts": 4,
    "benchmarking": 4,
    "analytics": 4,
    "marketplace": 5,
    "events": 6,
}


def test_every_app_sits_on_a_floor():
    apps = {p.parent.name for p in PACKAGE.glob("*/apps.py")}
    assert apps == set(FLOORS)


def test_an_app_imports_only_apps_on_the_floors_below():
    graph = app_imports()
    upward = sorted(
        f"{app} (floor {FLOORS[app]}) imports {other} (floor {FLOORS[other]})"
        for app, others in graph.items()
        for other in others
        if other in FLOORS and FLOORS[app] > 0 and FLOORS[other] >= FLOORS[app]
    )
    assert upward == []


def test_analytics_knows_neither_the_marketplace_nor_events():
    # They register their links and the group event with it (AppConfig.ready).
    assert not app_imports()["analytics"] & {"marketplace", "events"}
