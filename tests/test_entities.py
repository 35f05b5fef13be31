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
    assert [m.label for m in found] == ["LOC", "LOC", "LOC", "PER", "LOC"]  # a tie stays


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
