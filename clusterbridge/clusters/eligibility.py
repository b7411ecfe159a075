"""Does an organisation meet the European definition of a cluster organisation? The
eligibility rules of the European cluster quality label (seed 003 L164–L168), each met, not
met or unknown with the reason. Used by the registration (told to the registrant and the
moderator; it informs, it does not reject) and by the benchmarking report."""

from dataclasses import dataclass

SEED3 = "003_488dc8e611df78cd.txt"


def _place(line: int) -> dict:
    return {"document": SEED3, "lines": [line, line]}


@dataclass
class Rule:
    key: str
    title: str
    state: str  # "met", "not met", "unknown"
    reason: str
    source: dict  # {"document", "lines"}


def _rule(key, title, ok, unknown, met, unmet, line) -> Rule:
    if ok is None:
        return Rule(key, title, "unknown", unknown, _place(line))
    return Rule(key, title, "met" if ok else "not met", met if ok else unmet, _place(line))


def check(
    *,
    fte=None,
    committed=None,
    private=None,
    services=None,
    areas=None,
    eccp=None,
    names: dict[str, str] | None = None,
) -> list[Rule]:
    """The six rules. `names` says where each value is asked (question codes or form
    labels), for the reason of an unknown rule."""
    where = {
        "fte": "the management's full-time equivalents",
        "committed": "the number of committed participants",
        "private": "how many participants are private",
        "services": "the number of services in the past year",
        "areas": "the number of strategic priority areas",
        "eccp": "whether it is listed on the ECCP",
        **(names or {}),
    }
    majority = None if committed is None or private is None else private > committed / 2
    return [
        _rule(
            "management",
            "Dedicated cluster management of at least 0.5 full-time equivalent",
            None if fte is None else fte >= 0.5,
            f"Not known: {where['fte']} is not given.",
            f"{fte:g} FTE ≥ 0.5." if fte is not None else "",
            f"{fte:g} FTE is below 0.5." if fte is not None else "",
            166,
        ),
        _rule(
            "participants",
            "At least 15 clearly committed cluster participants",
            None if committed is None else committed >= 15,
            f"Not known: {where['committed']} is not given.",
            f"{committed:g} committed participants ≥ 15." if committed is not None else "",
            f"{committed:g} committed participants, fewer than 15."
            if committed is not None
            else "",
            166,
        ),
        _rule(
            "private_majority",
            "A majority of the committed participants from the private sector",
            majority,
            f"Not known: {where['committed']} and {where['private']} are both needed.",
            f"{private:g} of {committed:g} are private: a majority." if majority else "",
            f"{private:g} of {committed:g} are private: not a majority."
            if majority is False
            else "",
            166,
        ),
        _rule(
            "services",
            "At least 5 different services (activities) during the past year",
            None if services is None else services >= 5,
            f"Not known: {where['services']} is not given.",
            f"{services:g} services ≥ 5." if services is not None else "",
            f"{services:g} services, fewer than 5." if services is not None else "",
            167,
        ),
        _rule(
            "areas",
            "Those services address at least 2 defined strategic priority areas",
            None if areas is None else areas >= 2,
            f"Not known: {where['areas']} is not given.",
            f"{areas:g} priority areas ≥ 2." if areas is not None else "",
            f"{areas:g} priority area(s), fewer than 2." if areas is not None else "",
            167,
        ),
        _rule(
            "eccp",
            "Listed on the European Cluster Collaboration Platform (ECCP)",
            None if eccp is None else eccp is True,
            f"Not known: {where['eccp']} is not given.",
            "Listed on the ECCP.",
            "Not listed on the ECCP yet; registration there is free.",
            168,
        ),
    ]


def summary(rules: list[Rule]) -> str:
    states = {rule.state for rule in rules}
    if states == {"met"}:
        return "Meets the European definition of a cluster organisation."
    failing = [rule.title for rule in rules if rule.state == "not met"]
    if failing:
        return (
            "Does not meet the European definition of a cluster organisation: "
            + "; ".join(failing)
            + "."
        )
    return "Not known yet whether it meets the European definition of a cluster organisation."
