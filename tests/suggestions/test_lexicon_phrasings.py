"""Phrasings the lexicon learnt from the second tuning part, in sentences of their own.

Each sentence uses a general term added for a miss (a verb form, a synonym, a family of
inflections) rather than the tuning sentence itself, so the case holds for unseen text.
"""

import pytest

from clusterbridge.suggestions.engine import suggest


def codes(text, language):
    return {s.code for s in suggest(text, language=language)}


@pytest.mark.parametrize(
    ("language", "text", "feature"),
    [
        ("en", "After every outage the operators review what happened with the vendor.", "P16"),
        ("en", "The gateway merges data from cameras, radars and door contacts.", "P8"),
        ("en", "Our controller helps bakeries reduce energy consumption at night.", "G11"),
        ("en", "The ledger processes millions of transactions a day.", "T15"),
        ("de", "Die neue Steuerung senkt den Energieverbrauch der Kühlhallen.", "G11"),
        ("de", "Wir entwickeln eine Software für kommunale Leitstellen.", "T9"),
        ("de", "Vernetzte Sensoren melden Schäden an Schleusen.", "T10"),
        ("de", "Fachkräfte werden zu IT-Sicherheitsberatern umgeschult.", "P12"),
        ("de", "Der Zutritt zu den Laboren wird lückenlos protokolliert.", "P14"),
        ("fr", "Nous éditons un logiciel de gestion de flottes pour les mairies.", "T9"),
        ("fr", "L'outil aide les préfectures à anticiper les crises.", "P1"),
        ("fr", "Le système réduit la consommation des bâtiments publics.", "G11"),
        ("fr", "Le budget couvre des démonstrations de produits aux clients.", "G3"),
        ("es", "Las aduanas y las navieras compartirán documentos en la plataforma.", "P10"),
        ("es", "La herramienta ayuda a reducir el riesgo de inundación en los barrios.", "P5"),
        ("es", "Un sistema para detectar intrusiones en la red municipal.", "P12"),
        ("es", "Desarrollamos software para clínicas veterinarias.", "T9"),
        ("it", "Sviluppiamo un software per la gestione dei rifiuti.", "T9"),
        ("it", "Il sistema valuta l'effetto degli interventi di riqualificazione.", "P15"),
        ("it", "Le aziende clienti hanno ridotto i consumi del venti per cento.", "G11"),
        ("it", "Sono finanziate dimostrazioni di prodotti presso i clienti.", "G3"),
        ("pl", "Tworzymy oprogramowanie dla szpitali powiatowych.", "T9"),
        ("pl", "Model wykrywa ataki na systemy sterowania w wodociągach.", "P12"),
        ("pl", "Połowa zajęć to ćwiczenia praktyczne w laboratorium.", "G6"),
        ("pl", "Przenośne czujniki wykrywają skażenia chemiczne w portach.", "T8"),
        ("pl", "Rozwijamy platformę analityczną dla sieci aptek.", "P17"),
        ("lt", "Vežėjai ir muitinė gali saugiai keistis dokumentais.", "P10"),
        ("lt", "Sprendimai sertifikuojami pagal tarptautinius standartus.", "G7"),
        ("lt", "Jutikliai taikomi tiek civiliniams, tiek gynybos poreikiams.", "G2"),
        ("lt", "Visi dokumentai saugomi užšifruoti.", "T3"),
        ("lt", "Sistema padeda sumažinti energijos suvartojimą gamyklose.", "G11"),
    ],
)
def test_new_phrasing_suggests_its_feature(language, text, feature):
    assert feature in codes(text, language)


@pytest.mark.parametrize(
    ("language", "text", "feature"),
    [
        # Weak evidence alone is not enough: these words also occur where the feature is not
        # stated ("erprobt" in a lab is not end-user testing; "prevedere" also means "provide").
        ("de", "Das Verfahren wurde bereits im Labor erprobt.", "D7"),
        ("en", "The results are shared with the steering group.", "P10"),
        ("it", "La regione intende prevedere un contributo per le imprese.", "P1"),
    ],
)
def test_weak_phrasing_alone_suggests_nothing(language, text, feature):
    assert feature not in codes(text, language)
