"""Train the model that gives a second opinion on weak lexicon evidence
(`clusterbridge/suggestions/model.py`) and write `clusterbridge/data/taxonomy/feature_model.npz`.

Trained on the tuning items of the hand-labelled sets (`tests/data/suggest_labelled*.json`);
the fresh held-out sets, their second labellings and the labelled set's held-out part are
never read, so their figures stay unbiased. Deterministic: the same files give the same
weights. Needs scikit-learn, which the site itself does not:

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python scripts/train_suggestion_model.py

Before writing, it checks that the site's own vectorising and scoring reproduce
scikit-learn's on every training description (the weights are stored as 8-bit integers, so
probabilities may differ slightly; the largest difference is printed).
"""

import hashlib
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import sklearn
from joblib import Parallel, delayed
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CLUSTERBRIDGE_VAR_DIR", tempfile.mkdtemp(prefix="train-suggest-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbridge.settings")

import django  # noqa: E402

django.setup()

from clusterbridge.core.search import fold  # noqa: E402
from clusterbridge.suggestions import model as feature_model  # noqa: E402

DATA = ROOT / "tests" / "data"
OUTPUT = feature_model.MODEL_PATH
LABELLED_CATEGORIES = ("T", "P", "D", "G")
# Chosen on the ninth tuning part with the model trained on the parts before it (see
# docs/decisions.md): class weights and the solver. C and the vocabulary sizes were chosen
# again at 13,844 descriptions, training on the files before round 25 and scoring rounds
# 25–28 (average precision over every description and feature): C 1, 30,000 n-grams 0.793;
# C 3 0.805; 90,000 n-grams 0.809; both 0.823; 210,000 n-grams with C 3 0.824. With 90,000
# n-grams, C again: 6 0.828, 10 0.830, 20 0.832, 40 0.833, 80 0.833 (taken where doubling C
# gains under 0.001); with C 40, 135,000 n-grams 0.836, not worth a model half as large again
# (the combination's F1 0.8209 against 0.8204); unweighted classes (C 3) 0.814.
PARAMETERS = {
    "C": 40.0,
    "class_weight": "balanced",
    "solver": "liblinear",
    "min_examples": 3,
    "word_ngrams": list(feature_model.WORD_NGRAMS),
    "word_max_features": 30_000,
    "char_ngrams": list(feature_model.CHAR_NGRAMS),
    "char_max_features": 60_000,
    "min_df": 2,
}


def training_files() -> list[Path]:
    return sorted(
        path
        for path in DATA.glob("suggest_labelled*.json")
        if not path.stem.startswith("suggest_labelled_fresh")
    )


def training_items() -> tuple[list[dict], list[dict]]:
    items, sources = [], []
    for path in training_files():
        raw = path.read_bytes()
        chosen = [i for i in json.loads(raw)["items"] if i["split"] == "tuning"]
        items += chosen
        sources.append(
            {
                "file": f"tests/data/{path.name}",
                "sha256": hashlib.sha256(raw).hexdigest(),
                "descriptions": len(chosen),
            }
        )
    return items, sources


def vectorizers() -> list[TfidfVectorizer]:
    common = {"min_df": PARAMETERS["min_df"], "sublinear_tf": True, "lowercase": False}
    return [
        TfidfVectorizer(
            ngram_range=tuple(PARAMETERS["word_ngrams"]),
            token_pattern=feature_model.WORD.pattern,
            max_features=PARAMETERS["word_max_features"],
            **common,
        ),
        TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(PARAMETERS["char_ngrams"]),
            max_features=PARAMETERS["char_max_features"],
            **common,
        ),
    ]


def feature_codes(items: list[dict]) -> list[str]:
    """The features the model learns: labelled (T, P, D, G) at least `min_examples` times."""
    counts = Counter(c for item in items for c in item["features"] if c[0] in LABELLED_CATEGORIES)
    return sorted(c for c, n in counts.items() if n >= PARAMETERS["min_examples"])


def fit_one(matrix, labels: np.ndarray) -> LogisticRegression:
    return LogisticRegression(
        C=PARAMETERS["C"],
        class_weight=PARAMETERS["class_weight"],
        solver=PARAMETERS["solver"],
        random_state=0,
        max_iter=2000,
    ).fit(matrix, labels)


