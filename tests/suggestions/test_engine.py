"""The suggestion engine: matching rules, languages, and its quality on the held-out set."""

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from clusterbridge.suggestions import engine
from clusterbridge.suggestions.engine import Lexicon, suggest

# The engine reads the shipped lexicon and model, never the database: the SQLite half of
# `make test` runs these, the PostgreSQL half leaves them out (scripts/test.sh).
pytestmark = pytest.mark.same_on_every_database

LABELLED = Path(__file__).resolve().parents[1] / "data" / "suggest_labelled.json"


@pytest.fixture
def tiny(monkeypatch):
    """A small lexicon with known weights, to test the rules alone."""
    data = {
        "features": {
            "T1": {"en": ["machine learning", ["ai", 1.0]], "any": ["deep learning"]},
            "T13": {"en": ["drone*"], "pl": ["dron*", ["bezzałogow*", 0.7]]},
            "P3": {"en": [["anomal*", 0.6], ["intrusion*", 0.6]]},
            "P12": {"en": ["cyber security"]},
        }
    }
    monkeypatch.setattr(engine, "lexicon", lambda: Lexicon(data))


def codes(text, **kwargs):
    return [s.code for s in suggest(text, **kwargs)]


def test_multi_word_terms_match_consecutive_words_only(tiny):
    assert codes("We apply machine learning to audits.") == ["T1"]
    assert codes("A machine that supports learning.") == []


def test_multi_word_terms_may_skip_one_word_but_not_a_sentence_break(tiny):
    [found] = suggest("Cyber physical security for ports", language="en")
    assert found.code == "P12" and found.evidence == ["cyber physical security"]
    assert codes("Cyber, physical security", language="en") == ["P12"]  # a comma is no break
    assert codes("We test cyber ranges. Security is next.", language="en") == []
    # Nor when the next word of the term starts the next sentence.
    assert codes("We train in cyber. Security comes next.", language="en") == []
    assert codes("Cyber attacks on security", language="en") == []  # two words: too far


def test_two_word_terms_match_in_either_order_in_free_order_languages(monkeypatch):
    data = {"features": {"P7": {"lt": ["duomen* rinkim*"], "en": ["data collection"]}}}
    monkeypatch.setattr(engine, "lexicon", lambda: Lexicon(data))
    assert codes("Rinkimas duomenų iš jutiklių", language="lt") == ["P7"]
    assert codes("Collection data", language="en") == []  # English keeps its word order
    # Reversed or not, never across a sentence break ("…rinkimas. Duomenys…").
    assert codes("Baigtas rinkimas. Duomenys saugomi.", language="lt") == []


def test_lithuanian_verbal_noun_terms_meet_the_verb_forms(monkeypatch):
    data = {"features": {"P7": {"lt": ["duomen* rinkim*"]}, "P15": {"lt": ["poveik* vertinim*"]}}}
    monkeypatch.setattr(engine, "lexicon", lambda: Lexicon(data))
    assert codes("Programėlė leidžia rinkti duomenis", language="lt") == ["P7"]
    assert codes("Poveikis vertinamas kas mėnesį", language="lt") == ["P15"]
    [found] = suggest("Vertina poveikį aplinkai", language="lt")
    assert found.evidence == ["vertina poveiki"]  # free order, verb form
    # A root of four letters takes no present tense: "rinka" is a market, not "collects".
    assert codes("Duomenų rinka auga", language="lt") == []
    assert engine.lt_verb_forms("testavim*")[:2] == ["testuoti=", "testuoja="]
    assert engine.lt_verb_forms("kurim*") == []  # a root of three letters is too short


def test_romance_deverbal_noun_terms_meet_the_verb_forms(monkeypatch):
    data = {
        "features": {
            "P9": {
                "es": ["almacenamiento de datos"],
                "fr": ["stockage des donnees"],
                "it": ["archiviazione dei dati"],
            },
            "P7": {"it": ["raccolta dei dati"]},
        }
    }
    monkeypatch.setattr(engine, "lexicon", lambda: Lexicon(data))
    # The verb before its object, or its participle after it.
    assert codes("La plataforma almacena los datos cifrados", language="es") == ["P9"]
    assert codes("Todos los datos se almacenan en Europa", language="es") == ["P9"]
    assert codes("Les données sont stockées en France", language="fr") == ["P9"]
    [found] = suggest("I dati archiviati restano in Italia", language="it")
    assert found.code == "P9" and found.evidence == ["dati archiviati"]
    assert codes("I dati raccolti dai sensori", language="it") == ["P7"]  # irregular
    # A form matches exactly: the noun "almacén" (a warehouse) is not "to store".
    assert codes("El almacén de datos", language="es") == []
    assert codes("Data are stored", language="en") == []


def test_romance_deverbal_nouns_meet_the_first_person_plural(monkeypatch):
    data = {
        "features": {
            "P9": {"it": ["archiviazione dei dati"], "es": ["almacenamiento de datos"]},
            "T9": {"fr": ["developpement de logiciels"], "it": ["sviluppo software"]},
        }
    }
    monkeypatch.setattr(engine, "lexicon", lambda: Lexicon(data))
    assert codes("Archiviamo i dati in Italia", language="it") == ["P9"]
    assert codes("Almacenamos los datos en Europa", language="es") == ["P9"]
    assert codes("Nous développons des logiciels", language="fr") == ["T9"]
    assert codes("Sviluppiamo software per le scuole", language="it") == ["T9"]
    assert "comunichiamo" in engine.romance_verb_forms("comunicazione", "it")
    # A noun is no verb: "archivi" (archives) stays out.
    assert codes("Gli archivi dei dati", language="it") == []


def test_a_term_word_ending_in_equals_matches_that_exact_form_only(monkeypatch):
    # Polish "robot" stemmed would meet "robota" (work); "robot=" is the word itself.
    data = {"features": {"T6": {"pl": ["robot="]}, "D4": {"pl": ["z systemami="]}}}
    monkeypatch.setattr(engine, "lexicon", lambda: Lexicon(data))
    assert codes("Nasz robot spawa ramy.", language="pl") == ["T6"]
    assert codes("Ciężka robota w polu.", language="pl") == []
    assert codes("Łączymy go z systemami klienta.", language="pl") == ["D4"]
    assert codes("Łączymy go z systemem klienta.", language="pl") == []


