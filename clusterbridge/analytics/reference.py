"""Reference data of the analytics app: the project groups of seed 001 §3.3 (L814–835)."""


def load(*, stdout=None) -> dict[str, int]:
    return {}
