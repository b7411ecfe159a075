"""Suggest taxonomy features from a description, with the words that triggered each one.

The method is a weighted multilingual lexicon (`data/taxonomy/feature_lexicon.json`), with a
small linear model shipped in the package (`model.py`) as a second opinion on paragraphs:
nothing downloaded, every suggestion explained by the terms it matched or, where no term
matched and the learnt combination kept the model's reading, by the words the model weighed
most (`Suggestion.term_matched` is then false).

Matching rules:
- the text is lowercased and accent-folded (`core.search.fold`) and split into word tokens
  (letters and digits; hyphens, slashes and apostrophes split words);
- a term of one or more words matches its words in order, each next word directly after the
  previous one or after one skipped token, never skipping across a sentence or clause break
  (a verb form of a deverbal-noun term may skip up to VERB_GAP tokens to or from its object,
  none of them a preposition, not across a comma);
  in Lithuanian and Polish a two-word term also matches in the reverse order; a term word
  ending in "*" matches any token that starts with it, one ending in "=" only that exact
  form ("robot=": not Polish "robota", work); a "*" standing alone is no word at all (the
  one skipped token above already allows "warns * before"); any other term word matches a token
  with the same stem in the term's language (`stem`: case endings stripped in Lithuanian,
  Polish and German, so "duomenų" meets "duomenys" and "Drohnen" meets "Drohne");
- a Lithuanian verbal-noun term word ("vertinim*", "testavim*") also matches the verb forms
  a description uses instead ("vertinti", "vertinami", "testuoja"; `lt_verb_forms`), each
  exactly; so does a Spanish, French, Italian, German or Polish deverbal noun that starts a
  term ("almacenamiento de datos" → "almacena los datos", "datos almacenados"; "Speicherung
  von Daten" → "Daten speichern"; `verb_variants`);
- a German separable verb split over its clause ("wertet die Daten aus") is joined
  ("auswertet") when some German term uses the joined word, and matched again as if written
  so; a zu-infinitive ("auszuwerten") loses its "zu" (`join_separable_verbs`);
- an Italian or Spanish infinitive with a pronoun attached ("monitorarne", "compartirlo") is
  matched again as the bare infinitive (`strip_enclitics`);
- a term's first word may be coordinated with one other word before the rest ("detección y
  respuesta a incidentes" states "detección de incidentes"), its second word with one word
  before it ("data collection and storage" states "data storage"), inside one clause;
- a plain term weighs 1.0, `[term, weight]` weighs `weight`; each distinct term counts once
  however often it occurs, and a term whose words lie within words another term of the
  feature counted adds nothing (`evidence_weight`);
- a feature is suggested when the summed weight of its matched terms reaches 1.0; on a text
  of MODEL_MIN_WORDS words or more the trained model may also vouch for weaker evidence, or
  drop a feature it finds very unlikely (see MODEL_* below), and where the learnt
  combination of both (`combiner.py`) is shipped, it decides instead of that fixed rule,
  also on features no term matched that the model finds likely (MODEL_ALONE);
- score = 1 − 0.5 ** total: 0.5 at the threshold, 0.75 with twice the evidence, 0.875 with
  three times — it grows with the evidence and never reaches 1.

Which terms apply: those of the text's language (given, or guessed from common function words)
plus the "any" list (international terms such as "IoT", "blockchain", "LiDAR"). Terms of other
languages are left out because short terms collide across languages (Italian "ai" = "to
the"; English "AI"). When no language can be guessed, every language's terms apply.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from clusterbridge.core.reference import read_json
from clusterbridge.core.search import fold
from clusterbridge.suggestions.combiner import feature_combiner
from clusterbridge.suggestions.model import feature_model

LEXICON_PATH = "taxonomy/feature_lexicon.json"
LANGUAGES = ("en", "lt", "es", "fr", "de", "it", "pl")
ANY = "any"
THRESHOLD = 1.0
# The trained model (`model.py`) gives a second opinion on texts of MODEL_MIN_WORDS words or
# more. A feature whose words weigh at least MODEL_MIN_EVIDENCE but less than THRESHOLD (a
# partial term, one word of a family) is suggested when the model gives it at least
# MODEL_MIN_PROBABILITY; one whose words reach THRESHOLD is dropped when the model gives it
# less than MODEL_VETO (a term used in passing, or in another sense). Chosen over 36 tuning
# parts, each read with the lexicon as it was before it was tuned on and a model trained
# without it, by a rule fixed in advance (the most recall for at most one point of
# precision): 0.850 / 0.629 → 0.844 / 0.724 (docs/decisions.md).
# The model is not asked about shorter texts: it learnt from paragraphs (nine in ten of its
# descriptions have 50 words or more), and on one sentence its probabilities hover near one
# half (asked about the 214 one-sentence near-misses of tests/data/suggest_phrasings, it
# would have vouched for 50 at 0.4).
# Where `combiner.py`'s weights are shipped, they judge the features they were trained on
# in place of MODEL_MIN_PROBABILITY and MODEL_VETO (per feature, from the same two numbers
# and a few more); the evidence floor and the length stay.
# Where the combination is shipped, a feature no term matched is put to it when the model
# gives it at least MODEL_ALONE: text often states a feature in words no term lists (sensors
# in "blood pressure, temperature and blood oxygen measured"). Chosen over rounds 12–28, each
# read by the lexicon and model of its day with a combination trained on the other rounds:
# 0.802 / 0.772 → 0.815 / 0.788, F1 up in every round and every language (docs/decisions.md).
MODEL_ALONE = 0.6
MODEL_MIN_EVIDENCE = 0.3
MODEL_MIN_PROBABILITY = 0.45
MODEL_VETO = 0.15
MODEL_MIN_WORDS = 30
# Multi-word term variants. GAP: words a multi-word term may skip between two of its words
# ("emergency medical services" for "emergency services", "collecte des données
# recueillies"), never across a sentence or clause break (. ; : ! ? brackets, dashes).
# FREE_ORDER: languages whose two-word terms also match in the other order, because word
# order is free and the genitive moves ("duomenų saugojimas" / "saugoti duomenis",
# "analiza danych" / "danych analiza"). Chosen on the tuning part with the lexicon as written
# before any tuning (recall 0.715 → 0.732 at precision 0.937 → 0.933), a stand-in for text no
# term was written for; English, French, Spanish and Italian in free order cost precision.
GAP = 1
FREE_ORDER = {"lt", "pl"}
# Coordinating conjunctions of the seven languages (folded) and the link words between a
# head noun and its complement, for coordinated phrases ("detección y respuesta a
# incidentes" states both "detección de incidentes" and "respuesta a incidentes").
CONJUNCTIONS = frozenset(
    {"and", "or", "et", "ou", "y", "e", "o", "ed", "und", "oder", "sowie", "i", "ir", "bei"}
    | {"ar", "oraz", "lub"}
)
ARTICLES = frozenset(
    {"the", "le", "la", "les", "l", "el", "los", "las", "il", "lo", "gli", "i", "die", "der"}
    | {"das", "den", "dem"}
)
LINKS = frozenset(
    {"of", "for", "to", "de", "des", "du", "d", "a", "al", "del", "di", "dei", "degli", "delle"}
    | {"della", "dello", "da", "von", "der", "fur", "zu"}
)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)

# Frequent function words, used only to guess the language of a text.
_FUNCTION_WORDS = {
    "en": "the and of to in for with is are that this on by be from which will",
    "lt": "ir yra su kad bei arba iki nuo kuris kurie kurios pagal taip jos jo del ar apie tik"
    " savo prie tarp kaip bus buvo kurio kuri nes jei",
    "es": "el la los las y de del en para con por que una un se es al sus",
    "fr": "le la les et des du de en pour avec par que une un est au aux sur dans",
    "de": "der die das und mit fur von zu den ist ein eine im auf des dem sich werden",
    "it": "il lo la gli le e di del della dei per con che una un sono nel alla delle",
    "pl": "i w z na do dla oraz sie jest przez ktore ktory od po jak lub sa to",
}
_LANGUAGE_OF_WORD: dict[str, list[str]] = defaultdict(list)
for _language, _words in _FUNCTION_WORDS.items():
    for _word in _words.split():
        _LANGUAGE_OF_WORD[_word].append(_language)


# Case endings of the three most inflected languages (accent-folded), longest first; `stem`
# strips the first that leaves at least STEM_MIN letters. Not a linguistic stemmer: enough
# that a term written in one case without "*" meets the others. Measured on the labelled set,
# stripping English, Spanish, French or Italian endings too cost precision and gained nothing
# (their terms already carry "*" where words inflect). "any" terms are not stemmed.
STEM_MIN = 4
# Polish keeps three letters: the verb-form variants put a term's genitive object
# ("gromadzenie danych") in the accusative ("gromadzi dane"), and "dan-" is three letters.
# Tuning part: Polish recall 0.887 → 0.903; stand-in 0.726 → 0.774, precision not lower.
STEM_MIN_OF = {"pl": 3}
_ENDINGS = {
    "lt": "iuose uose iems ams ose oje ojo ais ius ios iai iu es as is ys us os ai ei ui "
    "a e i u o y",
    "de": "en n e",
    "pl": "owie ami ach ego emu owa owe owy ych ymi iem ow om ie ia iu ej em ym a e i o u y",
}
ENDINGS = {
    language: tuple(sorted(text.split(), key=len, reverse=True))
    for language, text in _ENDINGS.items()
}


# Lithuanian verbal nouns and the verb forms a description uses instead (accent-folded):
# a term word "vertinim*" (evaluation) also meets "vertinti", "vertina", "vertinami",
# "vertins" (to evaluate, evaluates, being evaluated, will evaluate). Suffix of the noun →
# endings of the verb added to the root. Forms that are also common nouns are left out
# ("saugos" is "of security" as well as "will store"); the present tense (-a, -ia, -o, -i)
# only for roots of 5 letters or more ("rinka" is a market, not "collects").
# Measured on the tuning part with the lexicon as written before tuning: Lithuanian recall
# 0.722 → 0.778, precision 0.897 → 0.903. The same for Polish (-anie/-enie → -a, -uje,
# -one…) changed nothing there and was left out.
LT_VERB_FORMS = {
    "avim": ("uoti", "uoja", "uojama", "uojami", "uojamas", "uojamos", "uos", "avo"),
    "ojim": ("oti", "oma", "omi", "omas", "omos", "o"),
    "ejim": ("eti", "ima", "imi", "imas", "imos", "es", "i"),
    "ym": ("yti", "oma", "omi", "omas", "omos", "ys", "o"),
    "im": ("ti", "ama", "ami", "amas", "amos", "iama", "iami", "iamas", "iamos", "s", "a", "ia"),
}
LT_VERB_MIN_ROOT = 4
LT_PRESENT = {"a", "ia", "o", "i"}
LT_PRESENT_MIN_ROOT = 5


def lt_verb_forms(word: str) -> list[str]:
    """The verb forms of a Lithuanian verbal-noun term word ("mazinim*"), else []."""
    if not word.endswith("*"):
        return []
    for suffix, endings in LT_VERB_FORMS.items():
        if word[:-1].endswith(suffix):
            root = word[: -1 - len(suffix)]
            if len(root) < LT_VERB_MIN_ROOT:
                return []
            return [
                root + ending + "="  # "=": this exact form, not stemmed
                for ending in endings
                if ending not in LT_PRESENT or len(root) >= LT_PRESENT_MIN_ROOT
            ]
    return []


# Spanish, French and Italian deverbal nouns and the verb forms a description uses instead
# (accent-folded): "almacenamiento de datos" is also written "almacena los datos" or "datos
# almacenados", "stockage des données" "données stockées", "archiviazione dei dati" "dati
# archiviati". Noun suffix → letters it drops and adds → endings of the verb added to that
# root ("detección" → "detect" + "ar", "ado"…); the root must keep ROMANCE_VERB_MIN_ROOT
# letters ("estación" → "estar" stays out). Irregular nouns are listed with their forms.
# Each form matches exactly, never as a stem.
_ROMANCE_FORMS = {
    "es": "ar a an ado ada ados adas ando amos",
    "fr": "er e es ent ee ees ant ons",
    "it": "are a ano ato ata ati ate ando iamo",
}
# Nouns in -imiento / -imento come from -er / -ere verbs ("reconocimiento" → "reconoce",
# "riconoscimento" → "riconosciuto").
_ROMANCE_FORMS_ER = {
    "es": "er e en ido ida idos idas iendo emos",
    "it": "ere e ono iuto iuta iuti iute endo iamo",
}
ROMANCE_VERB_SUFFIXES = {
    "es": (("ccion", 5, "ct"), ("acion", 5, ""), ("amiento", 7, ""), ("imiento", 7, "")),
    "fr": (
        ("ction", 3, ""),
        ("ication", 6, ""),
        ("ation", 5, ""),
        ("age", 3, ""),
        ("ement", 5, ""),
    ),
    "it": (("azione", 6, ""), ("amento", 6, ""), ("aggio", 5, ""), ("imento", 6, "")),
}
ROMANCE_IRREGULAR = {
    "es": {
        "analisis": "analizar analiza analizan analizado analizada analizados analizadas "
        "analizamos",
        "gestion": "gestionar gestiona gestionan gestionado gestionada gestionados gestionadas "
        "gestionamos",
        "desarrollo": "desarrollar desarrolla desarrollan desarrollado desarrollada "
        "desarrollados desarrolladas desarrollamos",
        "intercambio": "intercambiar intercambia intercambian intercambiado intercambiada "
        "intercambiados intercambiadas intercambiamos",
        "recogida": "recoger recoge recogen recogido recogidos recogidas recogemos",
        "comparticion": "compartir comparte comparten compartido compartida compartidos "
        "compartidas compartimos",
    },
    "fr": {
        "gestion": "gerer gere gerent geree gerees geres gerons",
        "analyse": "analyser analysent analysee analysees analyses analysons",
        "collecte": "collecter collectent collectee collectees collectes collectons",
        "partage": "partager partagent partagee partagees partages partageons",
        "reconnaissance": "reconnaitre reconnait reconnaissent reconnu reconnue reconnus reconnues",
        "suivi": "suivre suit suivent suivie suivis suivies suivons",
    },
    "it": {
        "analisi": "analizzare analizza analizzano analizzato analizzata analizzati analizzate "
        "analizziamo",
        "gestione": "gestire gestisce gestiscono gestito gestita gestiti gestite gestiamo",
        "sviluppo": "sviluppare sviluppa sviluppano sviluppato sviluppata sviluppati sviluppate "
        "sviluppiamo",
        "scambio": "scambiare scambia scambiano scambiato scambiata scambiati scambiate scambiamo",
        "raccolta": "raccogliere raccoglie raccolgono raccolto raccolti raccolte raccogliamo",
        "condivisione": "condividere condivide condividono condiviso condivisa condivisi condivise "
        "condividiamo",
        "acquisizione": "acquisire acquisisce acquisiscono acquisito acquisita acquisiti acquisite "
        "acquisiamo",
    },
}
ROMANCE_VERB_MIN_ROOT = 5
# Words between a deverbal noun and its object in a term ("stockage des données"), dropped
# when the noun becomes a verb ("stocker les données", "données stockées").
ROMANCE_LINKS = {"de", "des", "du", "d", "di", "dei", "degli", "delle", "della", "del"} | {
    "dello",
    "dell",  # elided: "monitoraggio dell'impatto" → "monitorare l'impatto"
}


@lru_cache(maxsize=8192)
def romance_verb_forms(word: str, language: str) -> frozenset[str]:
    """The verb forms of a Spanish, French or Italian deverbal-noun term word (each matches
    exactly), else an empty set."""
    if word.endswith("*") or language not in ROMANCE_VERB_SUFFIXES:
        return frozenset()
    irregular = ROMANCE_IRREGULAR[language].get(word)
    if irregular:
        return frozenset(irregular.split())
    for suffix, dropped, added in ROMANCE_VERB_SUFFIXES[language]:
        if word.endswith(suffix):
            root = word[:-dropped] + added
            if len(root) < ROMANCE_VERB_MIN_ROOT:
                return frozenset()
            endings = _ROMANCE_FORMS[language]
            if suffix in ("imiento", "imento"):
                endings = _ROMANCE_FORMS_ER[language]
            forms = {root + ending for ending in endings.split()}
            if language == "it":  # "archiviamo", "comunichiamo"
                forms.discard(root + "iamo")
                forms.add(root[:-1] + "iamo" if root.endswith("i") else root + "iamo")
                if root.endswith(("c", "g")):
                    forms.add(root + "hiamo")
                    forms.discard(root + "iamo")
            return frozenset(forms)
    return frozenset()


# German nouns in -ung and the verb forms a description uses instead (accent-folded):
# "Speicherung von Daten" is also "Daten speichern", "speichert die Daten", "gespeicherte
# Daten"; "Anpassung" "angepasst", "Validierung" "validiert". Infinitive, third person and
# past participle (with its -e/-en endings), "ge-" placed after a separable prefix and left
# out after an inseparable one or for -ieren verbs. Nouns whose verb means something else are
# left out ("Bildung" / "bilden" = to form, "Berechtigung" / "berechtigt" = entitled).
DE_INSEPARABLE = ("be", "er", "ver", "zer", "ent", "emp", "miss", "ge", "uber", "unter")
DE_SEPARABLE = ("zusammen", "weiter", "wieder", "fort", "fest", "auf", "aus", "ein", "vor")
DE_SEPARABLE += ("nach", "mit", "an", "ab", "zu", "dar", "bei")
DE_VERB_EXCLUDED = {"bildung", "berechtigung", "ermittlung", "leistung", "ordnung", "haltung"}
DE_VERB_MIN_ROOT = 4


@lru_cache(maxsize=8192)
def german_verb_forms(word: str) -> frozenset[str]:
    """The verb forms of a German -ung term word ("speicherung", "erprobung*"), else empty."""
    noun = word.rstrip("*")
    if not noun.endswith("ung") or noun in DE_VERB_EXCLUDED:
        return frozenset()
    root = noun[:-3]
    if len(root) < DE_VERB_MIN_ROOT:
        return frozenset()
    if root.endswith("l") and root[-2] not in "aeiouyl":
        root = root[:-1] + "el"  # "Entwicklung" → "entwickeln", "Sammlung" → "sammeln"
    if root.endswith("ier"):
        infinitive, third = root + "en", root + "t"
    elif root.endswith(("er", "el")):
        infinitive, third = root + "n", root + "t"
    elif root.endswith(("t", "d")):
        infinitive, third = root + "en", root + "et"
    else:
        infinitive, third = root + "en", root + "t"
    if root.endswith("ier") or root.startswith(DE_INSEPARABLE):
        participle = third
    else:
        prefix = next((p for p in DE_SEPARABLE if root.startswith(p)), "")
        participle = prefix + "ge" + third[len(prefix) :]
    return frozenset({infinitive, third, participle, participle + "e", participle + "en"})


# Polish verbal nouns in -anie/-enie (term words "przechowywani*", "gromadzeni*") and the
# verb forms a description uses instead: "przechowuje", "przechowywane", "gromadzi",
# "gromadzone". Roots of at least PL_VERB_MIN_ROOT letters ("uczenie" → "uczy" = teaches
# stays out); forms that are common words with another meaning are left out ("przewiduje"
# = "provides for", "planowany" = "scheduled").
PL_VERB_MIN_ROOT = 4
PL_VERB_EXCLUDED = {"przewiduje", "przewiduja", "planowany", "planowana", "planowane", "widzi"}


@lru_cache(maxsize=8192)
def polish_verb_forms(word: str) -> frozenset[str]:
    """The verb forms of a Polish -anie/-enie term word, else an empty set."""
    noun = word.rstrip("*")
    if noun.endswith(("anie", "enie")):
        noun = noun[:-1]
    if not noun.endswith(("ani", "eni")):
        return frozenset()
    root = noun[:-3]
    if len(root) < PL_VERB_MIN_ROOT:
        return frozenset()
    if noun.endswith("ani"):
        forms = {root + ending for ending in ("ac", "a", "aja", "any", "ana", "ane", "ani")}
        if root.endswith(("ow", "yw", "iw")):  # planowanie → planuje, pozyskiwanie → pozyskuje
            forms |= {root[:-2] + "uje", root[:-2] + "uja"}
    else:
        vowel = "y" if root.endswith(("cz", "sz", "rz", "z")) and not root.endswith("dz") else "i"
        forms = {root + vowel + "c", root + vowel, root + "a"}  # gromadzić, gromadzi, gromadzą
        forms |= {root + ending for ending in ("one", "ony", "ona", "eni")}
    return frozenset(forms - PL_VERB_EXCLUDED)


VERB_FORMS = {"es": romance_verb_forms, "fr": romance_verb_forms, "it": romance_verb_forms}
VERB_FORMS["de"] = lambda word, language: german_verb_forms(word)
VERB_FORMS["pl"] = lambda word, language: polish_verb_forms(word)
VERB_LINKS = ROMANCE_LINKS | {"von", "der"}
# A verb form may stand further from its object than GAP: "Daten werden sicher verschlüsselt
# gespeichert", "informazioni dovranno essere condivise", "développe et teste un logiciel"
# (German sends the participle to the clause end, hence more words). Only within a clause
# (no break or comma) and without a preposition in between, which starts another phrase
# ("sviluppano sistemi lidar per applicazioni" is no "sviluppo di applicazioni").
# Tuning parts: first 0.904 → 0.906 recall, third 0.776 → 0.778, second unchanged; precision
# unchanged on all three.
VERB_GAP = {"de": 5, "es": 3, "fr": 3, "it": 3, "pl": 3}
PREPOSITIONS = LINKS | frozenset(
    {"per", "pour", "para", "por", "con", "avec", "mit", "in", "en", "dans", "nel", "nella"}
    | {"w", "z", "na", "dla", "su", "sur", "with", "on", "by", "bei", "uber", "an", "auf"}
)


def verb_variants(words: tuple, language: str) -> list[tuple]:
    """A term whose first word is a deverbal noun, written with the verb instead: the verb
    before its object ("stocker les données") or after it ("données stockées", "Daten
    speichern"). The verb is one term word, the set of its forms, so the variants stay two."""
    forms = VERB_FORMS[language](words[0], language)
    if not forms:
        return []
    rest = words[1:]
    if len(rest) >= 2 and rest[0] in VERB_LINKS:
        rest = rest[1:]
    if len(rest) == 1:  # "données stockées", "Daten speichern": object and verb, two words
        return [(forms, *rest), (*rest, forms)]
    return [(forms, *rest)]


@lru_cache(maxsize=65536)
def stem(word: str, language: str) -> str:
    minimum = STEM_MIN_OF.get(language, STEM_MIN)
    for ending in ENDINGS.get(language, ()):
        if word.endswith(ending) and len(word) - len(ending) >= minimum:
            return word[: -len(ending)]
    return word


@dataclass(frozen=True)
class Suggestion:
    code: str
    score: float
    evidence: list[str] = field(default_factory=list)
    # Set when the words fell short of THRESHOLD and the trained model (or the learnt
    # combination, which reads its opinion) vouched for them.
    model_probability: float | None = None

    @property
    def term_matched(self) -> bool:
        """False when no term of the feature matched and the evidence is the words the
        model weighed most (score_of(0) is 0; any matched term scores more)."""
        return self.score > 0


@dataclass(frozen=True)
class Term:
    feature: str
    language: str
    # folded; a trailing "*" marks a prefix, "=" an exact form; a set holds a verb's forms
    words: tuple
    weight: float
    text: str  # as written in the lexicon, for the record
    key: tuple[str, ...] = ()
    reach: int = GAP  # words the last term word may skip (VERB_GAP for a verb and its object)

    def word_matches(self, word, token: str) -> bool:
        if word.__class__ is frozenset:  # verb forms, each exactly
            return token in word
        if word.endswith("*"):
            return token.startswith(word[:-1])
        if word.endswith("="):
            return token == word[:-1]
        return token == word or (
            self.language != ANY and stem(token, self.language) == stem(word, self.language)
        )

    def match_end(
        self, tokens: list[str], start: int, breaks=frozenset(), conjunctions=None, commas=()
    ):
        """Index after the last token matched from `start`, or -1. `conjunctions`: the
        positions of conjunctions in `tokens`, if known (to skip the coordination rule); when
        given, the first word is known to match (`Lexicon.candidates` found the term by it)."""
        if conjunctions is None and not self.word_matches(self.words[0], tokens[start]):
            return -1
        end = self._match_rest(tokens, start + 1, self.words[1:], breaks, commas=commas)
        if (
            end < 0
            and len(self.words) > 1
            and (conjunctions is None or start + 1 in conjunctions or start + 2 in conjunctions)
        ):
            end = self._match_coordinated(tokens, start, breaks)
        return end

    def _match_coordinated(self, tokens: list[str], start: int, breaks) -> int:
        """The first word coordinated with one other word before the rest of the term:
        "detección y respuesta a incidentes" for "detección de incidentes", "la collecte et
        le stockage sécurisé de données" for "collecte de données". The other word may have
        an article before it and one word after it, the term's link word ("de") may be the
        other one's ("a"); or the second word coordinated with one before it: "data
        collection and storage" for "data storage". Never across a clause break."""
        if len(self.words) >= 2 and self.words[1] not in LINKS:
            conjunction = start + 2
            if (
                conjunction + 1 < len(tokens)
                and tokens[conjunction] in CONJUNCTIONS
                and not any(i in breaks for i in range(start + 1, conjunction + 2))
            ):
                end = self._match_rest(tokens, conjunction + 1, self.words[1:], breaks, gap=0)
                if end > 0:
                    return end
        conjunction, other = start + 1, start + 2
        if other + 1 >= len(tokens) or tokens[conjunction] not in CONJUNCTIONS:
            return -1
        if tokens[other] in ARTICLES:
            other += 1  # "la collecte et le stockage de données"
            if other + 1 >= len(tokens):
                return -1
        if any(i in breaks for i in range(conjunction, other + 2)):
            return -1
        rest = self.words[1:]
        position = other + 1
        if rest[0] in LINKS and len(rest) > 1:
            if tokens[position] not in LINKS and position + 1 < len(tokens):
                position += 1  # one adjective: "le stockage sécurisé de données"
                if position in breaks:
                    return -1
            if tokens[position] not in LINKS:
                return -1
            rest, position = rest[1:], position + 1
        return self._match_rest(tokens, position, rest, breaks, gap=0)

    def _match_rest(self, tokens, position, words, breaks, gap=GAP, commas=()) -> int:
        last = len(words) - 1
        for index, word in enumerate(words):
            # A verb form and its object, the term's last word: they may stand further apart.
            reach = self.reach if gap and index == last else gap
            blocked = False  # a preposition or a comma skipped: no further than `gap`
            for skip in range(reach + 1):
                at = position + skip
                # Never across a sentence or clause break, whether words are skipped or the
                # next word starts the next sentence ("szkody. Zakres").
                if at >= len(tokens) or at in breaks:
                    return -1
                if skip and reach > gap:
                    if tokens[at - 1] in PREPOSITIONS or at in commas:
                        blocked = True
                    blocked = blocked or (skip == 1 and position in commas)
                    if blocked and skip > gap:
                        return -1  # "sviluppano sistemi lidar per applicazioni"
                if self.word_matches(word, tokens[at]):
                    position += skip + 1
                    break
            else:
                return -1
        return position


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


_BREAK = re.compile(r"[.;:!?()\[\]–—]")


def tokenize_with_breaks(text: str, commas: set[int] | None = None):
    """Tokens and the positions of the tokens after a sentence or clause break; `commas`, if
    given, collects the positions of the tokens after a comma (German clause ends)."""
    tokens, breaks, previous_end = [], set(), None
    folded = fold(text)
    for match in _TOKEN.finditer(folded):
        if previous_end is not None:
            if _BREAK.search(folded, previous_end, match.start()):
                breaks.add(len(tokens))
            elif commas is not None and folded.find(",", previous_end, match.start()) >= 0:
                commas.add(len(tokens))
        tokens.append(match.group())
        previous_end = match.end()
    return tokens, breaks


# German separable verbs: "wertet die Daten aus" is "auswertet" split, the particle sent to
# the clause end. A particle that ends a clause (before a break, a comma, "und"/"oder" or the
# end) is joined to each earlier word of its clause, and the first join that some German term
# uses ("auswertet", a form of "Auswertung"; "ausstellen" of "Ausstellung*") stands in for
# that word; a zu-infinitive ("auszuwerten") loses its "zu". Only joins a term uses count,
# so "baut auf Daten auf" never makes "aufdaten". SEPARABLE_REACH: how far back the verb
# may be (a main clause: subject, verb, objects).
DE_PARTICLES = frozenset(
    {"aus", "auf", "ab", "an", "ein", "durch", "bereit", "vor", "zusammen", "mit", "fest"}
    | {"her", "weiter", "zuruck", "dar", "um", "nach", "bei", "fort", "hin", "zu", "wieder"}
)
DE_CLAUSE_JOINERS = frozenset({"und", "oder", "sowie", "sodass", "weil", "wenn", "um"})
SEPARABLE_REACH = 12
# Words before the verb that are never its stem: a particle joined with them makes a word some
# term's stem or prefix happens to match ("zusammen" + "es", "zusammen" + "die"), and the verb
# itself ("Es führt die Daten … zusammen") is then never tried.
DE_NOT_VERBS = frozenset(
    {"es", "er", "sie", "wir", "ihr", "ich", "du", "man", "der", "die", "das", "den", "dem"}
    | {"des", "ein", "eine", "einen", "einem", "einer", "eines", "dies", "diese", "dieser"}
    | {"dieses", "diesen", "diesem", "dann", "nun", "so", "auch", "noch", "jetzt", "hier"}
    | {"dort", "damit", "dabei", "dazu", "daher", "deshalb", "zudem", "sich", "uns", "ihnen"}
)


def join_separable_verbs(tokens, breaks, commas, compiled) -> tuple[list[str], list[int]]:
    """The tokens with German separable verbs joined, and the positions changed."""
    joined, changed = list(tokens), []
    clause_start = 0
    for position, token in enumerate(tokens):
        if position in breaks or position in commas:
            clause_start = position
        if token[:2] != "zu" and len(token) > 7:
            for particle in DE_PARTICLES:
                if token.startswith(particle + "zu") and len(token) - len(particle) >= 6:
                    verb = particle + token[len(particle) + 2 :]
                    if compiled.knows_german(verb):
                        joined[position] = verb
                        changed.append(position)
                    break
        if token not in DE_PARTICLES or position == clause_start:
            continue
        after = position + 1
        if not (
            after == len(tokens)
            or after in breaks
            or after in commas
            or tokens[after] in DE_CLAUSE_JOINERS
        ):
            continue
        for verb in range(max(clause_start, position - SEPARABLE_REACH), position):
            word = token + tokens[verb]
            if tokens[verb] in DE_PARTICLES or tokens[verb] in DE_NOT_VERBS:
                continue
            if compiled.knows_german(word, beyond=len(token)):
                joined[verb] = joined[position] = word
                changed += [verb, position]
                break
    return joined, changed


# Italian and Spanish attach object pronouns to the infinitive ("valutarne l'impatto",
# "verificarne il funzionamento", "compartirlo con terceros", "integrarla en"): the verb a
# term uses is hidden in one token. Such a token is matched again as the bare infinitive
# ("valutare", "compartir"), like a joined German separable verb; the original token stays
# for terms that use it as it is ("diverse fonti"). The infinitive must keep
# ENCLITIC_MIN_INFINITIVE letters.
ENCLITICS = {
    "it": ("gliele", "glielo", "gliela", "glieli", "gli", "lo", "la", "li", "le", "ne", "si")
    + ("ci", "vi"),
    "es": ("selos", "selas", "selo", "sela", "los", "las", "les", "nos", "lo", "la", "le")
    + ("se",),
}
ENCLITIC_MIN_INFINITIVE = 6


def strip_enclitics(tokens: list[str], language: str) -> tuple[list[str], list[int]]:
    """The tokens with each infinitive's attached pronoun removed, and the positions changed."""
    stripped, changed = list(tokens), []
    for position, token in enumerate(tokens):
        for clitic in ENCLITICS[language]:
            verb = token[: -len(clitic)]
            if token.endswith(clitic) and verb.endswith(("ar", "er", "ir")):
                infinitive = verb + "e" if language == "it" else verb
                if len(infinitive) >= ENCLITIC_MIN_INFINITIVE:
                    stripped[position] = infinitive
                    changed.append(position)
                break
    return stripped, changed


class Lexicon:
    """The lexicon compiled once: candidate terms indexed by their first word.

    Exact first words are looked up in one dict; prefix first words in another, keyed by the
    prefix, so a token costs one lookup per prefix length that occurs in the lexicon.
    """

    def __init__(self, data: dict):
        self.exact: dict[str, list[Term]] = defaultdict(list)
        # The same, per language: a text of known language looks up only its own terms and
        # "any" (verb-form variants made the exact index twice as large).
        self.exact_in: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.stemmed: dict[tuple[str, str], list[Term]] = defaultdict(list)
        self.prefix: dict[str, list[Term]] = defaultdict(list)
        self.features: set[str] = set()
        # Every word of every German term and variant (exact, stemmed, prefix), to tell a
        # joined separable verb ("aus" + "wertet") that some term uses from one none does.
        self.german_exact: set[str] = set()
        self.german_stems: set[str] = set()
        self.german_prefixes: set[str] = set()
        for code, by_language in data["features"].items():
            self.features.add(code)
            for language, entries in by_language.items():
                for entry in entries:
                    text, weight = (entry, 1.0) if isinstance(entry, str) else entry
                    words = tuple(tokenize_term(text))
                    if not words:
                        continue
                    variants = [words]
                    if language == "lt":
                        for position, word in enumerate(words):
                            for form in lt_verb_forms(word):
                                variants.append((*words[:position], form, *words[position + 1 :]))
                    if language in VERB_FORMS:
                        variants += verb_variants(words, language)
                    if language in FREE_ORDER and len(words) == 2:
                        variants += [variant[::-1] for variant in variants]
                        variants = list(dict.fromkeys(variants))
                    for variant in variants:
                        if language == "de":
                            self._know_german(variant)
                        reach = GAP
                        if len(variant) == 2 and frozenset in (type(w) for w in variant):
                            reach = VERB_GAP.get(language, GAP)
                        term = Term(code, language, variant, float(weight), text, words, reach)
                        first = variant[0]
                        if isinstance(first, frozenset):
                            for form in first:
                                self.exact[form].append(term)
                                self.exact_in[language][form].append(term)
                        elif first.endswith("*"):
                            self.prefix[first[:-1]].append(term)
                        elif first.endswith("="):
                            self.exact[first[:-1]].append(term)
                            self.exact_in[language][first[:-1]].append(term)
                        else:
                            self.exact[first].append(term)
                            self.exact_in[language][first].append(term)
                            if language != ANY:
                                self.stemmed[(language, stem(first, language))].append(term)
        self.prefix_lengths = sorted({len(p) for p in self.prefix})
        self.german_prefix_lengths = sorted({len(p) for p in self.german_prefixes})

    def _know_german(self, words: tuple) -> None:
        for word in words:
            if isinstance(word, frozenset):
                self.german_exact |= word
            elif word.endswith("*"):
                self.german_prefixes.add(word[:-1])
            elif word.endswith("="):
                self.german_exact.add(word[:-1])
            else:
                self.german_exact.add(word)
                self.german_stems.add(stem(word, "de"))

    def knows_german(self, word: str, beyond: int = 0) -> bool:
        """Whether some German term has a word that `word` matches; a prefix must be longer
        than `beyond` letters (a term's bare "zusammen*" does not make "zusammen" + any word
        a verb)."""
        if word in self.german_exact or stem(word, "de") in self.german_stems:
            return True
        return any(
            word[:length] in self.german_prefixes
            for length in self.german_prefix_lengths
            if beyond < length <= len(word)
        )

    def candidates(self, token: str, languages=None):
        if languages is None:
            yield from self.exact.get(token, ())
        else:
            for language in languages:
                by_token = self.exact_in.get(language)
                if by_token:
                    yield from by_token.get(token, ())
        for language in languages or LANGUAGES:
            if language == ANY:
                continue
            for term in self.stemmed.get((language, stem(token, language)), ()):
                if term.words[0] != token:  # found above already
                    yield term
        for length in self.prefix_lengths:
            if length > len(token):
                break
            yield from self.prefix.get(token[:length], ())


def tokenize_term(term: str) -> list[str]:
    # Same split as the text, keeping a trailing "*" (prefix) or "=" (exact form) on a word.
    return re.findall(r"[^\W_]+[*=]?", fold(term))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon(read_json(LEXICON_PATH))


def guess_language(tokens: list[str]) -> str | None:
    counts: dict[str, int] = defaultdict(int)
    for token in tokens:
        for language in _LANGUAGE_OF_WORD.get(token, ()):
            counts[language] += 1
    if not counts:
        return None
    best = max(counts.values())
    leaders = [language for language in LANGUAGES if counts.get(language) == best]
    return leaders[0] if len(leaders) == 1 else None


def score_of(total: float) -> float:
    return round(1 - 0.5**total, 3)


def evidence_weight(found) -> float:
    """The summed weight of the terms found, each (weight, words, start, end). Words one
    term counted add nothing through another term of the same feature that lies within
    them: one phrase is one piece of evidence, however many terms describe it ("buduje
    map*" and "buduj* map*"; "zusammenführ*" and "zusammenführen"). With tens of thousands
    of terms written by concept family, such overlaps are common, and each used to count
    again."""
    counted: list[tuple[int, int]] = []
    total = 0.0
    for weight, _, start, end in sorted(found, key=lambda f: (-f[0], f[2] - f[3])):
        if any(s <= start and end <= e for s, e in counted):
            continue
        counted.append((start, end))
        total += weight
    return total


def _match_terms(compiled, matched, tokens, starts, breaks, conjunctions, languages, commas):
    for start in starts:
        for term in compiled.candidates(tokens[start], languages):
            if languages is not None and term.language not in languages:
                continue
            seen = matched[term.feature].get(term.key)
            if seen is not None and seen[0] >= term.weight:
                continue
            end = term.match_end(tokens, start, breaks, conjunctions, commas)
            if end > 0:
                words = " ".join(tokens[start:end])
                matched[term.feature][term.key] = (term.weight, words, start, end)


@dataclass
class Found:
    """The words a text has for each feature: feature → term words → (weight, words seen,
    their span), keyed by the words, not the Term, so the same term listed under several
    languages counts once when the language is unknown; and each feature's summed weight."""

    words: int
    matched: dict
    totals: dict


def find_words(text: str, language: str | None = None, compiled=None) -> Found | None:
    """Every feature `text` has words for, however weak; None for a text without words.
    `compiled`: another lexicon than the shipped one (to read texts as an older one did)."""
    compiled = compiled or lexicon()
    commas: set[int] = set()
    tokens, breaks = tokenize_with_breaks(text or "", commas)
    conjunctions = {i for i, token in enumerate(tokens) if token in CONJUNCTIONS}
    if not tokens:
        return None
    if language is None:
        language = guess_language(tokens)
    languages = {language, ANY} if language in LANGUAGES else None
    matched: dict[str, dict[tuple[str, ...], tuple]] = defaultdict(dict)
    context = (breaks, conjunctions, languages, commas)
    _match_terms(compiled, matched, tokens, range(len(tokens)), *context)
    joined, changed = [], []
    if language == "de":
        joined, changed = join_separable_verbs(tokens, breaks, commas, compiled)
    elif language in ENCLITICS:
        joined, changed = strip_enclitics(tokens, language)
    if changed:
        # Again from a few words before each joined or bare verb, which a term may start with
        # ("Daten auswerten", "valutare l'impatto") or end on.
        starts = sorted({s for i in changed for s in range(max(0, i - 3), i + 1)})
        _match_terms(compiled, matched, joined, starts, *context)
    totals = {code: evidence_weight(terms.values()) for code, terms in matched.items()}
    return Found(len(tokens), matched, totals)


def candidates_of(totals: dict) -> set[str]:
    """The features whose words weigh enough to be decided on (MODEL_MIN_EVIDENCE)."""
    return {code for code, total in totals.items() if total + 1e-9 >= MODEL_MIN_EVIDENCE}


def fixed_rule(total: float, probability: float | None) -> bool:
    """The rule wherever the learnt combination does not judge: full words are suggested
    unless the model, when asked, finds the feature very unlikely; partial words only when
    it finds the feature likely."""
    if total + 1e-9 >= THRESHOLD:
        return probability is None or probability >= MODEL_VETO
    return probability is not None and probability >= MODEL_MIN_PROBABILITY


def model_opinion(model, text: str, candidates, judged=()) -> dict[str, float]:
    """The model's probability of each candidate it knows and of each feature of `judged`
    without enough words (not a candidate) that it gives at least MODEL_ALONE: the learnt
    combination decides on those too. One reading of the text for both."""
    candidates = set(candidates)
    every = model.probabilities(text, sorted(candidates | set(judged)))
    return {c: p for c, p in every.items() if c in candidates or p >= MODEL_ALONE}


def suggest(text: str, *, language: str | None = None) -> list[Suggestion]:
    """Features suggested by `text`, best first, each with the words that triggered it."""
    found = find_words(text, language)
    if found is None:
        return []
    totals, matched = dict(found.totals), found.matched
    candidates = candidates_of(totals)
    trained = feature_model() if found.words >= MODEL_MIN_WORDS else None
    # Where the combination judges a feature, its verdict stands; elsewhere the fixed rule.
    judge = feature_combiner() if trained is not None else None
    judged = judge.known if judge is not None else ()
    opinion = model_opinion(trained, text, candidates, judged) if trained is not None else {}
    totals |= {code: 0.0 for code in opinion if code not in totals}
    terms = {code: len(matched.get(code, ())) for code in opinion}
    verdicts = judge.verdicts(totals, opinion, terms, found.words) if judge else {}
    chosen = [
        code
        for code in candidates | verdicts.keys()
        if verdicts.get(code, fixed_rule(totals[code], opinion.get(code)))
    ]
    # With no words at all, the evidence is the words the model weighed most.
    weighed = [code for code in chosen if not matched.get(code)]
    strongest = trained.strongest_words(text, weighed) if weighed else {}
    suggestions = []
    for code in chosen:
        # Partial words are only ever suggested with the model's opinion, which is shown.
        partial = totals[code] + 1e-9 < THRESHOLD
        shown = round(opinion[code], 3) if partial else None
        evidence = _evidence(matched[code]) if matched.get(code) else strongest.get(code, [])
        suggestions.append(Suggestion(code, score_of(totals[code]), evidence, shown))
    suggestions.sort(key=lambda s: (-s.score, s.code))
    return suggestions


def _evidence(terms) -> list[str]:
    ranked = sorted(terms.values(), key=lambda item: -item[0])
    return list(dict.fromkeys(found[1] for found in ranked))
