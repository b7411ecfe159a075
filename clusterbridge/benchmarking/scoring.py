"""What an assessment's answers say: completion, block scores, life-cycle stage, label
eligibility and readiness, the services the labelled clusters offer, and the place among
peers. Pure functions over the assessment's indicator snapshot and answers, except
`peer_position`, which reads other assessments' derived scores (never their answers).

Every rule names its source; where the seeds are silent the rule is the platform's choice
and says so (docs/benchmarking.md, docs/decisions.md)."""

from dataclasses import dataclass, field
from statistics import median

from clusterbridge.clusters import eligibility as eligibility_rules
from clusterbridge.core.reference import read_json

# seed 002 L303: at least 80 % of the questionnaire completed.
SUBMIT_SHARE = 0.8
# The figure for a Gold-level score; the seeds give none (platform's choice).
GOLD_SHARE = 0.8
# Peer figures only over at least this many other organisations (platform's choice).
MIN_PEERS = 5
SEED2 = "002_5dcdb20ca003db63.txt"
SEED3 = "003_488dc8e611df78cd.txt"
# Block I identifies the organisation and block IV is told in words: neither is scored.
SCORED_BLOCKS = ("II", "III", "V")
LABEL_BLOCKS = ("I", "II", "III")


def answered(value) -> bool:
    return value not in (None, "", [])


def completion(indicators: list[dict], answers: dict) -> float:
    if not indicators:
        return 0.0
    done = sum(1 for spec in indicators if answered(answers.get(spec["code"])))
    return round(done / len(indicators), 4)


def block_progress(indicators: list[dict], answers: dict) -> list[dict]:
    from clusterbridge.benchmarking.models import Block

    rows = []
    for block, label in Block.choices:
        specs = [s for s in indicators if s["block"] == block]
        done = sum(1 for s in specs if answered(answers.get(s["code"])))
        rows.append({"block": block, "label": label, "answered": done, "total": len(specs)})
    return rows


def points(spec: dict, value) -> float | None:
    """0..1 for a scored indicator (0 when unanswered); None when not scored."""
    rule = spec.get("scoring") or {}
    kind = rule.get("kind")
    if not kind:
        return None
    if not answered(value):
        return 0.0
    if kind == "yes":
        return 1.0 if value is True else 0.0
    if kind == "at_least":
        return 1.0 if float(value) >= rule["value"] else 0.0
    if kind == "share_of_choices":
        total = len(spec.get("choices") or [])
        return min(1.0, len(value) / total) if total else 0.0
    if kind == "choice_points":
        return float(rule["points"].get(value, 0.0))
    return None


def block_scores(indicators: list[dict], answers: dict) -> dict[str, float]:
    """Per block, the weighted share (0–100) of the points its scored indicators give."""
    scores = {}
    for block in SCORED_BLOCKS:
        total = gained = 0.0
        for spec in indicators:
            if spec["block"] != block:
                continue
            got = points(spec, answers.get(spec["code"]))
            if got is None:
                continue
            weight = float(spec.get("weight", 1.0))
            total += weight
            gained += weight * got
        if total:
            scores[block] = round(100 * gained / total, 1)
    return scores


# Size bands of Annex 1 (seed 002 L2073): small 1–50, growing 50–100 members; above 100 the
# platform's own band.
def size_band(answers: dict) -> str:
    members = answers.get("I-02")
    if not answered(members):
        return ""
    if members <= 50:
        return "small"
    if members <= 100:
        return "growing"
    return "large"


SIZE_BANDS = {
    "small": "1–50 members (Annex 1's “small cluster”)",
    "growing": "51–100 members (Annex 1's “growing cluster”)",
    "large": "over 100 members (the platform's band)",
}


# Life-cycle ------------------------------------------------------------------------------
STAGES = {
    "agglomeration": ("Agglomeration", [627, 627]),
    "emergence": ("Emergence", [629, 639]),
    "development": ("Development", [641, 641]),
    "maturity": ("Maturity", [643, 647]),
    "transformation": ("Transformation", [649, 649]),
    "decline": ("Decline (a cluster that narrows)", [649, 659]),
}


