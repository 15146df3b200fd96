"""One parsed document -> its DocumentGraph: concept mentions, definitions and evidence-backed relations."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from operator import attrgetter

from spacy.language import Language
from spacy.tokens import Span

from graph.models import Concept, Document, DocumentGraph, Evidence, Location, Relation, RelationType
from graph.normalize import slugify
from ingest.candidate_collector import CandidateCollector
from ingest.candidates import SentenceSpot
from ingest.components import CONCEPTS_KEY, CUES_KEY, TERMS_KEY, release_spans, spans_of
from ingest.cues import CUES
from ingest.definitions import (
    ANSWER_MARK,
    DEFINITION_CHARS,
    Strength,
    answer_opening,
    asked_concept,
    clip,
    sentence_strength,
)
from ingest.lexicon import ConceptIndex
from ingest.markdown import Block, ParsedDocument, is_metadata
from ingest.reader import SourceFile
from ingest.relations import BY_START, Cue, Mention, Reading, cooccurring_pairs, read_sentence
from ingest.structure import (
    answer_list_relations,
    attribute_relations,
    introduced_item,
    list_intro,
    list_item_relation,
    member_label,
    member_relation,
    solution_label,
    solution_relation,
    solved_problem,
    table_cell_relations,
    table_comparisons,
    tag_relations,
    without_mentions,
)
from ingest.tokenizer import FOLDED_TEXT, fold_width

# A classifier right after a Latin-script name belongs to the name ('GELU函数', 'Viterbi 算法').
_CLASSIFIER_AFTER = re.compile(r"\s?(?:函数|算法)")
# A proper name: Latin script opening with a capital ('ALiBi', 'QLoRA', 'Llama 2'); '4-bit' or 'quantization' is none.
_PROPER_NAME = re.compile(r"[A-Z][\w.+#-]*(?:\s[\w.+#-]+)*(?:函数|算法)?")
# Category words that, right after a name, say what sort of thing it is ('ALiBi 位置编码'); '奖励模型' or
# '损失函数' after a name name a part of it instead ('PPO 的奖励模型', 'DPO 损失函数').
_CATEGORY_WORD = re.compile(r"(?:激活函数|位置编码|归一化|优化器|注意力|注意力机制|架构|算法|量化|分词器|"
                            r"activation function|positional encoding|normalization|optimizer|architecture|"
                            r"algorithm|quantization|tokenizer)", re.IGNORECASE)
_NAMED_SORT = re.compile(r"[A-Z][\w.+#-]*(?:\s[\w.+#-]+)*\s?(" + _CATEGORY_WORD.pattern + ")", re.IGNORECASE)
_MODIFIER_AFTER = re.compile(r"\s*(的|中|里|之)")  # matched at a mention's end
_RELATED_EVIDENCE_CAP = 3
_TYPED_EVIDENCE_CAP = 20  # sentences quoted for one relation of one document; its weight counts them all
_COOCCURRENCE, _COOCCURRENCE_CONFIDENCE = "co-occurrence", 0.3
_COOCCURRENCE_WITH_CUE = "co-occurrence+cue"  # graph.study.gaps: a pair a sentence relates is no missing link
_SYMMETRIC = frozenset(t for t in RelationType if t.symmetric)
_Said = tuple[int, str, str, str]
_BLOCK_JOIN = "\n\n"
# Sentences end where the tokenizer starts a new one: after 。!?; or a line break (text is width-folded).
# A sentence ends at 。!?; or a line break, or at an English full stop before a capital ('… FSDP. Both …'; not
# after 'e.g.', 'i.e.', 'vs.', 'etc.' or 'al.').
_FULL_STOP = r"(?<!e\.g)(?<!i\.e)(?<!vs)(?<!etc)(?<!al)\.(?=\s+[A-Z])"
_SENTENCE = re.compile(rf"(?:[^。!?;\n.]|(?!{_FULL_STOP})\.)+(?:[。!?;\n]|{_FULL_STOP})?|[。!?;\n]")
_NAME_FILLER = re.compile(r"[\s*_:：()（）\-—·●0-9.、]")
_BRACKETED_ALIAS = re.compile(r"[(（][^()（）]{0,60}[)）]")


@dataclass(slots=True)
class _ConceptTally:
    name: str
    aliases: dict[str, None] = field(default_factory=dict)
    kind: str | None = None
    signals: list[str] = field(default_factory=list)
    places: dict[tuple[int, str], None] = field(default_factory=dict)  # (line, section) in mention order
    mentions: int = 0
    definition: str | None = None
    definition_source: Location | None = None
    definition_strength: Strength = Strength.NONE
    example: Evidence | None = None


MAX_EVIDENCE_CHARS = 300  # a longer sentence is kept as the stretch around the two concepts, so a single huge
# line cannot make every evidence record as large as the document


MAX_SENTENCE_CHARS = 400  # a longer run without a sentence end is read in pieces: the rules are linear per cue


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence; a run of more than MAX_SENTENCE_CHARS without an end is cut at its last
    comma or space before the limit (or at the limit), so no sentence makes the cue rules quadratic.

    >>> [e - s for s, e in sentence_spans("甲，" * 300)]
    [400, 200]
    """
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while end - start > MAX_SENTENCE_CHARS:
            limit = start + MAX_SENTENCE_CHARS
            cut = max(text.rfind("，", start, limit), text.rfind(",", start, limit), text.rfind(" ", start, limit))
            cut = cut + 1 if cut > start + MAX_SENTENCE_CHARS // 2 else limit
            yield start, cut
            start = cut
        yield start, end