def test_romance_verb_forms_keep_short_roots_and_prefixes_out():
    assert "almacenado" in engine.romance_verb_forms("almacenamiento", "es")
    assert "detectees" in engine.romance_verb_forms("detection", "fr")
    assert "reconocido" in engine.romance_verb_forms("reconocimiento", "es")  # an -er verb
    assert "riconosciuto" in engine.romance_verb_forms("riconoscimento", "it")
    # "estación" would give "estar" (to be): a root of three letters is too short.
    assert engine.romance_verb_forms("estacion", "es") == frozenset()
    assert engine.romance_verb_forms("detecc*", "es") == frozenset()
    assert engine.romance_verb_forms("detection", "en") == frozenset()


def test_coordinated_head_nouns_share_the_complement(monkeypatch):
    data = {
        "features": {
            "P3": {"es": ["deteccion de incidentes"], "de": ["entwicklung von prototypen"]},
            "P6": {"es": ["respuesta a incidentes"]},
        }
    }
    monkeypatch.setattr(engine, "lexicon", lambda: Lexicon(data))
    assert codes("Detección y respuesta a incidentes", language="es") == ["P3", "P6"]
    [found] = suggest("Entwicklung und Erprobung von Prototypen", language="de")
    assert found.evidence == ["entwicklung und erprobung von prototypen"]
    # Only inside one clause, and only one word coordinated.
    assert codes("Detección. Y respuesta a incidentes", language="es") == ["P6"]
    assert codes("Detección y muy rápida respuesta a incidentes", language="es") == ["P6"]
    assert codes("Detección con respuesta a incidentes", language="es") == ["P6"]


def test_coordinated_words_may_carry_an_article_and_an_adjective(monkeypatch):
    data = {
        "features": {
            "P7": {"fr": ["collecte de donnees"]},
            "P9": {"en": ["data storage"]},
        }
    }
    monkeypatch.setattr(engine, "lexicon", lambda: Lexicon(data))
    text = "La collecte et le stockage sécurisé de données de santé"
    assert codes(text, language="fr") == ["P7"]
    assert codes("La collecte et le stockage sécurisé. De données", language="fr") == []
    assert codes("Data collection and storage", language="en") == ["P9"]
    assert codes("Data collection in cloud storage", language="en") == []  # no conjunction


def test_german_ung_terms_meet_the_verb_forms(monkeypatch):
    data = {
        "features": {
            "P9": {"de": ["speicherung von daten"]},
            "D4": {"de": ["anpassung"]},
            "G9": {"de": ["bildung"]},
        }
    }
    monkeypatch.setattr(engine, "lexicon", lambda: Lexicon(data))
    assert codes("Wir speichern die Daten in Europa", language="de") == ["P9"]
    assert codes("Die gespeicherten Daten bleiben lokal", language="de") == ["P9"]
    assert codes("Alle Daten gespeichert", language="de") == ["P9"]
    assert codes("Das System wird an den Betrieb angepasst", language="de") == ["D4"]
    # "bilden" (to form) is not "Bildung" (education): such nouns get no verb forms.
    assert codes("Sie bilden ein Konsortium", language="de") == []
    assert engine.german_verb_forms("validierung") >= {"validieren", "validiert"}
    assert engine.german_verb_forms("entwicklung") >= {"entwickeln", "entwickelt"}
    assert "ausgewertet" in engine.german_verb_forms("auswertung")


def test_german_separable_verbs_split_across_the_clause_meet_the_terms(monkeypatch):
    data = {
        "features": {
            "P18": {"de": ["auswertung von daten"]},
            "G3": {"de": ["ausstellung*"]},
            "D7": {"de": ["durchfuhrung von tests"]},
        }
    }
    monkeypatch.setattr(engine, "lexicon", lambda: Lexicon(data))
    assert codes("Die Plattform wertet die Daten aus.", language="de") == ["P18"]
    assert codes("Wir werten alle Daten aus, bevor wir berichten", language="de") == ["P18"]
    assert codes("Wir stellen auf der Messe in Berlin aus und", language="de") == ["G3"]
    assert codes("Partner führen Tests durch", language="de") == ["D7"]
    assert codes("Wir planen, die Daten auszuwerten", language="de") == ["P18"]
    # The particle must end the clause: here "aus" starts a phrase ("aus Daten").
    assert codes("Die Plattform wertet Berichte aus Daten von Partnern", language="de") == []
    # Only joins some term uses: "Daten" + "aus" is no word, so nothing is made of it.
    assert codes("Sie nehmen Daten aus.", language="de") == []
    # Never across a clause: the verb and the particle belong to different clauses.
    assert codes("Er wertet Berichte, die Daten aus", language="de") == []


def test_a_german_particle_joins_the_verb_not_a_pronoun_or_a_bare_prefix(monkeypatch):
    # "zusammen*" is a word of some term, so "zusammen" + any word looks like a known word;
    # "zusammen" + "es" and "zusammen" + "plattform" were joined before the verb was tried.
    data = {
        "features": {
            "P8": {"de": ["zusammenfuhr* * daten", "zusammen* arbeiten"]},
        }
    }
    monkeypatch.setattr(engine, "lexicon", lambda: Lexicon(data))
    assert codes("Es führt die Daten aus drei Quellen zusammen.", language="de") == ["P8"]
    assert codes("Die Plattform führt die Daten aus drei Quellen zusammen.", language="de") == [
        "P8"
    ]


def test_a_verb_form_may_stand_a_few_words_from_its_object(monkeypatch):
    data = {
        "features": {
            "P9": {"de": ["speicherung von daten"]},
            "P10": {"it": ["condivisione delle informazioni"]},
            "T9": {"it": ["sviluppo di applicazioni"]},
        }
    }
    monkeypatch.setattr(engine, "lexicon", lambda: Lexicon(data))
    assert codes("Die Daten werden dort sicher verschlüsselt gespeichert", language="de") == ["P9"]
    assert codes("Le informazioni dovranno essere condivise", language="it") == ["P10"]
    # The object belongs to another phrase when a preposition stands between.
    assert codes("Sviluppano sistemi lidar per applicazioni", language="it") == []
    assert codes("Sie sichten Daten über Jahre und haben Berichte gespeichert", language="de") == []
    assert codes("Die Daten zeigen, wo Teams oft Berichte gespeichert", language="de") == []
    assert codes("Die Daten. Werden dort gespeichert", language="de") == []


