"""anais_entities: label mapping, edge trimming, timex overlap and per-document clusters."""

from __future__ import annotations

import spacy
from spacy.tokens import Span

from pipeline.entities import Mention, cluster_mentions, mentions


def doc_with_ents(text: str, ents: list[tuple[int, int, str]], timexes=()):
    nlp = spacy.blank("pt")
    doc = nlp(text)
    doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    doc._.timexes = list(timexes)
    return doc


def test_labels_are_mapped_and_misc_dropped() -> None:
    doc = doc_with_ents("Eça de Queirós viveu em Paris e leu o Diário de Notícias .",
                        [(0, 3, "PESSOA"), (5, 6, "GPE"), (9, 12, "ORG"), (7, 8, "MISC")])
    assert [(m.text, m.label) for m in mentions(doc)] == [
        ("Eça de Queirós", "PER"), ("Paris", "LOC"), ("Diário de Notícias", "ORG")]


def test_edges_are_trimmed_but_inner_particles_kept() -> None:
    doc = doc_with_ents("Chegou ao Rio de Janeiro , « o Porto » .", [(1, 5, "LOC"), (7, 10, "LOC")])
    found = mentions(doc)
    assert [m.text for m in found] == ["Rio de Janeiro", "Porto"]
    for m in found:
        assert doc.text[m.start:m.end] == m.text


def test_mentions_inside_a_timex_are_dropped() -> None:
    class T:  # the two attributes the component reads
        start, end = 3, 10

    doc = doc_with_ents("Em Outubro chegou Maria .", [(1, 2, "LOC"), (3, 4, "PER")], [T()])
    assert [m.text for m in mentions(doc)] == ["Maria"]


def test_clusters_join_short_person_names_only_when_unambiguous() -> None:
    found = cluster_mentions([
        Mention(0, 7, "Caetano", "PER"), Mention(10, 25, "Marcelo Caetano", "PER"),
        Mention(30, 36, "Lisboa", "LOC"), Mention(40, 46, "LISBOA", "LOC"),
        Mention(50, 55, "Costa", "PER"), Mention(60, 73, "António Costa", "PER"),
        Mention(80, 92, "Afonso Costa", "PER"), Mention(95, 108, "José de Sá", "PER"),
        Mention(110, 117, "José Sá", "PER"), Mention(120, 127, "Caetano", "ORG"),
    ])
    clusters = [(m.text, m.cluster, m.canonical) for m in found]
    assert clusters == [
        ("Caetano", 0, "Marcelo Caetano"), ("Marcelo Caetano", 0, "Marcelo Caetano"),
        ("Lisboa", 1, "Lisboa"), ("LISBOA", 1, "Lisboa"),
        ("Costa", 2, "Costa"), ("António Costa", 3, "António Costa"),
        ("Afonso Costa", 4, "Afonso Costa"), ("José de Sá", 5, "José de Sá"),
        ("José Sá", 5, "José de Sá"), ("Caetano", 6, "Caetano"),
    ]


def test_labels_follow_the_majority_of_a_name_in_the_document() -> None:
    from pipeline.entities import harmonize_labels

    found = harmonize_labels([
        Mention(0, 6, "Lisboa", "LOC"), Mention(10, 16, "Lisboa", "PER"),
        Mention(20, 26, "LISBOA", "LOC"), Mention(30, 36, "Pombal", "PER"),
        Mention(40, 46, "Pombal", "LOC"),
    ])
    # a tie goes to the first mention's label
    assert [m.label for m in found] == ["LOC", "LOC", "LOC", "PER", "PER"]


def test_mentions_are_cut_at_line_breaks_and_lose_edge_whitespace() -> None:
    text = "Rubens Barrichello\nMadonna cantou em Lisboa \n\n"
    doc = doc_with_ents(text, [])
    tokens = [t.text for t in doc]
    assert tokens[2] == "\n"
    assert tokens[6:] == ["Lisboa", "\n\n"]
    doc.ents = [Span(doc, 0, 4, label="PER"), Span(doc, 6, 8, label="LOC")]
    found = mentions(doc)
    assert [(m.text, m.label) for m in found] == [
        ("Rubens Barrichello", "PER"), ("Madonna", "PER"), ("Lisboa", "LOC")]
    for m in found:
        assert text[m.start:m.end] == m.text


def test_a_name_found_once_is_tagged_at_its_other_occurrences() -> None:
    text = "Contagem cresceu . O prefeito de Contagem falou , e Contagem votou ."
    doc = doc_with_ents(text, [(5, 7, "LOC")])  # only 'de Contagem' was tagged by the model
    found = mentions(doc)
    assert [(m.text, m.label, m.start) for m in found] == [
        ("Contagem", "LOC", 0), ("Contagem", "LOC", 33), ("Contagem", "LOC", 52)]
    assert len({m.cluster for m in found}) == 1


def test_propagation_skips_partial_words_and_time_expressions() -> None:
    class T:
        start, end = 19, 24  # 'Maio' inside a time expression

    text = "Maio chegou . Em 1 Maio ou Maiores ?"
    doc = doc_with_ents(text, [(0, 1, "PER")], [T()])
    assert [(m.text, m.start) for m in mentions(doc)] == [("Maio", 0)]


def test_a_lone_common_word_opening_a_sentence_or_headline_is_not_a_name() -> None:
    text = "Caminhão tomba na Dutra\n« Abertura » do festival . Lisboa recebeu o Cantor ."
    doc = doc_with_ents(text, [(0, 1, "PER"), (3, 4, "LOC"), (6, 7, "PER"), (11, 12, "LOC"),
                               (14, 15, "PER")])
    doc[11].is_sent_start = True  # as a parser or senter would mark it
    found = [(m.text, m.label) for m in mentions(doc)]
    # 'Caminhão' opens a headline, 'Abertura' a line (after a quote): dropped. 'Lisboa' opens a
    # sentence but is no common word; 'Cantor' is one but stands inside a sentence: kept.
    assert found == [("Dutra", "LOC"), ("Lisboa", "LOC"), ("Cantor", "PER")]