def _one_per_phrase(mentions: list[Mention], text: str) -> list[Mention]:
    """Two mentions with nothing but a space between are one phrase that names one thing: a name and the sort
    it is ('ALiBi 位置编码', 'Llama模型') name the name; otherwise the phrase names its last word, as English and
    Chinese phrases do ('4-bit quantization', '并行 Adapter'). Two names ('BERT GPT') stay two mentions."""
    kept: list[Mention] = []
    for mention in mentions:
        previous = kept[-1] if kept else None
        if previous is None or text[previous.end:mention.start].strip():
            kept.append(mention)
            continue
        first_is_name = _PROPER_NAME.fullmatch(text[previous.start:previous.end]) is not None
        second_is_name = _PROPER_NAME.fullmatch(text[mention.start:mention.end]) is not None
        if first_is_name and not second_is_name:
            kept[-1] = previous._replace(end=mention.end)  # the sort word belongs to the name before it
        elif not first_is_name:
            kept[-1] = mention._replace(start=previous.start)  # the modifier belongs to the head after it
        else:
            kept.append(mention)
    return kept


class DocumentExtractor:
    """Collects mentions and readings block by block, then builds the DocumentGraph."""

    def __init__(self, source: SourceFile, parsed: ParsedDocument, index: ConceptIndex) -> None:
        self.source = source
        self.parsed = parsed
        self.index = index
        self.concepts: dict[str, _ConceptTally] = {}
        # Evidence stays a plain (line, section, text, rule) tuple until the graph is built: most of it is duplicate.
        self.relations: dict[tuple[str, str, RelationType], list[tuple[float, _Said, str | None]]] = defaultdict(list)
        self.block_main: dict[int, str] = {}
        self.block_mentions: dict[int, list[Mention]] = {}
        self.section_main: dict[str, str] = {}
        self.section_problem: dict[str, str] = {}
        self.open_problem: str | None = None
        self.intro: tuple[Block, tuple[str, RelationType]] | None = None
        self.section_parent = {s.id: s.parent for s in parsed.sections}
        self.questions_by_id = {q.id: q for q in parsed.questions}
        self.asking = {id(parsed.blocks[i]) for i in parsed.question_blocks}  # blocks that ask a question
        self.collector = CandidateCollector()  # what the relation model is asked about
        self.block_index = 0

    def mention_counts(self) -> dict[str, int]:
        """How often the document names each concept (after `run`)."""
        return {concept_id: tally.mentions for concept_id, tally in self.concepts.items()}

    def kind_of(self, concept_id: str) -> str | None:
        entry = self.index.by_id.get(concept_id)
        return entry.kind if entry else None

    # ---- mentions ----
    def _mentions(self, spans: list[Span], block: Block, offset: int) -> list[Mention]:
        """Concept and term spans of the document's Doc that fall in this block, with block offsets."""
        found: list[Mention] = []
        text, heading, multiline = block.text, block.heading, "\n" in block.text
        spans = sorted(spans, key=attrgetter("start_char"))
        starts = [span.start_char - offset for span in spans[1:]] + [len(text)]
        for span, next_start in zip(spans, starts, strict=False):  # starts has one more: the text's end
            start, end = span.start_char - offset, span.end_char - offset
            concept_id = span.id_
            if not concept_id:
                name = span.text
                concept_id = slugify(name)
                self._register_term(concept_id, name)
            self._note_mention(concept_id, text[start:end], block.line_of(start) if multiline else block.line, heading)
            classifier = _CLASSIFIER_AFTER.match(text, end)
            if classifier and classifier.end() <= next_start and text[end - 1:end].isascii():
                end = classifier.end()  # "Tanh函数的改进版本": the name and its classifier are one mention
            found.append(Mention(concept_id, start, end))
        kept = _one_per_phrase(sorted(found, key=BY_START), text)
        self._read_appositions(found, block)
        return kept

    def _read_appositions(self, found: list[Mention], block: Block) -> None:
        """'RoPE 位置编码', 'GELU激活函数': a name followed by the category it belongs to says what it is,
        whether the two are matched apart or as one name."""
        text = block.text
        pairs: list[tuple[Mention, str]] = []
        for name, sort in pairwise(found):
            if (not text[name.end:sort.start].strip() and _PROPER_NAME.fullmatch(text[name.start:name.end])
                    and _CATEGORY_WORD.fullmatch(text[sort.start:sort.end])):
                pairs.append((name, sort.concept))
        for mention in found:
            named = _NAMED_SORT.fullmatch(text[mention.start:mention.end])
            entry = self.index.find(named.group(1)) if named else None
            own = self.index.find(text[mention.start:mention.start + named.start(1)].strip()) if named else None
            # 'GELU' is the concept and '激活函数' is said of it; 'Layer Normalization' is one name, which alone
            # says nothing.
            if entry is not None and own is not None and own.id == mention.concept:
                pairs.append((mention, entry.id))
        spans = list(sentence_spans(text)) if pairs else []
        for name, category in pairs:
            if name.concept != category:
                around = spans[max(bisect_right(spans, (name.start, len(text) + 1)) - 1, 0)]
                self._add(Reading(name.concept, category, RelationType.IS_A, 0.55, "apposition"), block,
                          name.start, text[around[0]:around[1]])

    def _register_term(self, concept_id: str, text: str) -> None:
        if concept_id not in self.concepts:
            self.concepts[concept_id] = _ConceptTally(text, signals=["term"])

    def _note_mention(self, concept_id: str, surface: str, line: int, heading: str) -> None:
        tally = self.concepts.get(concept_id)
        if tally is None:
            entry = self.index.by_id[concept_id]
            tally = _ConceptTally(entry.name, dict.fromkeys(entry.aliases), entry.kind, list(entry.signals))
            self.concepts[concept_id] = tally
        if surface != tally.name:
            tally.aliases.setdefault(surface, None)
        tally.mentions += 1
        tally.places.setdefault((line, heading), None)

    def _main_concept(self, text: str, mentions: list[Mention]) -> str | None:
        """The topic of a heading or lead: its first concept that is not a modifier ('Deepseek的GRPO')."""
        for mention in mentions:
            if not _MODIFIER_AFTER.match(text, mention.end):
                return mention.concept
        return mentions[-1].concept if mentions else None

    def _subject(self, index: int, block: Block) -> str | None:
        """The topic a block's sentences talk about when they leave the subject out."""
        return self._subject_and_reach(index, block)[0]

    def _subject_and_reach(self, index: int, block: Block) -> tuple[str | None, bool]:
        """The block's topic, and whether it is near: its lead or item, its own section, or a heading's parent."""
        parent = block.parent
        while parent is not None:
            if parent in self.block_main:
                return self.block_main[parent], True
            parent = self.parsed.blocks[parent].parent
        section: str | None = block.section
        if block.kind == "heading":
            section = self.section_parent.get(block.section)
        while section is not None:
            if section in self.section_main:
                return self.section_main[section], block.kind == "heading" or section == block.section
            section = self.section_parent.get(section)
        return None, False

    # ---- readings ----
    def _add(self, reading: Reading, block: Block, offset: int, text: str) -> None:
        self._record(reading, (block.line_of(offset), block.heading, text.strip()))

    def _record(self, reading: Reading, place: tuple[int, str, str]) -> None:
        """Note a reading with where it was said: (line, section, sentence)."""
        source, target = reading.source, reading.target
        if reading.type in _SYMMETRIC and source > target:
            source, target = target, source
        self.collector.reading(reading, place[0])
        if len(place[2]) > MAX_EVIDENCE_CHARS:  # a long sentence or a structure rule's block: the part naming them
            place = (place[0], place[1], self._around(place[2], source, target))
        self.relations[(source, target, reading.type)].append((reading.confidence, (*place, reading.rule), reading.first))

    def _around(self, text: str, *concepts: str) -> str:
        """The stretch of a long text around the first place it names one of the concepts."""
        folded = text.casefold()
        spots = []
        for concept_id in concepts:
            tally = self.concepts.get(concept_id)
            labels = [tally.name, *tally.aliases] if tally else [concept_id]
            spots += [at for at in (folded.find(label.casefold()) for label in labels if label) if at >= 0]
        start = max(0, min(spots, default=0) - 60)
        end = min(len(text), start + MAX_EVIDENCE_CHARS)
        return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")

    def _read_sentences(self, folded: str, block: Block, block_mentions: list[Mention], block_cues: list[Cue],
                        subject: str | None, near: bool) -> None:
        if not block_mentions:
            return  # every sentence rule needs a concept
        previous: list[str] = []
        before: tuple[str, list[Mention], int] | None = None
        mention_starts = [m.start for m in block_mentions]
        cue_starts = [c.start for c in block_cues]
        for start, end in sentence_spans(folded):
            first, last = bisect_left(mention_starts, start), bisect_left(mention_starts, end)
            if first == last:
                continue
            mentions = block_mentions[first:last]
            if mentions[-1].end > end:  # mentions never overlap: only the last can run past the sentence's end
                mentions = [m for m in mentions if m.end <= end]
                if not mentions:
                    continue
            if start:  # offsets relative to the sentence (most blocks are a single sentence)
                mentions = [Mention(m.concept, m.start - start, m.end - start) for m in mentions]
            text = block.text[start:end]
            first, last = bisect_left(cue_starts, start), bisect_left(cue_starts, end)
            cues = block_cues[first:last]
            if cues and cues[-1].end > end:  # cues never overlap either
                cues = [c for c in cues if c.end <= end]
            if start and cues:
                cues = [Cue(c.phrase, c.spec, c.start - start, c.end - start) for c in cues]
            asked = id(block) in self.asking and block.line_of(start) == block.line
            self.collector.sentence(SentenceSpot(self.block_index, block.kind, block.line_of(start), block.heading,
                                                 text, mentions, subject, near, previous, asked, before))
            before = (text, mentions, block.line_of(start))
            crowded = len(mentions) > 1
            if cues or crowded:  # without a cue, every rule needs two concepts
                place = (block.line_of(start), block.heading, text.strip())
                for reading in read_sentence(text, mentions, cues, subject, previous, self.kind_of, near):
                    self._record(reading, place)  # _record keeps a long sentence's stretch around the two
                if crowded:
                    # With a cue the sentence relates its concepts somehow, even where no rule could say how.
                    rule = _COOCCURRENCE_WITH_CUE if cues else _COOCCURRENCE
                    said = (*place, rule)
                    long = len(place[2]) > MAX_EVIDENCE_CHARS
                    for pair in cooccurring_pairs(mentions):  # ordered pairs already: recorded as they are
                        self.relations[(*pair, RelationType.RELATED_TO)].append((_COOCCURRENCE_CONFIDENCE, (
                            *place[:2], self._around(place[2], *pair), rule) if long else said, None))
            self._note_examples(mentions, text, block, start)
            self._maybe_define(mentions[0], text, block, start)
            previous = [mentions[0].concept] if len(mentions) == 1 else list(
                dict.fromkeys(m.concept for m in mentions))[-3:]

    def _note_examples(self, mentions: list[Mention], text: str, block: Block, offset: int) -> None:
        """Keep the first sentence naming each concept: evidence for what its name alone says."""
        for mention in mentions:
            tally = self.concepts[mention.concept]
            if tally.example is None:
                tally.example = Evidence(document=self.source.id, line=block.line_of(offset),
                                         section=block.heading, text=text.strip()[:DEFINITION_CHARS], rule="mention")

    def _maybe_define(self, first: Mention, text: str, block: Block, offset: int) -> None:
        """A sentence that opens with a concept and says what it is defines it; a title or a question never does."""
        if block.kind == "heading" or (id(block) in self.asking and block.line_of(offset) == block.line):
            return
        self._define(first.concept, text, sentence_strength(text, first), block.line_of(offset), block.heading)

    def _define(self, concept_id: str, text: str, strength: Strength, line: int, section: str) -> None:
        """The first definition of each strength, a stronger one replacing a weaker one."""
        tally = self.concepts.get(concept_id)
        if tally is None or strength <= tally.definition_strength:
            return
        tally.definition, tally.definition_strength = clip(" ".join(text.split())), strength
        tally.definition_source = Location(document=self.source.id, line=line, section=section)

    def _define_from_answers(self) -> None:
        """'什么是滑动窗口注意力？', 'What is GQA?': the answer under a question asking what a concept is defines it."""
        blocks = self.parsed.blocks
        for index in self.parsed.question_blocks:
            asker = blocks[index]
            first_line, _, inline = asker.text.partition("\n")
            asked = asked_concept(first_line, [m for m in self.block_mentions.get(index, [])
                                               if m.end <= len(first_line)])
            if asked is None:
                continue
            answer = self._answer_to(index) if len(ANSWER_MARK.sub("", inline).strip()) < 4 else (
                asker.line_of(len(first_line) + 1), inline)
            if answer is not None:
                self._define(asked, answer_opening(answer[1]), Strength.ANSWERED, answer[0], asker.heading)

    def _answer_to(self, index: int) -> tuple[int, str] | None:
        """The line and text of the first paragraph or item after a question, before the next title or question."""
        for later in self.parsed.blocks[index + 1:index + 8]:
            if later.kind == "heading" or id(later) in self.asking or later.kind.startswith("table"):
                return None
            if later.kind in ("paragraph", "item") and later.text.strip() and not is_metadata(later):
                return (later.line, later.text) if len(ANSWER_MARK.sub("", later.text).strip()) >= 4 else None
        return None

    def _read_structure(self, index: int, block: Block, text: str, mentions: list[Mention],
                        subject: str | None) -> None:
        for reading in attribute_relations(text, mentions, subject, self.kind_of):
            self._add(reading, block, 0, block.text)
        if block.kind == "item" and block.parent is not None:
            parent_block = self.parsed.blocks[block.parent]
            parent_main = self.block_main.get(block.parent)
            parent_mentions = self.block_mentions.get(block.parent, [])
            # The parent line must be the name itself ('**GQA (分组查询注意力)**'), not a label that names an aspect
            # ('难点一:长文本建模'): its items are kinds of a concept only when it announces that concept alone.
            named = bool(parent_mentions) and len(_strip_mentions(_BRACKETED_ALIAS.sub("", parent_block.text),
                                                                  parent_mentions)) <= 2
            for reading in list_item_relation(text, mentions, parent_main, named, self.kind_of):
                self._add(reading, block, 0, block.text)
            if parent_main is None and member_label(parent_block.text):
                topic = self._subject(block.parent, parent_block)
                for reading in member_relation(text, mentions, topic, self.kind_of):
                    self._add(reading, block, 0, block.text)
        if block.kind == "heading":
            self.open_problem = None
        if solution_label(block.text):
            self.open_problem = subject
            return
        problem = self._problem_of(block)
        if problem:
            for reading in solution_relation(text, mentions, problem):
                self._add(reading, block, 0, block.text)

    def _read_introduced_list(self, block: Block, text: str, mentions: list[Mention]) -> None:
        """Items of the list a line announced ('剪枝方法有以下几类：') relate to that line's concept."""
        if block.kind == "item" and block.depth == 1 and self.intro is not None:
            intro_block, intro = self.intro
            for reading in introduced_item(text, mentions, intro):
                self._add(reading, block, 0, f"{intro_block.text.strip()} {block.text.strip()}")
        elif block.depth == 0 and block.text.strip():  # a figure between the line and its list keeps it open
            found = list_intro(text, mentions) if block.kind == "paragraph" else None
            self.intro = (block, found) if found else None

    def _problem_of(self, block: Block) -> str | None:
        """The problem named by a '解决方案' lead earlier in the section or the nearest '…的解决方案' section."""
        if self.open_problem:
            return self.open_problem
        section: str | None = self.section_parent.get(block.section) if block.kind == "heading" else block.section
        while section is not None:
            if section in self.section_problem:
                return self.section_problem[section]
            section = self.section_parent.get(section)
        return None

    def _read_answer(self, previous: int | None, block: Block, mentions: list[Mention]) -> None:
        """A bare list of concepts right after a question or heading answers it."""
        if previous is None or block.kind != "paragraph":
            return
        asked = self.parsed.blocks[previous]
        asked_mentions = self.block_mentions.get(previous, [])
        subject = self._main_concept(asked.text, asked_mentions)
        if not (previous in self.parsed.question_blocks or asked.kind == "heading" or asked.is_lead):
            return
        for reading in answer_list_relations(asked.text, asked_mentions, subject, block.text, mentions):
            self._add(reading, asked, 0, f"{asked.text.strip()} {block.text.strip()}")

    def _read_tables(self, rows: dict[int, list[tuple[Block, list[list[str]]]]],
                     headers: dict[int, Block], header_mentions: dict[int, list[list[str]]]) -> None:
        for table, table_rows in rows.items():
            self.collector.table(headers.get(table), header_mentions.get(table, []), table_rows)
            header = headers[table].cells if table in headers else []
            # "方面 | Transformer | T5": the header names the things compared, the first column their aspects.
            header_cells = header_mentions.get(table, [])[1:]
            compared_columns = [cell[0] for cell in header_cells if len(cell) == 1]
            if len(compared_columns) >= 2 and len(compared_columns) == len(header_cells):
                for reading in table_comparisons(compared_columns, [*header, ""]):
                    self._add(reading, headers[table], 0, " | ".join(header))
                for block, cell_mentions in table_rows:
                    # "| 位置编码 | 绝对位置编码 | 相对位置编码 |": what each compared column has there differs.
                    values = [cell[0] for cell in cell_mentions[1:] if len(cell) == 1]
                    for reading in table_comparisons(values, [*header, ""]):
                        self._add(reading._replace(rule="table:row-compare"), block, 0, block.text)
                continue
            subjects: list[str] = []
            for block, cell_mentions in table_rows:
                for reading in table_cell_relations(header, block.cells, cell_mentions, self.kind_of):
                    self._add(reading, block, 0, block.text)
                if cell_mentions and cell_mentions[0]:
                    subjects.append(cell_mentions[0][0])
            first_row = table_rows[0][0]
            for reading in table_comparisons(subjects, header):
                self._add(reading, first_row, 0, " | ".join(header) + " — " + "; ".join(
                    b.cells[0] for b, _ in table_rows if b.cells))

    def run(self, nlp: Language) -> DocumentGraph:
        blocks = self.parsed.blocks
        indexes = [i for i, b in enumerate(blocks) if b.kind != "code" and b.text.strip() and not is_metadata(b)]
        # One Doc for the whole document: spaCy's per-Doc overhead costs more than the tokens themselves.
        offsets, position = [], 0
        for i in indexes:
            offsets.append(position)
            position += len(blocks[i].text) + len(_BLOCK_JOIN)
        joined = _BLOCK_JOIN.join(blocks[i].text for i in indexes)
        doc = nlp(joined)
        folded_text = doc.user_data.get(FOLDED_TEXT) or fold_width(joined)
        spans_by_block = _by_block(offsets, [*spans_of(doc, CONCEPTS_KEY), *spans_of(doc, TERMS_KEY)])
        cues_by_block = _by_block(offsets, spans_of(doc, CUES_KEY))
        release_spans(doc)
        table_rows: dict[int, list[tuple[Block, list[list[str]]]]] = defaultdict(list)
        headers: dict[int, Block] = {}
        header_mentions: dict[int, list[list[str]]] = {}
        previous: int | None = None
        for position, index in enumerate(indexes):
            block, offset = blocks[index], offsets[position]
            mentions = self._mentions(spans_by_block[position], block, offset)
            self.block_mentions[index] = mentions
            topical = block.kind == "heading" or block.is_lead or block.kind == "item"
            main = self._main_concept(block.text, mentions) if topical else None
            if main:
                self.block_main[index] = main
            if block.kind == "heading" and main:
                self.section_main[block.section] = main
                problem = solved_problem(block.text, mentions)
                if problem:
                    self.section_problem[block.section] = problem
            subject, near = self._subject_and_reach(index, block)
            self.block_index = index
            self.collector.block(block, mentions, self.block_main.get(block.parent) if block.parent is not None
                                 else None, subject, self.section_parent.get(block.section))
            if block.kind == "table_header":
                headers[block.table or 0] = block
                header_mentions[block.table or 0] = _cell_mentions(block, mentions)
                continue
            if block.kind == "table_row":
                table_rows[block.table or 0].append((block, _cell_mentions(block, mentions)))
            folded = folded_text[offset:offset + len(block.text)]
            cues = [Cue(phrase, CUES[phrase], c.start_char - offset, c.end_char - offset)
                    for c in cues_by_block[position] for phrase in (c.label_,)]  # the label looked up once
            self._read_sentences(folded, block, mentions, cues, subject, near)
            self._read_structure(index, block, folded, mentions, subject)
            self._read_introduced_list(block, folded, mentions)
            self._read_answer(previous, block, mentions)
            previous = index
            if index in self.parsed.question_blocks:
                self._read_question(index, block, mentions)
        self._read_tables(table_rows, headers, header_mentions)
        self._define_from_answers()
        return self._graph()

    def _read_question(self, index: int, block: Block, mentions: list[Mention]) -> None:
        question_id = self.parsed.question_blocks[index]
        question = self.questions_by_id[question_id]
        first_line_end = block.text.find("\n") if "\n" in block.text else len(block.text)
        question.concepts = list(dict.fromkeys(m.concept for m in mentions if m.start < first_line_end))
        tag_ids = [entry.id for entry in (self.index.find(tag) for tag in question.tags) if entry]
        for tag in tag_ids:
            self._note_mention(tag, self.index.by_id[tag].name, block.line, block.heading)
        main = self._main_concept(block.text, mentions)
        for reading in tag_relations(main, tag_ids, self.kind_of):
            self._add(reading, block, 0, block.text.split("\n")[0] + "  标签: " + ", ".join(question.tags))

    def _graph(self) -> DocumentGraph:
        document = Document(
            id=self.source.id, path=str(self.source.path), title=self.parsed.title, sha256=self.source.sha256,
            encoding=self.source.encoding, chars=len(self.source.text), lines=self.source.text.count("\n") + 1,
            sections=self.parsed.sections, questions=self.parsed.questions, tables=self.parsed.tables,
        )
        # Concepts named on the same line share its (frozen) Location: half as many models to build.
        locations = {place: Location(document=self.source.id, line=place[0], section=place[1])
                     for place in dict.fromkeys(p for t in self.concepts.values() for p in t.places)}
        concepts = [
            Concept(id=cid, name=t.name, aliases=[a for a in t.aliases if a != t.name], kind=t.kind,
                    definition=t.definition, definition_source=t.definition_source, mentions=t.mentions,
                    locations=[locations[place] for place in t.places], signals=t.signals, example=t.example)
            for cid, t in self.concepts.items() if t.mentions
        ]
        relations = []
        shared: dict[_Said, Evidence] = {}  # a sentence that states several relations is one (frozen) Evidence
        for (source, target, relation_type), found in self.relations.items():
            said = list({(line, text): (line, section, text, rule) for _, (line, section, text, rule), _ in found}.values())
            said = said[:_RELATED_EVIDENCE_CAP if relation_type is RelationType.RELATED_TO else _TYPED_EVIDENCE_CAP]
            evidence = [shared.get(key) or shared.setdefault(key, self._evidence(*key)) for key in said]
            relations.append(Relation(source=source, target=target, type=relation_type,
                                      confidence=noisy_or(c for c, _, _ in found), weight=len(found),
                                      evidence=evidence, first=agreed_first(f for _, _, f in found)))
        return DocumentGraph(document=document, concepts=concepts, relations=relations)

    def _evidence(self, line: int, section: str, text: str, rule: str) -> Evidence:
        return Evidence(document=self.source.id, line=line, section=section, text=text, rule=rule)