def test_an_infinitive_with_an_attached_pronoun_meets_the_verb_terms(monkeypatch):
    data = {
        "features": {
            "P15": {"it": ["monitoraggio dell impatto"]},
            "P10": {"es": ["comparticion de datos", "compartir* con terceros"]},
            "P8": {"it": ["diverse fonti"]},
        }
    }
    monkeypatch.setattr(engine, "lexicon", lambda: Lexicon(data))
    # "monitorarne l'impatto": "monitorare" + "ne"; the elided "dell'" of the term is a link.
    assert codes("Il progetto deve monitorarne l'impatto ambientale", language="it") == ["P15"]
    assert codes("Si monitora l'impatto degli interventi", language="it") == ["P15"]
    assert codes("Pueden compartirlo con terceros", language="es") == ["P10"]
    # The original token stays: "diverse" is no infinitive with "se" attached.
    assert codes("Dati da diverse fonti", language="it") == ["P8"]
    assert engine.strip_enclitics(["verificarne", "il", "ponerse", "farlo"], "it") == (
        ["verificare", "il", "ponerse", "farlo"],
        [0],
    )
    assert engine.strip_enclitics(["integrarla", "analizarlos"], "es") == (
        ["integrar", "analizar"],
        [0, 1],
    )


def test_polish_verbal_noun_terms_meet_the_verb_forms(monkeypatch):
    data = {
        "features": {
            "P7": {"pl": ["gromadzeni* informacji", "gromadzeni* danych"]},
            "P9": {"pl": ["przechowywani*"]},
            "P1": {"pl": ["przewidywani*"]},
        }
    }
    monkeypatch.setattr(engine, "lexicon", lambda: Lexicon(data))
    assert codes("System gromadzi informacje z czujników", language="pl") == ["P7"]
    assert codes("Informacje gromadzone co minutę", language="pl") == ["P7"]  # free order
    assert codes("Firma przechowuje nagrania", language="pl") == ["P9"]
    # The genitive object of the noun ("danych") is in the accusative after the verb.
    assert codes("System gromadzi dane z czujników", language="pl") == ["P7"]
    # "przewiduje" is also "the programme provides for": left out.
    assert codes("Program przewiduje wsparcie", language="pl") == []
    assert engine.polish_verb_forms("uczeni*") == frozenset()  # "uczy" = teaches


def test_prefix_terms_and_evidence(tiny):
    [found] = suggest("Drones and DRONE swarms", language="en")
    assert found.code == "T13"
    assert found.evidence == ["drones"]  # one term, counted once


def test_hyphens_and_slashes_split_words(tiny):
    assert codes("Cyber-security for SMEs") == ["P12"]
    assert codes("cyber/security") == ["P12"]


def test_accents_are_folded(tiny):
    assert codes("Bezzałogowe statki i drony", language="pl") == ["T13"]


def test_weights_add_up_to_the_threshold(tiny):
    assert codes("anomalies were seen", language="en") == []  # 0.6 < 1.0
    [found] = suggest("anomalies and intrusions", language="en")
    assert found.code == "P3" and found.evidence == ["anomalies", "intrusions"]
    assert found.score == pytest.approx(1 - 0.5**1.2, abs=0.001)


def test_the_same_words_count_once_however_many_terms_describe_them(monkeypatch):
    data = {
        "features": {
            "T7": {"pl": [["buduje map*", 0.5], ["buduj* map*", 0.5], ["lokalizacj*", 0.5]]},
            "P8": {"de": [["zusammenfuhr*", 0.5], ["zusammenfuhren", 0.6]]},
        }
    }
    monkeypatch.setattr(engine, "lexicon", lambda: Lexicon(data))
    # Two partial terms on the same words are one piece of evidence, not two.
    assert codes("Firma buduje mapę drogową rozwoju.", language="pl") == []
    assert codes("Sie sollen ihre Ideen zusammenführen.", language="de") == []
    # Evidence from other words still adds up.
    assert codes("Robot buduje mapę i ustala lokalizację.", language="pl") == ["T7"]
    found = [(0.5, "buduje mape", 1, 3), (0.5, "buduje mape", 1, 3), (0.5, "mape", 2, 3)]
    assert engine.evidence_weight(found) == 0.5
    assert engine.evidence_weight([(0.5, "a", 0, 1), (0.5, "b", 4, 5)]) == 1.0


def test_more_evidence_scores_higher(tiny):
    one = suggest("machine learning", language="en")[0].score
    two = suggest("machine learning and deep learning", language="en")[0].score
    assert 0.5 <= one < two < 1


def test_other_languages_terms_do_not_apply(tiny):
    # Italian "ai" ("to the") is not the English acronym.
    assert codes("Contributi ai progetti di ricerca", language="it") == []
    assert codes("AI for public services", language="en") == ["T1"]
    assert codes("deep learning per i progetti", language="it") == ["T1"]  # international term


def test_language_is_guessed_from_function_words():
    assert (
        engine.guess_language(engine.tokenize("Le programme soutient les PME et la recherche"))
        == "fr"
    )
    assert (
        engine.guess_language(engine.tokenize("Programa remia mažas ir vidutines įmones")) == "lt"
    )
    assert engine.guess_language(engine.tokenize("Drones")) is None
    # Lithuanian "į" folds to Polish "i" ("and"): Lithuanian has words of its own to outvote it.
    lithuanian = (
        "Apie pirkimą: tiekėjas pagamins modulį, kurio parametrus patikrins savo laboratorijose, "
        "tik po to bus kviečiami į konsorciumą ir į asociaciją."
    )
    assert engine.guess_language(engine.tokenize(lithuanian)) == "lt"


def test_empty_text_suggests_nothing():
    assert suggest("") == [] and suggest("  ,;  ") == []


def test_real_lexicon_explains_suggestions_in_seven_languages():
    samples = {
        "en": ("Funding for machine learning in cybersecurity", {"T1", "P12"}),
        "lt": ("Dirbtinio intelekto sprendimai kibernetiniam saugumui", {"T1", "P12"}),
        "es": (
            "Desarrollo de un prototipo de dron para búsqueda y rescate",
            {"D2", "T13", "A-proximity-social-economy-civil-security"},
        ),
        "fr": ("Intelligence artificielle et cybersécurité pour les PME", {"T1", "P12"}),
        "de": ("Förderung von Drohnen und künstlicher Intelligenz", {"T13", "T1"}),
        "it": ("Sviluppo di un prototipo basato su intelligenza artificiale", {"D2", "T1"}),
        "pl": ("Wsparcie dla sztucznej inteligencji i cyberbezpieczeństwa", {"T1", "P12"}),
    }
    for language, (text, expected) in samples.items():
        found = suggest(text)
        assert expected <= {s.code for s in found}, (language, found)
        assert all(s.evidence for s in found)


def _counts(items):
    counts = defaultdict(lambda: [0, 0, 0])
    for item in items:
        # Language guessed, as in the API; application domains (A…) are not labelled in the set.
        predicted = {s.code for s in suggest(item["text"]) if s.code[0] in "TPDG"}
        expected = set(item["features"])
        for key in ("all", item["language"]):
            counts[key][0] += len(predicted & expected)
            counts[key][1] += len(predicted)
            counts[key][2] += len(expected)
    return counts