@dataclass
class Stage:
    code: str  # one of STAGES, or "" when the answers do not tell
    label: str
    lines: list[int]
    because: list[str] = field(default_factory=list)  # the answers that placed it


def _feature(indicators: list[dict], answers: dict, role: str):
    spec = next((s for s in indicators if s.get("lifecycle") == role), None)
    if spec is None:
        return None, None
    return spec, answers.get(spec["code"])


def lifecycle_stage(indicators: list[dict], answers: dict) -> Stage:
    """Seed 002 §2.1.5 (L623–L659), read as a decision from the last stage back: a cluster
    that narrows without transforming declines (L649, L651); one that transforms (L649)
    transforms; several networks beyond the association plus new enterprises or external
    recognition is maturity (L643–L645); regular cooperation in an association or with a
    shared identity is development (L641); sporadic cooperation is emergence (L629, L639);
    scattered enterprises hardly cooperating is agglomeration (L627)."""
    facts = {}
    said = []
    for role in (
        "cooperation",
        "association",
        "awareness",
        "networks",
        "new_enterprises",
        "recognition",
        "transforming",
        "shrinking",
    ):
        spec, value = _feature(indicators, answers, role)
        facts[role] = value
        if spec is not None and answered(value):
            shown = {True: "yes", False: "no"}.get(value, value)
            if spec.get("answer_type") == "choice":
                shown = next(
                    (c["label"] for c in spec.get("choices", []) if c["value"] == value), value
                )
            said.append((role, f"{spec['code']} {spec['question']} — {shown}"))

    def stage(code: str, *roles: str) -> Stage:
        label, lines = STAGES[code]
        return Stage(code, label, lines, [text for role, text in said if role in roles])

    if facts["shrinking"] is True and facts["transforming"] is not True:
        return stage("decline", "shrinking", "transforming")
    if facts["transforming"] is True:
        return stage("transformation", "transforming")
    cooperation = facts["cooperation"]
    if cooperation == "regular":
        if facts["networks"] is True and (
            facts["new_enterprises"] is True or facts["recognition"] is True
        ):
            return stage("maturity", "cooperation", "networks", "new_enterprises", "recognition")
        if facts["association"] is True or facts["awareness"] is True:
            return stage("development", "cooperation", "association", "awareness")
        return stage("emergence", "cooperation", "association", "awareness")
    if cooperation == "sporadic":
        return stage("emergence", "cooperation")
    if cooperation == "none":
        return stage("agglomeration", "cooperation")
    return Stage("", "Not known yet", [], ["Answer the questions of block V to see the stage."])


# Label eligibility (seed 003 L164–L168): the rules live in clusters.eligibility -----------
Rule = eligibility_rules.Rule
QUESTIONS = {
    "fte": "II-01",
    "committed": "I-07",
    "private": "I-08",
    "services": "II-07",
    "areas": "II-08",
    "eccp": "I-09",
}


def eligibility(answers: dict) -> list[Rule]:
    values = {}
    for name, code in QUESTIONS.items():
        value = answers.get(code)
        values[name] = value if answered(value) else None
    names = {name: f"question {code}" for name, code in QUESTIONS.items()}
    return eligibility_rules.check(**values, names=names)


def _step(spec: dict, value) -> str:
    """A gap as a next step: the question and what the answer lacks."""
    rule = spec.get("scoring") or {}
    if not answered(value):
        lacks = "not answered yet"
    elif rule.get("kind") == "share_of_choices":
        lacks = (
            f"{len(value)} of {len(spec.get('choices') or [])} offered; see below which "
            "services the labelled clusters offer"
        )
    elif rule.get("kind") == "at_least":
        lacks = f"{value:g}, below {rule['value']:g}"
    else:
        lacks = "answered no"
    return f"{spec['code']} {spec['question']} — {lacks}"


@dataclass
class Readiness:
    eligible: bool | None  # None: some rule unknown
    score: float  # 0–100 over the scored indicators of blocks I–III
    level: str
    explanation: str
    next_steps: list[str]


