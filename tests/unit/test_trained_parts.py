"""The trained pipeline's parts on invented sentences: the tagger's tokens and features, the candidates a note
puts forward, the relation features, the shipped model's file format and how ratings become relations."""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest

from graph.merge import merge_graphs
from graph.models import RelationType
from ingest.candidate_collector import CandidateCollector
from ingest.candidates import Candidate, SentenceSpot, sentence_candidates
from ingest.concept_features import block_features, shape, tokens_of
from ingest.concept_tagger import WINDOW_CHARS, tagged_spans
from ingest.markdown import Block
from ingest.pipeline import extract_graphs
from ingest.reader import SourceFile
from ingest.relation_features import NoteFacts, candidate_features, words
from ingest.relation_model import load_model, save_model
from ingest.scoring import Rated, relations_of
from ingest.sentence_sides import Mention


def block(text: str, kind: str = "paragraph", bold: list[str] | None = None, line: int = 1) -> Block:
    return Block(kind=kind, line=line, text=text, section="s1", heading="注意力", bold=bold or [])


def test_tokens_keep_latin_names_whole_and_split_chinese_by_character() -> None:
    assert [t.text for t in tokens_of("GQA 用 FlashAttention-2")] == ["GQA", "用", "FlashAttention-2"]
    assert [shape(t) for t in ("键", "GQA", "Adam", "FP16")] == ["zh", "AA", "Aa", "A0"]


def test_tagger_features_say_what_the_structure_says() -> None:
    tokens, features = block_features(block("分组查询注意力（GQA）是 MHA 的变体", bold=["分组查询注意力"]))
    first, gqa = features[0], features[[t.text for t in tokens].index("GQA")]
    assert "bold" in first and "w=分" in first and any(f.startswith("jw=") for f in first)
    assert "bracket" in gqa and "s=AA" in gqa and "-1w=(" in gqa