def test_the_labelled_set_has_100_descriptions_and_10_in_each_language():
    items = json.loads(LABELLED.read_text(encoding="utf-8"))["items"]
    assert len(items) >= 100
    per_language = Counter(item["language"] for item in items)
    assert len(per_language) == 7 and min(per_language.values()) >= 10
    held_out = Counter(item["language"] for item in items if item["split"] == "held-out")
    assert len(held_out) == 7 and min(held_out.values()) >= 7


def test_quality_on_the_held_out_part():
    items = json.loads(LABELLED.read_text(encoding="utf-8"))["items"]
    counts = _counts([item for item in items if item["split"] == "held-out"])
    tp, predicted, expected = counts["all"]
    # Measured (bench/suggestions.py): precision 0.938, recall 0.938; weakest languages pl
    # precision 0.880 and de recall 0.875. This part has been read while tuning, so it is no
    # longer an estimate for unseen text (the fresh sets below are); these guard what is.
    assert tp / predicted >= 0.92
    assert tp / expected >= 0.93
    for language, (tp, predicted, expected) in counts.items():
        assert tp / predicted >= 0.86 and tp / expected >= 0.86, language


def test_quality_on_the_tuning_part():
    items = json.loads(LABELLED.read_text(encoding="utf-8"))["items"]
    counts = _counts([item for item in items if item["split"] == "tuning"])
    tp, predicted, expected = counts["all"]
    # Measured: precision 0.995, recall 0.987 (110 descriptions; the weakest languages are
    # Lithuanian precision 0.982 and Italian recall 0.962; the model learnt from this part).
    assert tp / predicted >= 0.93 and tp / expected >= 0.96
    for language, (tp, predicted, expected) in counts.items():
        assert tp / predicted >= 0.9 and tp / expected >= 0.92, language


def _assert_floors(file_name, floors):
    precision, recall, language_precision, language_recall = floors
    path = LABELLED.parent / file_name
    counts = _counts(json.loads(path.read_text(encoding="utf-8"))["items"])
    tp, predicted, expected = counts["all"]
    assert tp / predicted >= precision and tp / expected >= recall
    for language, (tp, predicted, expected) in counts.items():
        assert tp / predicted >= language_precision, language
        assert tp / expected >= language_recall, language