def test_an_all_caps_heading_of_common_words_is_not_a_person() -> None:
    text = ("ORGANIZAÇÃO ESTRUTURAL DA MEMBRANA\nA membrana celular separa as células .\n"
            "JOSÉ SARAMAGO\n")
    doc = doc_with_ents(text, [])
    doc.ents = [Span(doc, 0, 4, label="PER"), Span(doc, 13, 15, label="PER")]
    # a heading made of common words is no name; an all-caps name is still one
    assert [(m.text, m.label) for m in mentions(doc)] == [("JOSÉ SARAMAGO", "PER")]


def test_an_email_address_or_url_is_cut_out_of_a_mention() -> None:
    text = ("Email : ferferr@cii.fc.ul.pt Departamento de Matemática , ver "
            "http://www.ul.pt/cmaf Lisboa . O Departamento de Matemática abriu .")
    doc = doc_with_ents(text, [(2, 6, "PER"), (8, 10, "LOC"), (12, 15, "ORG")])
    found = mentions(doc)
    assert [(m.text, m.label) for m in found] == [
        ("Departamento de Matemática", "ORG"), ("Lisboa", "LOC"),
        ("Departamento de Matemática", "ORG")]  # the cut-out part does not outvote a whole one
    for m in found:
        assert text[m.start:m.end] == m.text and "@" not in m.text


def test_edge_hyphens_glued_to_a_name_are_trimmed() -> None:
    text = "CMAF- Universidade de Lisboa . O CMAF organizou o encontro ."
    doc = doc_with_ents(text, [(0, 1, "ORG"), (6, 7, "ORG")])
    found = mentions(doc)
    assert [(m.text, m.start, m.end, m.canonical) for m in found] == [
        ("CMAF", 0, 4, "CMAF"), ("CMAF", 33, 37, "CMAF")]


def test_a_name_split_at_a_spaced_hyphen_is_joined_back() -> None:
    text = ("Foucart fica na região da Alta - Normandia , no departamento Seine - Maritime .")
    doc = doc_with_ents(text, [(5, 8, "LOC"), (11, 12, "ORG"), (13, 14, "PER")])
    found = mentions(doc)
    # the joined name keeps the label of its head, the first part (the model's label)
    assert [(m.text, m.label) for m in found] == [
        ("Alta - Normandia", "LOC"), ("Seine - Maritime", "ORG")]
    for m in found:
        assert text[m.start:m.end] == m.text


def test_two_names_around_a_dash_stay_two_in_ordinary_text() -> None:
    text = "O jogo Benfica - Porto acabou 2 - 1 ."
    doc = doc_with_ents(text, [(2, 3, "ORG"), (4, 5, "ORG")])
    assert [m.text for m in mentions(doc)] == ["Benfica", "Porto"]


def test_a_tie_between_labels_goes_to_the_first_mention() -> None:
    text = ("As terras foram povoadas em Paus , perto do rio .\n"
            "Paus , S. João e Gosende eram povoados .")
    doc = doc_with_ents(text, [(5, 6, "LOC"), (12, 13, "PER")])
    found = mentions(doc)
    assert [(m.text, m.label) for m in found] == [("Paus", "LOC"), ("Paus", "LOC")]
    assert len({m.cluster for m in found}) == 1


def test_the_full_stop_after_a_regnal_numeral_ending_a_sentence_is_not_in_the_name() -> None:
    # the tokenizer keeps `I.` whole, as it would an initial; a numeral takes no period of
    # its own, so at a sentence's end the period is the sentence's
    text = "Tudo começou no reinado de D. João I.\nDepois reinou Carlos V. na Espanha."
    doc = doc_with_ents(text, [(5, 8, "PER"), (11, 13, "PER")])
    found = [(m.text, m.start, m.end) for m in mentions(doc)]
    assert found[0] == ("D. João I", 27, 36)
    assert found[1][0] == "Carlos V."  # mid-sentence: an initial, perhaps; left as it is
    for m in mentions(doc):
        assert text[m.start:m.end] == m.text


def _cleaned(text: str, ents: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    out = mentions(doc_with_ents(text, ents))
    assert all(text[m.start:m.end] == m.text for m in out)
    return [(m.text, m.label) for m in out]


def test_a_rulers_epithet_joins_the_name_and_is_no_name_of_its_own() -> None:
    assert _cleaned("O czar Pedro, o Grande, fundou a cidade .", [(2, 3, "PER")]) == [
        ("Pedro, o Grande", "PER")]
    assert _cleaned("Tarquínio, o Soberbo, foi expulso .", [(0, 1, "PER"), (3, 4, "LOC")]) == [
        ("Tarquínio, o Soberbo", "PER")]
    assert _cleaned("Isabel, a Católica, e Ivan IV, o Terrível .", [(0, 1, "PER"), (6, 8, "PER")]
                    ) == [("Isabel, a Católica", "PER"), ("Ivan IV, o Terrível", "PER")]


def test_only_listed_epithets_after_a_person_join_it() -> None:
    assert _cleaned("Depois de Guttmann, o Benfica venceu .", [(2, 3, "PER"), (5, 6, "ORG")]) == [
        ("Guttmann", "PER"), ("Benfica", "ORG")]
    assert _cleaned("Em Roma, o Grande Prémio .", [(1, 2, "LOC")]) == [("Roma", "LOC")]