def fit(items: list[dict], codes: list[str], about: dict) -> tuple[dict, object, list]:
    """The model's arrays (as shipped) trained on `items` for `codes` (a feature without a
    labelled example among them is left out), the TF-IDF matrix, and scikit-learn's own
    probabilities for each feature kept."""
    folded = [fold(item["text"]) for item in items]
    words, chars = vectorizers()
    matrix = hstack([words.fit_transform(folded), chars.fit_transform(folded)]).tocsr()
    labels = {code: np.array([code in i["features"] for i in items], dtype=int) for code in codes}
    codes = [code for code in codes if labels[code].any()]
    # One regression per feature, independent of the others: in parallel, same result.
    matrix.sort_indices()
    fitted = Parallel(n_jobs=-1, max_nbytes=None)(
        delayed(fit_one)(matrix, labels[code]) for code in codes
    )
    coef = np.vstack([regression.coef_[0] for regression in fitted])
    scale = np.abs(coef).max(axis=1) / 127
    scale[scale == 0] = 1.0
    arrays = {
        "about": np.array(json.dumps(about)),
        "codes": np.array(codes),
        "words": np.array(words.get_feature_names_out(), dtype=str),
        "chars": np.array(chars.get_feature_names_out(), dtype=str),
        "word_idf": words.idf_.astype(np.float32),
        "char_idf": chars.idf_.astype(np.float32),
        "coef": np.round(coef / scale[:, None]).astype(np.int8),
        "scale": scale.astype(np.float32),
        "intercept": np.array([r.intercept_[0] for r in fitted], dtype=np.float32),
    }
    return arrays, matrix, [regression.predict_proba(matrix)[:, 1] for regression in fitted]


def main() -> None:
    items, sources = training_items()
    texts = [item["text"] for item in items]
    codes = feature_codes(items)
    about = {
        "about": (
            "Weights of the second opinion on weak lexicon evidence "
            "(clusterbridge/suggestions/model.py): one logistic regression per feature over "
            "TF-IDF weighted word and character n-grams, trained on the tuning items of the "
            "hand-labelled descriptions named below; written by scripts/train_suggestion_model.py."
        ),
        "trained_on": sources,
        "descriptions": len(items),
        "labels": sum(len(item["features"]) for item in items),
        "parameters": PARAMETERS,
        "scikit_learn": sklearn.__version__,
    }
    arrays, matrix, reference = fit(items, codes, about)
    codes = [str(code) for code in arrays["codes"]]
    shipped = feature_model.FeatureModel(arrays)
    # The site's vectorising must equal scikit-learn's, or the weights mean something else.
    vector_error, probability_error = 0.0, 0.0
    for row, text in enumerate(texts):
        columns, values = shipped.vector(text)
        dense = np.zeros(matrix.shape[1])
        dense[columns] = values
        vector_error = max(vector_error, float(np.abs(dense - matrix[row].toarray()[0]).max()))
        found = shipped.probabilities(text, codes)
        probability_error = max(
            probability_error,
            max(abs(found[code] - reference[k][row]) for k, code in enumerate(codes)),
        )
    if vector_error > 1e-5:
        raise SystemExit(f"vectorising differs from scikit-learn's by {vector_error:.2e}")
    # The largest difference over every training description and feature; it grows slowly
    # with the data (0.027 at 6,452 descriptions and C 1; 0.031 at 13,844 and C 3, 0.027 with
    # C 40). 8-bit weights keep the file a few MB.
    if probability_error > 0.04:
        raise SystemExit(f"8-bit weights move a probability by {probability_error:.3f}")
    with tempfile.NamedTemporaryFile(dir=OUTPUT.parent, suffix=".npz", delete=False) as handle:
        np.savez_compressed(handle, **arrays)
    Path(handle.name).replace(OUTPUT)
    print(
        f"{len(items)} descriptions, {about['labels']} labels, {len(codes)} features, "
        f"{matrix.shape[1]} n-grams; vectors equal scikit-learn's within {vector_error:.1e}, "
        f"probabilities within {probability_error:.4f}; "
        f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size / 1e6:.1f} MB)"
    )


if __name__ == "__main__":
    main()