# file: (precision, recall, precision in each language, recall in each language), a little
# under what bench/suggestions.py measures, shown after each line as overall precision /
# recall and the weakest language's. Each blind tuning part read 0.82-0.93 / 0.47-0.74
# before its own round (docs/decisions.md); these figures are what the engine was tuned to,
# and the trained model (model.py) learnt from these parts too. The ninth part was never
# tuned on by hand, only the model learnt from it; the tenth and eleventh were read before
# either learnt from them (0.847 / 0.666 and 0.821 / 0.731 with the first model), then the
# lexicon was tuned on them by pairs (one tenth and one eleventh file each); the twelfth
# likewise (0.826 / 0.712 first read), then tuned on one file each; the thirteenth likewise
# (0.863 / 0.753 first read); the fourteenth likewise (0.861 / 0.708 first read, 0.862 /
# 0.718 after the thirteenth's lexicon round); the fifteenth likewise (0.819 / 0.726 first
# read); the sixteenth likewise (0.829 / 0.729 first read); the seventeenth likewise (0.840 /
# 0.812 first read, with the learnt combination); the eighteenth likewise (0.844 / 0.815);
# the nineteenth likewise, written dense in processes (0.850 / 0.679); the twentieth likewise
# (0.849 / 0.708); the twenty-first likewise (0.837 / 0.730); the twenty-second (0.840 / 0.675);
# the twenty-third, read before the model learnt it (0.830 / 0.707); the twenty-fourth (0.828 /
# 0.743); the twenty-fifth, written by genre (0.822 / 0.745); the twenty-sixth (0.803 / 0.739);
# the twenty-seventh (0.815 / 0.744); the twenty-eighth, short texts (0.821 / 0.776). From the
# tenth on, each was read a second time, blind, and holds only the labels both readers gave
# (the floors of rounds 10-28 are set from the measure against those); the first reads of the
# twenty-third to twenty-eighth against them: 0.777 / 0.777, 0.783 / 0.782, 0.786 / 0.786,
# 0.755 / 0.793, 0.762 / 0.801 and 0.791 / 0.801.
# Where a model that learnt from a later round costs an early part a wrong suggestion in one
# language, that language's floor was lowered to the new measure; so where the learnt
# combination (combiner.py) dropped a right suggestion, and where it added a wrong one once
# it also judged features no term matched (engine.MODEL_ALONE: 5b and 17e, one language each).
TUNING_FLOORS = {
    "suggest_labelled_tuning2.json": (0.87, 0.96, 0.84, 0.94),  # 0.975 / 1.000; 0.949 / 1.000
    "suggest_labelled_tuning3.json": (0.92, 0.94, 0.84, 0.91),  # 0.990 / 1.000; 0.966 / 1.000
    "suggest_labelled_tuning4a.json": (0.88, 0.96, 0.85, 0.96),  # 0.982 / 1.000; 0.963 / 1.000
    "suggest_labelled_tuning4b.json": (0.89, 0.94, 0.82, 0.91),  # 0.970 / 1.000; 0.957 / 1.000
    "suggest_labelled_tuning5a.json": (0.90, 0.97, 0.87, 0.95),  # 0.996 / 1.000; 0.987 / 1.000
    "suggest_labelled_tuning5b.json": (0.91, 0.95, 0.86, 0.94),  # 0.983 / 1.000; 0.967 / 1.000
    "suggest_labelled_tuning6a.json": (0.90, 0.98, 0.87, 0.98),  # 0.989 / 1.000; 0.989 / 1.000
    "suggest_labelled_tuning6b.json": (0.88, 0.97, 0.85, 0.96),  # 0.989 / 1.000; 0.989 / 1.000
    "suggest_labelled_tuning6c.json": (0.90, 0.97, 0.88, 0.96),  # 0.990 / 1.000; 0.971 / 1.000
    "suggest_labelled_tuning7a.json": (0.86, 0.98, 0.85, 0.98),  # 0.973 / 1.000; 0.956 / 1.000
    "suggest_labelled_tuning7b.json": (0.91, 0.98, 0.87, 0.98),  # 0.973 / 1.000; 0.950 / 1.000
    "suggest_labelled_tuning7c.json": (0.84, 0.98, 0.81, 0.98),  # 0.949 / 1.000; 0.925 / 1.000
    "suggest_labelled_tuning8a.json": (0.91, 0.98, 0.88, 0.98),  # 0.985 / 1.000; 0.980 / 1.000
    "suggest_labelled_tuning8b.json": (0.91, 0.95, 0.85, 0.93),  # 0.991 / 1.000; 0.973 / 1.000
    "suggest_labelled_tuning8c.json": (0.87, 0.96, 0.81, 0.95),  # 0.970 / 1.000; 0.962 / 1.000
    "suggest_labelled_tuning9.json": (0.88, 0.77, 0.79, 0.64),  # 0.987 / 1.000; 0.952 / 1.000
    "suggest_labelled_tuning10a.json": (0.84, 0.90, 0.80, 0.86),  # 0.947 / 1.000; 0.925 / 1.000
    "suggest_labelled_tuning10b.json": (0.86, 0.94, 0.83, 0.90),  # 0.982 / 1.000; 0.949 / 1.000
    "suggest_labelled_tuning10c.json": (0.78, 0.88, 0.73, 0.80),  # 0.922 / 1.000; 0.895 / 1.000
    "suggest_labelled_tuning10d.json": (0.89, 0.92, 0.83, 0.87),  # 0.977 / 1.000; 0.943 / 1.000
    "suggest_labelled_tuning10e.json": (0.87, 0.91, 0.84, 0.84),  # 0.979 / 1.000; 0.930 / 1.000
    "suggest_labelled_tuning10f.json": (0.84, 0.93, 0.79, 0.88),  # 0.964 / 1.000; 0.939 / 1.000
    "suggest_labelled_tuning10g.json": (0.87, 0.87, 0.76, 0.74),  # 0.952 / 1.000; 0.889 / 1.000
    "suggest_labelled_tuning10h.json": (0.83, 0.91, 0.75, 0.89),  # 0.960 / 1.000; 0.930 / 1.000
    "suggest_labelled_tuning11a.json": (0.83, 0.94, 0.76, 0.85),  # 0.923 / 1.000; 0.875 / 1.000
    "suggest_labelled_tuning11b.json": (0.79, 0.95, 0.74, 0.91),  # 0.927 / 1.000; 0.900 / 1.000
    "suggest_labelled_tuning11c.json": (0.85, 0.91, 0.80, 0.87),  # 0.947 / 1.000; 0.898 / 1.000
    "suggest_labelled_tuning11d.json": (0.90, 0.95, 0.85, 0.92),  # 0.985 / 1.000; 0.957 / 1.000
    "suggest_labelled_tuning11e.json": (0.81, 0.91, 0.73, 0.89),  # 0.953 / 1.000; 0.878 / 1.000
    "suggest_labelled_tuning11f.json": (0.85, 0.91, 0.77, 0.87),  # 0.938 / 1.000; 0.875 / 1.000
    "suggest_labelled_tuning11g.json": (0.81, 0.88, 0.76, 0.83),  # 0.948 / 1.000; 0.857 / 1.000
    "suggest_labelled_tuning11h.json": (0.87, 0.93, 0.83, 0.90),  # 0.970 / 1.000; 0.933 / 1.000
    "suggest_labelled_tuning12a.json": (0.81, 0.91, 0.71, 0.85),  # 0.934 / 1.000; 0.857 / 1.000
    "suggest_labelled_tuning12b.json": (0.84, 0.95, 0.75, 0.92),  # 0.947 / 1.000; 0.913 / 1.000
    "suggest_labelled_tuning12c.json": (0.78, 0.95, 0.65, 0.92),  # 0.930 / 1.000; 0.791 / 1.000
    "suggest_labelled_tuning12d.json": (0.82, 0.95, 0.76, 0.92),  # 0.965 / 1.000; 0.872 / 1.000
    "suggest_labelled_tuning12e.json": (0.86, 0.92, 0.79, 0.86),  # 0.972 / 1.000; 0.927 / 1.000
    "suggest_labelled_tuning12f.json": (0.85, 0.94, 0.82, 0.91),  # 0.948 / 1.000; 0.900 / 1.000
    "suggest_labelled_tuning12g.json": (0.86, 0.88, 0.77, 0.83),  # 0.972 / 1.000; 0.923 / 1.000
    "suggest_labelled_tuning12h.json": (0.82, 0.91, 0.76, 0.84),  # 0.932 / 1.000; 0.872 / 1.000
    "suggest_labelled_tuning13a.json": (0.87, 0.94, 0.83, 0.89),  # 0.958 / 1.000; 0.935 / 1.000
    "suggest_labelled_tuning13b.json": (0.91, 0.94, 0.88, 0.88),  # 0.987 / 1.000; 0.976 / 1.000
    "suggest_labelled_tuning13c.json": (0.89, 0.93, 0.84, 0.89),  # 0.992 / 1.000; 0.975 / 1.000
    "suggest_labelled_tuning13d.json": (0.86, 0.93, 0.81, 0.90),  # 0.973 / 1.000; 0.938 / 1.000
    "suggest_labelled_tuning13e.json": (0.83, 0.96, 0.79, 0.93),  # 0.972 / 1.000; 0.920 / 1.000
    "suggest_labelled_tuning13f.json": (0.86, 0.92, 0.83, 0.90),  # 0.973 / 1.000; 0.953 / 1.000
    "suggest_labelled_tuning13g.json": (0.88, 0.93, 0.83, 0.88),  # 0.974 / 1.000; 0.950 / 1.000
    "suggest_labelled_tuning13h.json": (0.87, 0.91, 0.77, 0.82),  # 0.985 / 1.000; 0.946 / 1.000
    "suggest_labelled_tuning14a.json": (0.88, 0.92, 0.79, 0.87),  # 0.979 / 1.000; 0.947 / 1.000
    "suggest_labelled_tuning14b.json": (0.89, 0.94, 0.85, 0.89),  # 0.979 / 1.000; 0.942 / 1.000
    "suggest_labelled_tuning14c.json": (0.81, 0.89, 0.74, 0.82),  # 0.925 / 1.000; 0.896 / 1.000
    "suggest_labelled_tuning14d.json": (0.88, 0.95, 0.81, 0.93),  # 0.976 / 1.000; 0.938 / 1.000
    "suggest_labelled_tuning14e.json": (0.87, 0.85, 0.79, 0.78),  # 0.976 / 1.000; 0.943 / 1.000
    "suggest_labelled_tuning14f.json": (0.85, 0.91, 0.79, 0.88),  # 0.955 / 1.000; 0.909 / 1.000
    "suggest_labelled_tuning14g.json": (0.87, 0.92, 0.81, 0.90),  # 0.977 / 1.000; 0.956 / 1.000
    "suggest_labelled_tuning14h.json": (0.83, 0.91, 0.77, 0.88),  # 0.935 / 1.000; 0.880 / 1.000
    "suggest_labelled_tuning15a.json": (0.80, 0.91, 0.77, 0.87),  # 0.950 / 1.000; 0.900 / 1.000
    "suggest_labelled_tuning15b.json": (0.88, 0.92, 0.81, 0.85),  # 0.983 / 1.000; 0.936 / 1.000
    "suggest_labelled_tuning15c.json": (0.86, 0.95, 0.81, 0.90),  # 0.956 / 1.000; 0.894 / 1.000
    "suggest_labelled_tuning15d.json": (0.84, 0.91, 0.77, 0.88),  # 0.956 / 1.000; 0.902 / 1.000
    "suggest_labelled_tuning15e.json": (0.84, 0.85, 0.78, 0.75),  # 0.953 / 1.000; 0.886 / 1.000
    "suggest_labelled_tuning15f.json": (0.80, 0.94, 0.76, 0.89),  # 0.910 / 1.000; 0.881 / 1.000
    "suggest_labelled_tuning15g.json": (0.86, 0.94, 0.82, 0.90),  # 0.960 / 1.000; 0.932 / 1.000
    "suggest_labelled_tuning15h.json": (0.85, 0.89, 0.80, 0.78),  # 0.959 / 1.000; 0.927 / 1.000
    "suggest_labelled_tuning16a.json": (0.84, 0.92, 0.79, 0.84),  # 0.956 / 1.000; 0.897 / 1.000
    "suggest_labelled_tuning16b.json": (0.83, 0.88, 0.77, 0.80),  # 0.950 / 1.000; 0.917 / 1.000
    "suggest_labelled_tuning16c.json": (0.79, 0.89, 0.71, 0.83),  # 0.928 / 1.000; 0.848 / 1.000
    "suggest_labelled_tuning16d.json": (0.84, 0.91, 0.74, 0.87),  # 0.947 / 1.000; 0.875 / 1.000
    "suggest_labelled_tuning16e.json": (0.83, 0.82, 0.72, 0.78),  # 0.961 / 1.000; 0.917 / 1.000
    "suggest_labelled_tuning16f.json": (0.80, 0.91, 0.77, 0.86),  # 0.937 / 1.000; 0.897 / 1.000
    "suggest_labelled_tuning16g.json": (0.82, 0.89, 0.75, 0.84),  # 0.965 / 1.000; 0.891 / 1.000
    "suggest_labelled_tuning16h.json": (0.84, 0.93, 0.77, 0.91),  # 0.961 / 1.000; 0.923 / 1.000
    "suggest_labelled_tuning17a.json": (0.86, 0.93, 0.76, 0.86),  # 0.974 / 1.000; 0.925 / 1.000
    "suggest_labelled_tuning17b.json": (0.83, 0.95, 0.77, 0.91),  # 0.935 / 1.000; 0.892 / 1.000
    "suggest_labelled_tuning17c.json": (0.92, 0.93, 0.86, 0.91),  # 0.976 / 1.000; 0.925 / 1.000
    "suggest_labelled_tuning17d.json": (0.89, 0.91, 0.84, 0.87),  # 0.985 / 1.000; 0.952 / 1.000
    "suggest_labelled_tuning17e.json": (0.83, 0.95, 0.78, 0.91),  # 0.967 / 1.000; 0.917 / 1.000
    "suggest_labelled_tuning17f.json": (0.83, 0.90, 0.79, 0.85),  # 0.965 / 1.000; 0.911 / 1.000
    "suggest_labelled_tuning17g.json": (0.84, 0.94, 0.81, 0.92),  # 0.941 / 1.000; 0.900 / 1.000
    "suggest_labelled_tuning17h.json": (0.83, 0.94, 0.76, 0.92),  # 0.944 / 1.000; 0.889 / 1.000
    "suggest_labelled_tuning18a.json": (0.85, 0.92, 0.77, 0.79),  # 0.953 / 1.000; 0.917 / 1.000
    "suggest_labelled_tuning18b.json": (0.85, 0.93, 0.79, 0.87),  # 0.965 / 1.000; 0.936 / 1.000
    "suggest_labelled_tuning18c.json": (0.83, 0.93, 0.81, 0.85),  # 0.947 / 1.000; 0.900 / 1.000
    "suggest_labelled_tuning18d.json": (0.85, 0.93, 0.77, 0.90),  # 0.942 / 1.000; 0.902 / 1.000
    "suggest_labelled_tuning18e.json": (0.87, 0.93, 0.83, 0.86),  # 0.981 / 1.000; 0.949 / 1.000
    "suggest_labelled_tuning18f.json": (0.88, 0.94, 0.79, 0.89),  # 0.959 / 1.000; 0.923 / 1.000
    "suggest_labelled_tuning18g.json": (0.86, 0.95, 0.78, 0.92),  # 0.953 / 1.000; 0.880 / 1.000
    "suggest_labelled_tuning18h.json": (0.81, 0.96, 0.77, 0.94),  # 0.935 / 1.000; 0.919 / 1.000
    "suggest_labelled_tuning19a.json": (0.91, 0.96, 0.87, 0.93),  # 0.980 / 1.000; 0.958 / 1.000
    "suggest_labelled_tuning19b.json": (0.87, 0.93, 0.80, 0.88),  # 0.959 / 1.000; 0.902 / 1.000
    "suggest_labelled_tuning19c.json": (0.88, 0.94, 0.86, 0.90),  # 0.970 / 1.000; 0.927 / 1.000
    "suggest_labelled_tuning19d.json": (0.89, 0.94, 0.85, 0.89),  # 0.974 / 1.000; 0.941 / 1.000
    "suggest_labelled_tuning19e.json": (0.87, 0.92, 0.80, 0.89),  # 0.956 / 1.000; 0.929 / 1.000
    "suggest_labelled_tuning19f.json": (0.87, 0.96, 0.81, 0.94),  # 0.964 / 1.000; 0.923 / 1.000
    "suggest_labelled_tuning19g.json": (0.84, 0.95, 0.80, 0.91),  # 0.956 / 1.000; 0.917 / 1.000
    "suggest_labelled_tuning19h.json": (0.88, 0.94, 0.84, 0.89),  # 0.962 / 1.000; 0.915 / 1.000
    "suggest_labelled_tuning20a.json": (0.86, 0.92, 0.81, 0.87),  # 0.958 / 1.000; 0.930 / 1.000
    "suggest_labelled_tuning20b.json": (0.85, 0.92, 0.83, 0.88),  # 0.968 / 1.000; 0.948 / 1.000
    "suggest_labelled_tuning20c.json": (0.84, 0.90, 0.77, 0.87),  # 0.952 / 1.000; 0.885 / 1.000
    "suggest_labelled_tuning20d.json": (0.88, 0.88, 0.82, 0.81),  # 0.982 / 1.000; 0.933 / 1.000
    "suggest_labelled_tuning20e.json": (0.87, 0.93, 0.82, 0.90),  # 0.975 / 1.000; 0.953 / 1.000
    "suggest_labelled_tuning20f.json": (0.83, 0.89, 0.75, 0.83),  # 0.961 / 1.000; 0.920 / 1.000
    "suggest_labelled_tuning20g.json": (0.88, 0.91, 0.82, 0.86),  # 0.973 / 1.000; 0.955 / 1.000
    "suggest_labelled_tuning20h.json": (0.84, 0.89, 0.78, 0.81),  # 0.961 / 1.000; 0.936 / 1.000
    "suggest_labelled_tuning21a.json": (0.86, 0.83, 0.82, 0.77),  # 0.974 / 1.000; 0.953 / 1.000
    "suggest_labelled_tuning21b.json": (0.86, 0.83, 0.81, 0.68),  # 0.980 / 1.000; 0.957 / 1.000
    "suggest_labelled_tuning21c.json": (0.85, 0.83, 0.74, 0.75),  # 0.969 / 1.000; 0.913 / 1.000
    "suggest_labelled_tuning21d.json": (0.82, 0.85, 0.77, 0.76),  # 0.963 / 1.000; 0.895 / 1.000
    "suggest_labelled_tuning21e.json": (0.78, 0.84, 0.70, 0.77),  # 0.926 / 1.000; 0.892 / 1.000
    "suggest_labelled_tuning21f.json": (0.82, 0.85, 0.72, 0.79),  # 0.949 / 1.000; 0.912 / 1.000
    "suggest_labelled_tuning21g.json": (0.87, 0.91, 0.84, 0.89),  # 0.965 / 1.000; 0.936 / 1.000
    "suggest_labelled_tuning21h.json": (0.84, 0.84, 0.77, 0.77),  # 0.967 / 1.000; 0.913 / 1.000
    "suggest_labelled_tuning22a.json": (0.84, 0.73, 0.71, 0.51),  # 0.965 / 1.000; 0.900 / 1.000
    "suggest_labelled_tuning22b.json": (0.76, 0.80, 0.64, 0.68),  # 0.953 / 1.000; 0.914 / 1.000
    "suggest_labelled_tuning22c.json": (0.79, 0.79, 0.75, 0.71),  # 0.947 / 1.000; 0.865 / 1.000
    "suggest_labelled_tuning22d.json": (0.76, 0.76, 0.66, 0.59),  # 0.923 / 1.000; 0.857 / 1.000
    "suggest_labelled_tuning22e.json": (0.81, 0.71, 0.72, 0.50),  # 0.964 / 1.000; 0.909 / 1.000
    "suggest_labelled_tuning22f.json": (0.75, 0.75, 0.64, 0.67),  # 0.952 / 1.000; 0.897 / 1.000
    "suggest_labelled_tuning22g.json": (0.74, 0.81, 0.59, 0.61),  # 0.939 / 1.000; 0.880 / 1.000
    "suggest_labelled_tuning22h.json": (0.78, 0.86, 0.71, 0.74),  # 0.906 / 1.000; 0.826 / 1.000
    "suggest_labelled_tuning23a.json": (0.79, 0.78, 0.72, 0.69),  # 0.934 / 1.000; 0.904 / 1.000
    "suggest_labelled_tuning23b.json": (0.80, 0.80, 0.74, 0.74),  # 0.950 / 1.000; 0.870 / 1.000
    "suggest_labelled_tuning23c.json": (0.79, 0.84, 0.77, 0.74),  # 0.940 / 1.000; 0.922 / 1.000
    "suggest_labelled_tuning23d.json": (0.75, 0.84, 0.66, 0.77),  # 0.917 / 1.000; 0.837 / 1.000
    "suggest_labelled_tuning23e.json": (0.78, 0.83, 0.70, 0.75),  # 0.949 / 1.000; 0.875 / 1.000
    "suggest_labelled_tuning23f.json": (0.79, 0.80, 0.70, 0.70),  # 0.937 / 1.000; 0.898 / 1.000
    "suggest_labelled_tuning23g.json": (0.82, 0.85, 0.80, 0.81),  # 0.968 / 1.000; 0.956 / 1.000
    "suggest_labelled_tuning23h.json": (0.79, 0.84, 0.71, 0.79),  # 0.951 / 1.000; 0.925 / 1.000
    "suggest_labelled_tuning24a.json": (0.82, 0.80, 0.76, 0.66),  # 0.948 / 1.000; 0.915 / 1.000
    "suggest_labelled_tuning24b.json": (0.81, 0.82, 0.71, 0.73),  # 0.929 / 1.000; 0.872 / 1.000
    "suggest_labelled_tuning24c.json": (0.78, 0.83, 0.73, 0.77),  # 0.924 / 1.000; 0.849 / 1.000
    "suggest_labelled_tuning24d.json": (0.77, 0.83, 0.72, 0.78),  # 0.932 / 1.000; 0.863 / 1.000
    "suggest_labelled_tuning24e.json": (0.81, 0.80, 0.73, 0.76),  # 0.967 / 1.000; 0.915 / 1.000
    "suggest_labelled_tuning24f.json": (0.83, 0.83, 0.78, 0.73),  # 0.948 / 1.000; 0.929 / 1.000
    "suggest_labelled_tuning24g.json": (0.78, 0.77, 0.69, 0.67),  # 0.938 / 1.000; 0.881 / 1.000
    "suggest_labelled_tuning24h.json": (0.78, 0.84, 0.70, 0.80),  # 0.929 / 1.000; 0.873 / 1.000
    "suggest_labelled_tuning25a.json": (0.77, 0.85, 0.72, 0.78),  # 0.948 / 1.000; 0.895 / 1.000
    "suggest_labelled_tuning25b.json": (0.81, 0.80, 0.74, 0.72),  # 0.954 / 1.000; 0.912 / 1.000
    "suggest_labelled_tuning25c.json": (0.79, 0.82, 0.73, 0.70),  # 0.947 / 1.000; 0.896 / 1.000
    "suggest_labelled_tuning25d.json": (0.81, 0.79, 0.76, 0.72),  # 0.969 / 1.000; 0.945 / 1.000
    "suggest_labelled_tuning25e.json": (0.80, 0.84, 0.72, 0.79),  # 0.947 / 1.000; 0.851 / 1.000
    "suggest_labelled_tuning25f.json": (0.80, 0.83, 0.70, 0.68),  # 0.946 / 1.000; 0.902 / 1.000
    "suggest_labelled_tuning25g.json": (0.79, 0.78, 0.72, 0.76),  # 0.960 / 1.000; 0.875 / 1.000
    "suggest_labelled_tuning25h.json": (0.77, 0.80, 0.72, 0.71),  # 0.933 / 1.000; 0.875 / 1.000
    "suggest_labelled_tuning26a.json": (0.74, 0.81, 0.64, 0.75),  # 0.922 / 1.000; 0.878 / 1.000
    "suggest_labelled_tuning26b.json": (0.79, 0.75, 0.73, 0.70),  # 0.946 / 0.997; 0.865 / 0.981
    "suggest_labelled_tuning26c.json": (0.73, 0.78, 0.64, 0.69),  # 0.933 / 1.000; 0.878 / 1.000
    "suggest_labelled_tuning26d.json": (0.82, 0.85, 0.78, 0.80),  # 0.972 / 1.000; 0.957 / 1.000
    "suggest_labelled_tuning26e.json": (0.81, 0.78, 0.70, 0.66),  # 0.954 / 1.000; 0.926 / 1.000
    "suggest_labelled_tuning26f.json": (0.78, 0.82, 0.68, 0.75),  # 0.927 / 1.000; 0.882 / 1.000
    "suggest_labelled_tuning26g.json": (0.74, 0.85, 0.64, 0.80),  # 0.925 / 1.000; 0.911 / 1.000
    "suggest_labelled_tuning26h.json": (0.73, 0.81, 0.67, 0.76),  # 0.910 / 1.000; 0.841 / 1.000
    "suggest_labelled_tuning27a.json": (0.73, 0.81, 0.65, 0.76),  # 0.935 / 1.000; 0.827 / 1.000
    "suggest_labelled_tuning27b.json": (0.79, 0.81, 0.76, 0.74),  # 0.944 / 1.000; 0.902 / 1.000
    "suggest_labelled_tuning27c.json": (0.78, 0.81, 0.73, 0.68),  # 0.958 / 1.000; 0.938 / 1.000
    "suggest_labelled_tuning27d.json": (0.74, 0.82, 0.64, 0.74),  # 0.924 / 1.000; 0.882 / 1.000
    "suggest_labelled_tuning27e.json": (0.71, 0.81, 0.66, 0.68),  # 0.922 / 1.000; 0.846 / 1.000
    "suggest_labelled_tuning27f.json": (0.78, 0.80, 0.71, 0.69),  # 0.955 / 1.000; 0.918 / 1.000
    "suggest_labelled_tuning27g.json": (0.73, 0.77, 0.64, 0.74),  # 0.920 / 1.000; 0.833 / 1.000
    "suggest_labelled_tuning27h.json": (0.79, 0.86, 0.66, 0.75),  # 0.964 / 1.000; 0.933 / 1.000
    "suggest_labelled_tuning28a.json": (0.79, 0.80, 0.68, 0.72),  # 0.937 / 1.000; 0.816 / 1.000
    "suggest_labelled_tuning28b.json": (0.80, 0.77, 0.67, 0.62),  # 0.965 / 1.000; 0.929 / 1.000
    "suggest_labelled_tuning28c.json": (0.80, 0.77, 0.62, 0.68),  # 0.955 / 1.000; 0.913 / 1.000
    "suggest_labelled_tuning28d.json": (0.80, 0.79, 0.77, 0.70),  # 0.934 / 1.000; 0.900 / 1.000
    "suggest_labelled_tuning28e.json": (0.79, 0.86, 0.72, 0.78),  # 0.949 / 1.000; 0.905 / 1.000
    "suggest_labelled_tuning28f.json": (0.80, 0.79, 0.75, 0.72),  # 0.943 / 1.000; 0.902 / 1.000
    "suggest_labelled_tuning28g.json": (0.84, 0.83, 0.77, 0.76),  # 0.958 / 1.000; 0.929 / 1.000
    "suggest_labelled_tuning28h.json": (0.75, 0.82, 0.71, 0.77),  # 0.935 / 1.000; 0.909 / 1.000
}


