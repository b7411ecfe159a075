"""Reference data of the analytics app: the project groups of seed 001 §3.3 (L816–835),
loaded as the seed states them (clusterbridge/data/analytics/project_groups.json)."""

from collections import Counter

from django.db import transaction

from clusterbridge.analytics.models import ProjectGroup
from clusterbridge.core.reference import read_json, upsert
from clusterbridge.projects.models import Project

DATA_FILE = "analytics/project_groups.json"


def find_project(name: str, call: str, projects: list[Project]) -> Project:
    for project in projects:
        if project.call == call and (name == project.name or name in project.name_variants):
            return project
    raise ValueError(f"Project {name!r} of {call!r} named by the seed groups is not loaded.")


@transaction.atomic
def load(*, stdout=None) -> dict[str, int]:
    counts: Counter = Counter()
    projects = list(Project.objects.real())
    for entry in read_json(DATA_FILE)["groups"]:
        members = [find_project(name, entry["call"], projects) for name in entry["projects"]]
        values = {
            "area": entry["area"],
            "end_users": entry["end_users"],
            "status": ProjectGroup.Status.CONFIRMED,
            "source_notes": entry.get("notes", []),
            "provenance": entry["provenance"],
        }
        counts[upsert(ProjectGroup, {"name": entry["name"]}, values, {"projects": members})] += 1
    if stdout:
        stdout.write(f"project groups: {dict(counts)}")
    return dict(counts)
