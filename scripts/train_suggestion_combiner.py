"""Train the combination of lexicon evidence and model probability
(`clusterbridge/suggestions/combiner.py`) and write
`clusterbridge/data/taxonomy/feature_combiner.json`.

It learns from texts read blind: each tuning round below is read with the lexicon of the
commit before that round was written into the labelled set (it had not been tuned on it),
taken from the repository's history with `git show`, so this script needs a clone with
history; and with a model trained as `scripts/train_suggestion_model.py` trains the shipped
one (same parameters, same code) on every tuning file except those of the round's fold (the
rounds in FOLDS contiguous groups), so the model has not seen the round either, and is as
strong as the shipped one but for that fold. The engine's matching code is today's. Only
texts the model is asked about count (`engine.MODEL_MIN_WORDS`), and only features with words
of at least `engine.MODEL_MIN_EVIDENCE` and those without (or with fewer) words that the model
gives at least `engine.MODEL_ALONE`: the candidates the engine decides about.

The threshold is chosen by a rule: read each round with a combination trained on the other
rounds, and take the threshold that leaves an editor the fewest corrections per right
suggestion (wrong suggestions to reject plus labelled features to add, (FP + FN) / TP), the
threshold of the highest F1. The fresh held-out sets are never read. Deterministic. Needs
scikit-learn:

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python scripts/train_suggestion_combiner.py
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CLUSTERBRIDGE_VAR_DIR", tempfile.mkdtemp(prefix="train-combiner-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbridge.settings")

import django  # noqa: E402

django.setup()

import train_suggestion_model as model_training  # noqa: E402

from clusterbridge.suggestions import combiner, engine  # noqa: E402
from clusterbridge.suggestions.model import FeatureModel, feature_model  # noqa: E402

DATA = ROOT / "tests" / "data"
OUTPUT = combiner.COMBINER_PATH
# Round → the commit before its texts entered the labelled set (its lexicon had not been
# tuned on them). Earlier rounds were read before the model existed.
ROUNDS = {
    12: "4f6f0fe23c9b1efc9c11ef3c11cdce694373b6e9",
    13: "003f11a23a370860e52ec0433fd83af6380bc0cd",
    14: "e5b82ade7c63b4875155b3f457cbb1002f619a17",
    15: "e35a10c48aac7d04ff6f96937c9988e9c77f3e70",
    16: "e20b89e605773280bc37818e33bf27547a29ee9f",
    17: "e7e18abcda0016dd556757fba958fe50d470cde0",
    18: "20fcaed0ca79a98b8be815a84de2ff7c8dc10347",
    19: "85ba079d5cbf8ec650c7c348610ecd670fffcadc",
    20: "3d688843f0d654e6bcef44cc377f1c4804e45656",
    21: "31d5cb756ad0054ad99ad74c2b12d8586afca058",
    22: "2a14e986f266a38716b96f4380ba3e691363c699",
    23: "ff2ade6c7e0ce170cca18e0fd2247e6a313913f7",
    24: "351a19c4bd8e76344cfe241c0f40a7c26b62361d",
    25: "36c0160b07eae07ed866005442bf12229496056a",
    26: "2f8de843b71346b50a55895dd6025ec796e0ce36",
    27: "c1c7319b00b7bc8e668db0c5bd23865bcf05b0be",
    28: "9a94a0233dfcdedab6ebcc3907fa87d8787f4766",
}
C = 1.0
# Each round is read by a model trained without the rounds of its fold.
FOLDS = 4
THRESHOLDS = [round(0.30 + 0.01 * i, 2) for i in range(41)]


def at_commit(commit: str, path: str) -> bytes:
    # A fixed commit of this repository and a fixed path: no outside input.
    command = ["git", "-C", str(ROOT), "show", f"{commit}:{path}"]
    return subprocess.check_output(command)  # noqa: S603, S607


class Round(NamedTuple):
    rows: list  # the combination's inputs, one per candidate
    labels: list  # whether the candidate's feature is labelled
    gold: int  # the round's labels, candidates or not
    fixed: list  # the fixed rule's verdict on each candidate
    codes: list  # the features the combination judges


def fold_models(codes: list[str]) -> dict[int, FeatureModel]:
    """Round → a model trained like the shipped one on every tuning file but its fold's."""
    by_round: dict[int | None, list[dict]] = {}
    for path in model_training.training_files():
        number = re.fullmatch(r"suggest_labelled_tuning(\d+)[a-h]?", path.stem)
        items = json.loads(path.read_text(encoding="utf-8"))["items"]
        by_round.setdefault(int(number.group(1)) if number else None, []).extend(
            item for item in items if item["split"] == "tuning"
        )
    models = {}
    for group in np.array_split(np.array(sorted(ROUNDS)), FOLDS):
        kept = [item for n, items in by_round.items() if n not in group for item in items]
        arrays, _, _ = model_training.fit(kept, codes, {"about": "read blind"})
        models |= dict.fromkeys(group.tolist(), FeatureModel(arrays))
        print(f"rounds {group[0]}–{group[-1]}: model of {len(kept)} descriptions", flush=True)
    return models