@pytest.mark.parametrize("file_name", sorted(TUNING_FLOORS))
def test_quality_on_the_blind_tuning_parts(file_name):
    _assert_floors(file_name, TUNING_FLOORS[file_name])


# The sets written blind after the engine was tuned: never tuned on (their errors are never
# printed), so these floors only guard against a change that makes unseen text worse. All
# three together: 0.919 / 0.916 (the lexicon alone at the start of this work: 0.917 / 0.745,
# weakest language 0.674); the overall targets (0.90) and the weakest language's (0.80) are
# met.
FRESH_FLOORS = {
    "suggest_labelled_fresh.json": (0.86, 0.93, 0.83, 0.86),  # 0.935 / 0.961; 0.900 / 0.917
    "suggest_labelled_fresh2.json": (0.83, 0.76, 0.75, 0.69),  # 0.896 / 0.881; 0.830 / 0.818
    "suggest_labelled_fresh3.json": (0.87, 0.82, 0.77, 0.75),  # 0.926 / 0.912; 0.880 / 0.822
}


@pytest.mark.parametrize("file_name", sorted(FRESH_FLOORS))
def test_quality_on_the_fresh_held_out_sets(file_name):
    _assert_floors(file_name, FRESH_FLOORS[file_name])


def test_the_issues_target_holds_on_all_fresh_held_out_sets_together():
    # The target itself, on the estimate bench/suggestions.py names (0.919 / 0.916, weakest
    # language 0.881): precision and recall >= 0.90 overall, >= 0.80 in every language.
    items = [
        item
        for file_name in sorted(FRESH_FLOORS)
        for item in json.loads((LABELLED.parent / file_name).read_text(encoding="utf-8"))["items"]
    ]
    counts = _counts(items)
    tp, predicted, expected = counts.pop("all")
    assert tp / predicted >= 0.90 and tp / expected >= 0.90
    assert len(counts) == 7
    for language, (tp, predicted, expected) in counts.items():
        assert tp / predicted >= 0.80 and tp / expected >= 0.80, language


def test_no_term_is_listed_twice_for_one_feature_and_language():
    # Two entries that read as the same words ("weniger strom" and ["weniger strom", 0.5])
    # count once, at the larger weight: the other is dead weight that misleads a reader of
    # the lexicon about how strongly the words count.
    data = engine.read_json(engine.LEXICON_PATH)
    repeated = []
    for code, by_language in data["features"].items():
        for language, entries in by_language.items():
            words = Counter(
                tuple(engine.tokenize_term(e if isinstance(e, str) else e[0])) for e in entries
            )
            repeated += [(code, language, w) for w, n in words.items() if n > 1]
    assert repeated == []
