"""A model that vouches for every partial match, and a text with partial matches, for tests of
how such suggestions are stored and shown."""

from clusterbridge.suggestions import engine

# Longer than engine.MODEL_MIN_WORDS; "spots suspicious" and "software" only partly match.
PARTIAL_TEXT = (
    "The software spots suspicious logins across the accounts of the company. It is sold as a "
    "yearly subscription to small firms in the region, with support by phone and e-mail during "
    "office hours and a dashboard for the manager."
)


class SureModel:
    def probabilities(self, text, codes):
        return dict.fromkeys(codes, 0.9)


def vouch_for_partial_matches(monkeypatch) -> None:
    monkeypatch.setattr(engine, "feature_model", lambda: SureModel())
    monkeypatch.setattr(engine, "feature_combiner", lambda: None)  # the fixed rule decides


class ReadsLoginsAsAuthentication(SureModel):
    """Also finds P9 likely, a feature no word of PARTIAL_TEXT names, and says why."""

    def probabilities(self, text, codes):
        return {code: 0.95 if code == "P9" else 0.9 for code in codes}

    def strongest_words(self, text, codes):
        return {code: ["logins", "accounts"] for code in codes}


class JudgesOnlyP9:
    """A learnt combination that judges only P9 and keeps it (the fixed rule decides the rest)."""

    known = {"P9"}

    def verdicts(self, totals, opinion, terms, words):
        return {code: True for code in opinion if code in self.known}


def read_a_feature_without_terms(monkeypatch) -> None:
    monkeypatch.setattr(engine, "feature_model", lambda: ReadsLoginsAsAuthentication())
    monkeypatch.setattr(engine, "feature_combiner", lambda: JudgesOnlyP9())