def readiness(indicators: list[dict], answers: dict, rules: list[Rule]) -> Readiness:
    states = {r.state for r in rules}
    eligible = False if "not met" in states else (None if "unknown" in states else True)
    total = gained = 0.0
    steps = [f"{r.title}: {r.reason}" for r in rules if r.state != "met"]
    for spec in indicators:
        if spec["block"] not in LABEL_BLOCKS or spec.get("eligibility"):
            continue
        got = points(spec, answers.get(spec["code"]))
        if got is None:
            continue
        weight = float(spec.get("weight", 1.0))
        total += weight
        gained += weight * got
        if got < 1:
            steps.append(_step(spec, answers.get(spec["code"])))
    # Eligibility indicators count in the score too.
    for spec in indicators:
        if spec["block"] in LABEL_BLOCKS and spec.get("eligibility") and spec.get("scoring"):
            weight = float(spec.get("weight", 1.0))
            total += weight
            gained += weight * (points(spec, answers.get(spec["code"])) or 0.0)
    score = round(100 * gained / total, 1) if total else 0.0
    if eligible is False:
        level, text = (
            "Not eligible yet",
            "A quality label needs every eligibility rule met (European Clusters Alliance "
            "presentation, line 164); see the rules not met below.",
        )
    elif eligible is None:
        level, text = (
            "Not known yet",
            "Answer the questions the eligibility rules need to see where you stand.",
        )
    elif score >= GOLD_SHARE * 100:
        level, text = (
            "Eligible; Gold-level score",
            f"Every eligibility rule is met and the score is {score:g} % — at or above the "
            f"{GOLD_SHARE:.0%} the platform uses for Gold (the platform's choice; the "
            "source documents give no threshold).",
        )
    else:
        level, text = (
            "Eligible; Bronze is the first step",
            "Every eligibility rule is met (European Clusters Alliance presentation, lines "
            f"164–168). The score is {score:g} %, "
            f"below the {GOLD_SHARE:.0%} the platform uses for Gold (the platform's choice). "
            "The source documents give no threshold for Silver, so none is estimated.",
        )
    return Readiness(eligible, score, level, text, steps)


# Services against the labelled clusters (seed 002 Annex 1) --------------------------------
def services_gap(answers: dict, labels: dict[str, str]) -> dict:
    data = read_json("benchmarking/labelled_services.json")
    offered = set(answers.get("II-06") or [])
    rows = []
    for row in data["services"]:
        rows.append(
            {
                "code": row["service"],
                "label": labels.get(row["service"], row["service"]),
                "offered": row["service"] in offered,
                "gold_share": row["gold_share"],
                "silver_share": row["silver_share"],
                "gold_count": row["gold_count"],
                "silver_count": row["silver_count"],
                "note": row["provenance"][0].get("note", ""),
            }
        )
    rows.sort(key=lambda r: (-r["gold_share"], -r["silver_share"]))
    return {
        "rows": rows,
        "missing": [r for r in rows if not r["offered"] and (r["gold_count"] or r["silver_count"])],
        "gold_total": data["gold_total"],
        "silver_total": data["silver_total"],
        "answered": "II-06" in answers,
    }


# Peers ---------------------------------------------------------------------------------------
def position(own: float, others: list[float]) -> str:
    """The platform's rule (seed 002 L299 names the groups, not the rule): the share of peers
    scoring below (ties count half); champion from 75 %, struggler below 25 %, pioneer
    between."""
    below = sum(1 for s in others if s < own) + 0.5 * sum(1 for s in others if s == own)
    rank = below / len(others)
    if rank >= 0.75:
        return "champion"
    if rank < 0.25:
        return "struggler"
    return "pioneer"


def quartiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)

    def at(q: float) -> float:
        index = q * (len(ordered) - 1)
        low = int(index)
        high = min(low + 1, len(ordered) - 1)
        return round(ordered[low] + (ordered[high] - ordered[low]) * (index - low), 1)

    return at(0.25), round(median(ordered), 1), at(0.75)