def test_a_block_longer_than_a_window_is_tagged_window_by_window_with_the_same_names() -> None:
    sentence = "分组查询注意力（GQA）是 MHA 的变体，它让 KV cache 变小。"
    alone = {sentence[start:end] for start, end in tagged_spans(block(sentence))}
    long_text = sentence * (3 * WINDOW_CHARS // len(sentence))
    spans = tagged_spans(block(long_text))
    assert alone and {long_text[start:end] for start, end in spans} == alone
    assert max(start for start, _ in spans) > 2 * WINDOW_CHARS  # offsets point into the whole block


@pytest.mark.parametrize("text", ["Straße LoRA 使用 Transformer。", "İİİİİİİİ LoRA 是一种方法。",
                                  "ﬁﬁﬁﬁﬁ Transformer 采用 RoPE。"])
def test_letters_that_grow_when_lower_cased_do_not_shift_the_glossary_marks(text: str) -> None:
    """'ß' case-folds to 'ss': marks found in the folded text once landed past the end of the block."""
    tokens, features = block_features(block(text))
    named = [t.text for t, row in zip(tokens, features, strict=True) if "gloss=B" in row]
    assert named and all(name in ("LoRA", "Transformer", "RoPE") for name in named)
    assert extract_graphs([SourceFile("a.md", Path("a.md"), text, "utf-8", "0")], extraction="trained")


def test_a_name_whose_id_is_taken_gets_its_own_instead_of_replacing_the_known_concept() -> None:
    graph = merge_graphs(extract_graphs([SourceFile("a.md", Path("a.md"), "LoRA+ 是 LoRA 的改进版本。", "utf-8", "0")],
                                        extraction="trained"))
    names = {c.id: c.name for c in graph.concepts}
    assert names["lora"] == "LoRA" and "LoRA+" in names.values()


def test_a_very_wide_table_header_pairs_each_column_with_its_next_few_only() -> None:
    collector = CandidateCollector()
    columns = [[f"model-{i}"] for i in range(2_000)]
    header = block("| 方面 | " + " | ".join(c[0] for c in columns) + " |", kind="table")
    collector.table(header, [["aspect"], *columns], [])
    assert len(collector.candidates()) == sum(min(20, 2_000 - 1 - i) for i in range(2_000))


def spot(text: str, mentions: list[tuple[str, str]], subject: str | None = None,
         before: tuple[str, list[Mention], int] | None = None) -> SentenceSpot:
    found = [Mention(concept, text.index(name), text.index(name) + len(name)) for concept, name in mentions]
    return SentenceSpot(0, "paragraph", 3, "注意力", text, found, subject, True, [], False, before)


def test_a_sentence_pairs_its_concepts_and_leaves_the_topic_for_subjectless_ones() -> None:
    named = list(sentence_candidates(spot("GQA 在 MHA 和 MQA 之间取得平衡", [("gqa", "GQA"), ("mha", "MHA"),
                                                                       ("mqa", "MQA")], subject="attention")))
    assert {(c.kind, c.first, c.second) for c in named} == {
        ("sentence", "gqa", "mha"), ("sentence", "gqa", "mqa"), ("sentence", "mha", "mqa"),
        ("topic", "attention", "gqa"), ("topic", "attention", "mha"), ("topic", "attention", "mqa")}
    subjectless = list(sentence_candidates(spot("采用 RoPE 编码位置", [("rope", "RoPE")], subject="llama")))
    assert [(c.kind, c.first, c.second, c.first_span) for c in subjectless] == [("topic", "llama", "rope", None)]


def test_a_pronoun_refers_to_the_sentence_before_and_a_break_pairs_both_sentences() -> None:
    previous = spot("QLoRA 量化冻结的权重。", [("qlora", "QLoRA")])
    pronoun = spot("它使用 NF4 数据类型", [("nf4", "NF4")], before=(previous.text, previous.mentions, 2))
    pronoun.previous = ["qlora"]
    found = {(c.kind, c.first, c.second) for c in sentence_candidates(pronoun)}
    assert ("pronoun", "qlora", "nf4") in found and ("adjacent", "qlora", "nf4") in found


def test_structure_puts_items_under_their_lead_in_line_and_table_cells_under_columns() -> None:
    collector = CandidateCollector()
    lead = block("剪枝方法有以下几类：")
    collector.block(lead, [Mention("pruning", 0, 2)], None, None, None)
    item = block("- 结构化剪枝：删除整个通道", kind="item", line=2)
    item.depth = 1
    collector.block(item, [Mention("structured_pruning", 2, 7)], None, None, None)
    row = block("| 位置编码 | RoPE | ALiBi |", kind="table_row", line=9)
    collector.table(None, [[], ["llama"], ["bloom"]], [(row, [["pe"], ["rope"], ["alibi"]])])
    found = {(c.kind, c.first, c.second, c.line) for c in collector.candidates()}
    assert ("lead-in", "pruning", "structured_pruning", 1) in found
    assert ("table", "llama", "rope", 9) in found and ("table", "pe", "alibi", 9) in found


def test_relation_features_name_the_words_between_the_cues_and_the_rules_reading() -> None:
    text = "LLaMA 采用 RoPE 编码位置"
    candidate = Candidate("sentence", "llama", "rope", 1, "s", text, "paragraph", (0, 5), (9, 13))
    facts = NoteFacts.of([candidate], {("llama", "rope"): [(1, "USES", "cue:采用")]}, {}, {"llama": 3}, ["llama"])
    features = candidate_features(candidate, facts)
    assert {"kind=sentence", "bw=采用", "cue-in=采用", "rule=USES>", "opens-sentence", "heading-topic1",
            "n2=rope", "mentions1=<=4"} <= set(features)
    assert "rule=USES>" not in candidate_features(candidate, facts, use_rules=False)
    assert words("GQA 采用 grouped keys") == ["gqa", "采用", "grouped", "keys"]


def test_the_model_files_round_trip_and_give_probabilities(tmp_path: Path) -> None:
    classes = ["NONE", "USES>", "COMPARED_WITH"]
    weights = numpy.array([[0.0, -1.0], [2.0, 0.0], [0.0, 1.0]])
    save_model(tmp_path, classes, ["bw=采用", "bw=相比"], weights, numpy.zeros(3), 0.4, True, {"version": "t"})
    model = load_model(tmp_path)
    rows = model.probabilities([["bw=采用"], ["bw=相比", "unknown"], []])
    assert rows.shape == (3, 3) and numpy.allclose(rows.sum(axis=1), 1.0)
    assert rows[0].argmax() == 1 and rows[1].argmax() == 2 and numpy.allclose(rows[2], 1 / 3)
    assert model.threshold == 0.4 and model.version == "t"


def test_each_pair_keeps_its_best_reading_above_the_threshold_with_its_evidence() -> None:
    def rated(kind: str, label: str, probability: float, line: int) -> Rated:
        span = (0, 3) if kind == "sentence" else None
        return Rated(Candidate(kind, "dpo", "ppo", line, "对齐", "DPO 取代 PPO", "paragraph", span, (7, 10)),
                     label, probability)

    relations = relations_of([rated("sentence", "REPLACES>", 0.7, 4), rated("topic", "USES<", 0.9, 8),
                              rated("sentence", "IS_A>", 0.2, 5)], "a.md", threshold=0.5)
    (relation,) = relations
    assert (relation.source, relation.target, relation.type) == ("ppo", "dpo", RelationType.USES)
    assert relation.confidence == 0.9 and relation.first == "dpo"
    assert relation.evidence[0].line == 8 and relation.evidence[0].rule == "model:sentence+section topic"
    assert relations_of([rated("sentence", "IS_A>", 0.2, 5)], "a.md", threshold=0.5) == []


@pytest.mark.parametrize("label, expected", [("COMPARED_WITH", ("dpo", "ppo")), ("PART_OF<", ("dpo", "ppo")),
                                                   ("PART_OF>", ("ppo", "dpo"))])
def test_directions_follow_the_label(label: str, expected: tuple[str, str]) -> None:
    candidate = Candidate("sentence", "ppo", "dpo", 1, "s", "PPO 与 DPO", "paragraph", (0, 3), (6, 9))
    (relation,) = relations_of([Rated(candidate, label, 0.8)], "a.md", threshold=0.5)
    assert (relation.source, relation.target) == expected
