"""A trained second opinion on weak lexicon evidence.

The lexicon (`engine.py`) suggests a feature when the terms it matched reach full weight.
Text written by other people often states a feature with words that only partly match
(a partial term, one word of a family): evidence too weak to suggest on its own, and
mostly right. This module holds a linear model trained on the hand-labelled descriptions
(`tests/data/suggest_labelled*.json`, tuning parts only), one logistic regression per
feature over TF-IDF weighted word 1–2-grams and within-word character 3–5-grams of the
folded text. The engine asks it about paragraphs only (`engine.MODEL_MIN_WORDS`) and only
about features the lexicon found words for: it adds weakly worded ones it finds likely
(`engine.MODEL_MIN_EVIDENCE`, `engine.MODEL_MIN_PROBABILITY`) and drops fully worded ones it
finds very unlikely (`engine.MODEL_VETO`). Where the learnt combination (`combiner.py`) is
shipped, it also puts to it the features no term matched that the model finds likely
(`engine.MODEL_ALONE`); such a suggestion shows the words the model weighed most
(`strongest_words`), so every suggestion still shows the words behind it.

The weights are `data/taxonomy/feature_model.npz`, written by
`scripts/train_suggestion_model.py` (which needs scikit-learn; nothing here does). The
vectorising below reproduces scikit-learn's `TfidfVectorizer` (sublinear tf, smoothed idf,
L2 norm per part) so that the shipped weights mean what they meant in training; the
training script checks that the two agree before it writes the file.
"""

import json
import math
import re
from collections import Counter
from functools import lru_cache

import numpy as np

from clusterbridge.core.reference import DATA_DIR
from clusterbridge.core.search import fold

MODEL_PATH = DATA_DIR / "taxonomy" / "feature_model.npz"
WORD = re.compile(r"(?u)\b\w+\b")
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (3, 5)


def word_ngrams(folded: str) -> list[str]:
    tokens = WORD.findall(folded)
    grams = list(tokens)
    for n in range(2, WORD_NGRAMS[1] + 1):
        grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams


def char_ngrams(folded: str) -> list[str]:
    """Character n-grams inside each word padded with one space ("char_wb")."""
    grams = []
    low, high = CHAR_NGRAMS
    for word in folded.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) <= n:
                grams.append(padded)  # a word no longer than n counts once, whole
                break
            grams += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return grams


class FeatureModel:
    def __init__(self, arrays) -> None:
        self.about = json.loads(str(arrays["about"]))
        self.codes = [str(code) for code in arrays["codes"]]
        self.row_of = {code: row for row, code in enumerate(self.codes)}
        words = [str(w) for w in arrays["words"]]
        chars = [str(c) for c in arrays["chars"]]
        self.word_column = {gram: column for column, gram in enumerate(words)}
        self.char_column = {gram: column + len(words) for column, gram in enumerate(chars)}
        self.idf = np.concatenate([arrays["word_idf"], arrays["char_idf"]]).astype(np.float64)
        self.coef = arrays["coef"]  # int8, one row per feature, scaled by `scale`
        self.scale = arrays["scale"].astype(np.float64)
        self.intercept = arrays["intercept"].astype(np.float64)

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Columns and TF-IDF values of `text`, each part (words, characters) of unit length."""
        folded = fold(text)
        columns, values = [], []
        for grams, column_of in (
            (word_ngrams(folded), self.word_column),
            (char_ngrams(folded), self.char_column),
        ):
            counts = Counter(column_of[g] for g in grams if g in column_of)
            if not counts:
                continue
            part_columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            part = (1 + np.log(tf)) * self.idf[part_columns]
            columns.append(part_columns)
            values.append(part / math.sqrt(float(part @ part)))
        if not columns:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(columns), np.concatenate(values)

    def probabilities(self, text: str, codes) -> dict[str, float]:
        """The model's probability that `text` states each of `codes` it knows."""
        known = [code for code in codes if code in self.row_of]
        if not known:
            return {}
        rows = np.array([self.row_of[code] for code in known])
        columns, values = self.vector(text)
        weights = self.coef[np.ix_(rows, columns)].astype(np.float64)
        logits = (weights @ values) * self.scale[rows] + self.intercept[rows]
        return {code: 1 / (1 + math.exp(-z)) for code, z in zip(known, logits, strict=True)}

    def strongest_words(self, text: str, codes, count: int = 3) -> dict[str, list[str]]:
        """For each of `codes` it knows, the words of `text` that raise its probability most,
        as the text writes them: the evidence a person reads when no term matched.

        A word's share of the model's score: its own column, half of each word pair it is
        in, and its character n-grams, each shared out among the words that have it."""
        rows = {code: self.row_of[code] for code in codes if code in self.row_of}
        if not rows:
            return {}
        columns, values = self.vector(text)
        position = {column: i for i, column in enumerate(columns.tolist())}
        written: dict[str, str] = {}
        for word in dict.fromkeys(WORD.findall(text)):
            written.setdefault(fold(word), word)
        index = {word: i for i, word in enumerate(written)}
        links = []  # (word, position of a column in `columns`, the word's share of it)
        folded = fold(text)
        for gram in set(word_ngrams(folded)):
            at = position.get(self.word_column.get(gram, -1))
            if at is not None:
                parts = [index[part] for part in gram.split(" ") if part in index]
                links += [(word, at, 1 / len(parts)) for word in parts]
        holders: dict[int, set] = {}
        for token in set(folded.split()):
            owners = {index[w] for w in WORD.findall(token) if w in index}
            for gram in set(char_ngrams(token)):
                at = position.get(self.char_column.get(gram, -1))
                if at is not None:
                    holders.setdefault(at, set()).update(owners)
        links += [(word, at, 1 / len(owners)) for at, owners in holders.items() for word in owners]
        if not links:
            return {code: [] for code in rows}
        word_of, at_of, share = (np.array(part) for part in zip(*links, strict=True))
        words = list(written.values())
        found = {}
        for code, row in rows.items():
            contribution = self.coef[row, columns].astype(np.float64) * values
            totals = np.zeros(len(words))
            np.add.at(totals, word_of, contribution[at_of] * share)
            ranked = np.argsort(-totals, kind="stable")[:count]
            found[code] = [words[i] for i in ranked if totals[i] > 0]
        return found


@lru_cache(maxsize=1)
def feature_model() -> FeatureModel | None:
    """The shipped model, or None where its file is missing (the lexicon then works alone)."""
    if not MODEL_PATH.exists():
        return None
    with np.load(MODEL_PATH, allow_pickle=False) as arrays:
        return FeatureModel(arrays)