def read_round(number: int, commit: str, model: FeatureModel, codes: list[str]) -> Round:
    """Every candidate of the round's texts, as the lexicon of `commit` and `model` read them."""
    lexicon_file = at_commit(commit, f"clusterbridge/data/{engine.LEXICON_PATH}")
    lexicon = engine.Lexicon(json.loads(lexicon_file))
    read = Round([], [], 0, [], codes)
    gold = 0
    for path in sorted(DATA.glob(f"suggest_labelled_tuning{number}?.json")):
        for item in json.loads(path.read_text(encoding="utf-8"))["items"]:
            gold += len(item["features"])
            found = engine.find_words(item["text"], compiled=lexicon)
            if found is None or found.words < engine.MODEL_MIN_WORDS:
                continue
            # In a fixed order: the fit, and so the weights, depend on the order of the rows.
            candidates = sorted(engine.candidates_of(found.totals) & set(codes))
            opinion = engine.model_opinion(model, item["text"], candidates, codes)
            totals = {code: found.totals.get(code, 0.0) for code in opinion}
            for code, context in combiner.contexts(totals, opinion, set(codes)).items():
                total, probability = totals[code], opinion[code]
                terms = len(found.matched.get(code, ()))
                values = (total, probability, terms, found.words, context)
                read.rows.append(combiner.inputs(codes, code, *values))
                read.labels.append(code in item["features"])
                # The fixed rule never suggests a feature below the evidence floor.
                read.fixed.append(code in candidates and engine.fixed_rule(total, probability))
    return read._replace(gold=gold)


def figures(chosen, labels, gold) -> tuple[float, float]:
    tp = int((chosen & labels).sum())
    return tp / max(int(chosen.sum()), 1), tp / gold


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main() -> None:
    items, _ = model_training.training_items()
    codes = model_training.feature_codes(items)
    shipped = feature_model()
    assert shipped and codes == shipped.codes, "train the model first (train_suggestion_model.py)"
    models = fold_models(codes)
    read = {n: read_round(n, commit, models[n], codes) for n, commit in ROUNDS.items()}
    X = np.array([row for r in read.values() for row in r.rows])
    y = np.array([label for r in read.values() for label in r.labels])
    fixed = np.array([verdict for r in read.values() for verdict in r.fixed])
    round_of = np.array([number for number, r in read.items() for _ in r.labels])
    gold = sum(r.gold for r in read.values())
    # Read each round with a combination trained on the others.
    held_out = np.zeros(len(y))
    for number in read:
        train, test = round_of != number, round_of == number
        fitted = LogisticRegression(C=C, max_iter=5000).fit(X[train], y[train])
        held_out[test] = fitted.predict_proba(X[test])[:, 1]
    # Candidates the engine never suggests (texts under the model's length, features below
    # the evidence floor) count the same for both: only gold.
    before = figures(fixed, y, gold)
    # A wrong suggestion and a missed feature each cost an editor one correction; the fewest
    # corrections per right suggestion, (FP + FN) / TP = 2 / F1 - 2, is the highest F1.
    best = max(THRESHOLDS, key=lambda t: f1(*figures(held_out >= t, y, gold)))
    after = figures(held_out >= best, y, gold)
    fitted = LogisticRegression(C=C, max_iter=5000).fit(X, y)
    print(f"{len(y)} candidates in rounds {', '.join(map(str, read))}; {gold} labels")
    print(f"fixed rule {before[0]:.3f} / {before[1]:.3f} (F1 {f1(*before):.3f})")
    for t in THRESHOLDS[::5]:
        p, r = figures(held_out >= t, y, gold)
        print(f"  threshold {t:.2f}: {p:.3f} / {r:.3f} (F1 {f1(p, r):.3f})")
    print(f"chosen threshold {best:.2f}: {after[0]:.3f} / {after[1]:.3f} (F1 {f1(*after):.3f})")
    about = (
        f"Logistic combination of lexicon evidence and model probability, trained on "
        f"{len(y)} candidates of tuning rounds {', '.join(map(str, read))} read blind "
        f"(lexicon of their day, model trained without their fold; "
        f"scripts/train_suggestion_combiner.py, C={C}). Each round read with a combination "
        f"trained on the others: fixed rule {before[0]:.3f} / {before[1]:.3f}, this "
        f"combination at threshold {best:.2f} (the highest F1) {after[0]:.3f} / {after[1]:.3f} "
        f"(precision / recall of the candidates' features against all {gold} labels)."
    )
    data = {
        "about": about,
        "rounds": list(read),
        "codes": codes,
        "coef": [round(float(w), 6) for w in fitted.coef_[0]],
        "intercept": round(float(fitted.intercept_[0]), 6),
        "threshold": best,
    }
    OUTPUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