def agreed_first(votes: Iterable[str | None]) -> str | None:
    """The reference side most readings name; None on a tie or when none names one.

    >>> agreed_first(["ppo", None, "ppo", "grpo"]), agreed_first(["a", "b"]), agreed_first([None])
    ('ppo', None, None)
    """
    ranked = Counter(v for v in votes if v).most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def noisy_or(confidences) -> float:  # type: ignore[no-untyped-def]
    """Independent pieces of evidence raise confidence: 1 - prod(1 - c), capped below certainty."""
    remaining = 1.0
    for confidence in confidences:
        remaining *= 1.0 - confidence
    return round(min(0.99, 1.0 - remaining), 3)


def _by_block(offsets: list[int], spans: list[Span]) -> list[list[Span]]:
    """Spans of the joined Doc grouped by the block they fall in (blocks start at `offsets`)."""
    grouped: list[list[Span]] = [[] for _ in offsets]
    for span in spans:
        grouped[bisect_right(offsets, span.start_char) - 1].append(span)
    return grouped


def _strip_mentions(text: str, mentions: list[Mention]) -> str:
    return _NAME_FILLER.sub("", without_mentions(text, mentions))


def _cell_mentions(block: Block, mentions: list[Mention]) -> list[list[str]]:
    """Concepts per table cell, using the ' | ' joins the parser put between cells."""
    spans, position = [], 0
    for cell in block.cells:
        spans.append((position, position + len(cell)))
        position += len(cell) + 3
    return [[m.concept for m in mentions if start <= m.start and m.end <= end] for start, end in spans]
