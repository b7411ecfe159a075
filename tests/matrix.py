"""The permission matrix: a write is tried by each role; the data changes only when the
role is allowed, and a refused write answers 302 (to sign-in), 403 or 404."""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "member", "editor", "manager", "admin")


@dataclass
class WriteCase:
    name: str
    perform: Callable  # (client) -> response
    changed: Callable[[], bool]
    allowed: set[str] = field(default_factory=set)
    prepare: Callable | None = None  # (users) -> None

    def __repr__(self) -> str:
        return self.name


def check_write(case: WriteCase, role: str, users, client_for) -> None:
    if case.prepare:
        case.prepare(users)
    assert not case.changed(), f"{case.name}: already changed before the write"
    response = case.perform(client_for(role))
    if role in case.allowed:
        assert response.status_code < 400, f"{case.name} as {role}: {response.status_code}"
        assert case.changed(), f"{case.name} as {role} should have changed the data"
    else:
        assert response.status_code in (302, 401, 403, 404, 405), (
            f"{case.name} as {role}: {response.status_code}"
        )
        assert not case.changed(), f"{case.name} as {role} must not change the data"
