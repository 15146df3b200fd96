"""Markdown (and plain-text) notes -> sections, blocks of prose, tables, questions and their metadata."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from markdown_it_pyrs import MarkdownIt, Node

from graph.models import Question, Section

# CommonMark without indented code (notes indent list continuations and prose far more often than code), plus
# tables and front matter. markdown-it-pyrs is the Rust port of markdown-it: the same grammar, ~30x faster here.
_PARSER = MarkdownIt("zero").enable_many([
    "blockquote", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference", "autolink", "backticks",
    "emphasis", "entity", "escape", "image", "link", "newline", "html_block", "html_inline", "table", "front_matter",
])
_SKIPPED_BLOCKS = {"fence", "code_block", "html_block", "front_matter"}
_BLOCK_NODES = {"paragraph", "bullet_list", "ordered_list", "blockquote", "fence", "code_block", "html_block",
                "table", "heading", "hr"}
_NEWLINE = re.compile(b"\n")
_INLINE_MATH = re.compile(r"\$[^$\n]{1,200}\$")
_METADATA = re.compile(
    r"^\s*[*_]*\s*(难度|岗位|标签|公司|difficulty|role|tags?|company|companies)\s*[*_]*\s*[:：]\s*[*_]*\s*(.*)$",
    re.IGNORECASE,
)
_QUESTION_START = re.compile(r"^\s*(?:Q\s*\d+\s*[:：.、]|\d+\s*[.、)]\s*(?=什么|为什么|如何|怎么|请))")
_QUESTION_WORDS = re.compile(r"什么|为什么|如何|怎么|怎样|哪些|是否|有何|区别|谈谈|请|介绍|简述|解释|对比|比较|what|why|how|explain")
_ANSWER_MARK = re.compile(r"^\s*[*_]*\s*(答|答案|回答|标准答案|A)\s*[*_]*\s*[:：]")
_LEAD_BULLET = re.compile(r"^\s*[·●•◆■▪]\s*")
_STARS = re.compile(r"[⭐★]")
_LINE_BREAK = re.compile("\n")


@dataclass(slots=True)
class Block:
    """A unit of prose: a heading, paragraph, list item or table row, with plain text and its first line."""

    kind: str
    line: int
    text: str
    section: str
    heading: str
    bold: list[str] = field(default_factory=list)
    depth: int = 0
    parent: int | None = None
    cells: list[str] = field(default_factory=list)
    table: int | None = None
    is_lead: bool = False
    level: int = 0
    link_only: bool = False  # its text is one or more links and nothing else: a reference or a table of contents
    newlines: list[int] | None = field(default=None, repr=False, compare=False)  # offsets of `\n` in text, lazily

    def line_of(self, offset: int) -> int:
        """The 1-based source line of a character offset in `text` (soft breaks are kept as newlines): a binary
        search over the block's line breaks, found once, since a long block is asked for every mention in it."""
        if self.newlines is None:
            self.newlines = [match.start() for match in _LINE_BREAK.finditer(self.text)]
        return self.line + bisect_left(self.newlines, offset)


MAX_HEADING_CHARS = 160


@dataclass
class ParsedDocument:
    """The structure of one document, ready for concept and relation extraction."""

    title: str
    sections: list[Section]
    blocks: list[Block]
    questions: list[Question]
    question_blocks: dict[int, str]
    tables: int
    # Where each question's answer stops: the index of the block after it (the next title or question), by the
    # index of the block asking it. `ingest.answers` cuts the answer's own lines from the notes with it.
    answer_ends: dict[int, int] = field(default_factory=dict)


def _inline_text(nodes: list[Node]) -> tuple[str, list[str]]:
    """Plain text of inline nodes (markup and HTML dropped) and their bold runs."""
    parts: list[str] = []
    bold: list[str] = []
    _collect_inline(nodes, parts, bold)
    return "".join(parts), bold


def _collect_inline(nodes: list[Node], parts: list[str], bold: list[str]) -> None:
    for node in nodes:
        name = node.name
        if name in ("text", "text_special"):  # text_special: an entity or an escape ('&amp;', '\\&') as it reads
            parts.append(node.meta.get("content", ""))
        elif name in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif name == "strong":
            inner: list[str] = []
            _collect_inline(node.children, inner, bold)
            run = "".join(inner)
            if run.strip():
                bold.append(run.strip())
            parts.append(run)
        elif name not in ("html_inline", "image"):  # an image's alt text is a caption, often 'alt text': no prose
            _collect_inline(node.children, parts, bold)


def _only_links(nodes: list[Node]) -> bool:
    """Whether inline nodes are links and nothing else ('- [什么是 RLHF？](#rlhf)', '[Paper](https://…)')."""
    found = False
    for node in nodes:
        name = node.name
        if name in ("softbreak", "hardbreak") or (name == "text" and not node.meta.get("content", "").strip()):
            continue
        if name == "link":
            found = True
        elif name in ("strong", "em"):
            if not _only_links(node.children):
                return False
            found = True
        else:
            return False
    return found


def _is_lead(text: str, bold: list[str]) -> bool:
    """A paragraph that works as a small heading: wholly bold, or a short bullet line like '·RoPE（…）'."""
    stripped = text.strip().rstrip(":：")
    if not stripped or "\n" in stripped:
        return False
    if bold and len(bold) == 1 and bold[0].rstrip(":：") == stripped:
        return True
    return bool(_LEAD_BULLET.match(stripped)) and len(stripped) <= 60


def _is_label(text: str) -> bool:
    """A short line ending in a colon that names an aspect ('特点:', '优点：', 'Pros:'), not a topic."""
    stripped = text.strip()
    return stripped.endswith((":", "：")) and len(stripped.strip("*_:： ")) <= 6


def _question_text(block: Block) -> str | None:
    """The question a block asks, if it asks one."""
    first, _, rest = block.text.strip().partition("\n")
    first = first.strip().strip("*").strip()
    first_plain = first.rstrip("。.").strip()
    if not first_plain or _METADATA.match(first):
        return None
    if first_plain.endswith(("?", "？")) or _QUESTION_START.match(first_plain):
        return first_plain
    if rest and _ANSWER_MARK.match(rest) and _QUESTION_WORDS.search(first_plain.lower()):
        return first_plain
    return None


class _Builder:
    """Walks markdown-it tokens once, keeping the section stack and list nesting."""

    def __init__(self, doc_id: str, total_lines: int) -> None:
        self.doc_id = doc_id
        self.total_lines = total_lines
        self.sections: list[Section] = []
        self.stack: list[Section] = []
        self.blocks: list[Block] = []
        self.content_lines: list[int] = []
        self.item_stack: list[int | None] = []
        self.table_count = 0
        self.table_header: list[str] = []
        self.row_cells: list[str] = []
        self.row_line = 0
        self.last_lead: int | None = None

    @property
    def section(self) -> tuple[str, str]:
        if not self.stack:
            return f"{self.doc_id}#top", ""
        return self.stack[-1].id, self.stack[-1].heading

    def open_section(self, level: int, line: int, heading: str) -> None:
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        parent = self.stack[-1].id if self.stack else None
        if len(heading) > MAX_HEADING_CHARS:  # every location under it repeats the heading: keep it short
            heading = heading[:MAX_HEADING_CHARS].rstrip() + "…"
        section = Section(
            id=f"{self.doc_id}#L{line}", heading=heading, level=level,
            line_start=line, line_end=self.total_lines, parent=parent,
        )
        self.sections.append(section)
        self.stack.append(section)
        self.last_lead = None

    def add_block(self, kind: str, line: int, text: str, bold: list[str], level: int = 0) -> None:
        section_id, heading = self.section
        if kind == "item":
            parent = self.item_stack[-2] if len(self.item_stack) >= 2 else self.last_lead
        elif kind == "paragraph" and self.item_stack:
            parent = self.item_stack[-1]
        elif kind == "heading" or (_is_lead(text, bold) and not _is_label(text)):
            parent = None
        else:
            # A label lead ('**特点**:') belongs to the topic lead above it, like a sub-heading would.
            parent = self.last_lead
        block = Block(kind, line, text, section_id, heading, bold, len(self.item_stack), parent, level=level)
        if (kind == "paragraph" and not self.item_stack) or kind == "item":
            block.is_lead = _is_lead(text, bold)
        self.blocks.append(block)
        if block.is_lead and not self.item_stack:
            self.last_lead = len(self.blocks) - 1
        self.content_lines.append(line)


def parse_markdown(doc_id: str, text: str) -> ParsedDocument:
    """Parse notes into sections (with line ranges), prose blocks, tables and questions.

    >>> doc = parse_markdown("d", "# RoPE\\n\\nRoPE 改进了位置编码。\\n\\n## Q1: 什么是 GQA？\\n")
    >>> [s.heading for s in doc.sections], doc.blocks[1].line, doc.questions[0].answered
    (['RoPE', 'Q1: 什么是 GQA？'], 3, False)
    """
    lines = text.split("\n")
    builder = _Builder(doc_id, len(lines))
    _TreeWalker(builder, text).walk(_PARSER.tree(text))
    _close_sections(builder.sections)
    questions, question_blocks, answer_ends = _find_questions(doc_id, builder.blocks)
    title = next((s.heading for s in builder.sections if s.heading), doc_id)
    return ParsedDocument(title, builder.sections, builder.blocks, questions, question_blocks, builder.table_count,
                          answer_ends)


class _TreeWalker:
    """Feeds the syntax tree to the builder in document order; source maps are UTF-8 byte offsets."""

    def __init__(self, builder: _Builder, text: str) -> None:
        self.builder = builder
        encoded = text.encode("utf-8")
        self.line_starts = [0] + [match.end() for match in _NEWLINE.finditer(encoded)]

    def line(self, node: Node) -> int:
        return bisect_right(self.line_starts, node.srcmap[0]) if node.srcmap else self.builder.row_line

    def walk(self, node: Node) -> None:
        for child in node.children:
            self.block(child)

    def block(self, node: Node) -> None:
        builder, name = self.builder, node.name
        if name == "heading":
            plain, bold = _inline_text(node.children)
            level, line = int(node.meta["level"]), self.line(node)
            builder.open_section(level, line, plain.strip())
            builder.add_block("heading", line, plain.strip(), bold, level)
        elif name == "paragraph":
            self.prose(node, node.children, "paragraph")
        elif name in ("bullet_list", "ordered_list", "blockquote", "root"):
            self.walk(node)
        elif name == "list_item":
            self.list_item(node)
        elif name == "table":
            self.table(node)
        elif name in _SKIPPED_BLOCKS and node.srcmap:
            line = self.line(node)
            builder.content_lines.append(line)
            builder.blocks.append(Block("code", line, "", *builder.section))

    def prose(self, node: Node, inline: list[Node], kind: str) -> None:
        plain, bold = _inline_text(inline)
        if kind == "paragraph" and plain.lstrip().startswith("$$"):
            self.block_like_code(node)
            return
        plain = _INLINE_MATH.sub(" ", plain)
        self.builder.add_block(kind, self.line(node), plain, bold)
        self.builder.blocks[-1].link_only = _only_links(inline)

    def block_like_code(self, node: Node) -> None:
        """Display math written as a paragraph ('$$ ... $$') stays out of extraction like code."""
        line = self.line(node)
        self.builder.content_lines.append(line)
        self.builder.blocks.append(Block("code", line, "", *self.builder.section))

    def list_item(self, node: Node) -> None:
        builder = self.builder
        builder.item_stack.append(None)
        inline: list[Node] = []
        first = True
        for child in [*node.children, None]:
            if child is not None and child.name not in _BLOCK_NODES:
                inline.append(child)
                continue
            if inline:
                self.item_text(node, inline, first)
                first, inline = False, []
            if child is None:
                break
            if child.name == "paragraph" and first:
                self.item_text(child, child.children, True)
                first = False
            else:
                first = False
                self.block(child)
        builder.item_stack.pop()

    def item_text(self, node: Node, inline: list[Node], is_first: bool) -> None:
        self.prose(node, inline, "item" if is_first else "paragraph")
        builder = self.builder
        if is_first and builder.item_stack and builder.item_stack[-1] is None:
            builder.item_stack[-1] = len(builder.blocks) - 1

    def table(self, node: Node) -> None:
        builder = self.builder
        builder.table_count += 1
        builder.table_header = []
        for part in node.children:
            for row in part.children:
                builder.row_line = self.line(row)
                builder.row_cells = [_inline_text(cell.children)[0].strip() for cell in row.children]
                _finish_row(builder, part.name == "thead")


def _finish_row(builder: _Builder, is_header: bool) -> None:
    """Turn collected cells into a table header or a table-row block."""
    if is_header:
        builder.table_header = builder.row_cells
        return
    section_id, heading = builder.section
    row = Block(
        "table_row", builder.row_line, " | ".join(builder.row_cells), section_id, heading,
        cells=list(builder.row_cells), table=builder.table_count, parent=builder.last_lead,
    )
    row.bold = [cell.strip("*") for cell in builder.row_cells[:1]]
    if builder.table_header and not any(b.kind == "table_header" and b.table == builder.table_count
                                        for b in builder.blocks[-len(builder.table_header) - 50:]):
        builder.blocks.append(Block("table_header", builder.row_line - 2, " | ".join(builder.table_header),
                                    section_id, heading, cells=list(builder.table_header),
                                    table=builder.table_count, parent=builder.last_lead))
    builder.blocks.append(row)


def _close_sections(sections: list[Section]) -> None:
    """A section ends where the next heading of the same or a higher level starts."""
    open_sections: list[Section] = []  # sections still waiting for their end, levels strictly rising
    for later in sections:
        while open_sections and open_sections[-1].level >= later.level:
            open_sections.pop().line_end = later.line_start - 1
        open_sections.append(later)


def parse_metadata(text: str) -> dict[str, str]:
    """Metadata lines such as '**难度**:⭐⭐⭐' or '标签: #LoRA #PEFT', keyed by their label."""
    found: dict[str, str] = {}
    for line in text.split("\n"):
        match = _METADATA.match(line)
        if match:
            found[match.group(1).lower()] = match.group(2).strip().strip("*").strip()
    return found


def parse_tags(value: str) -> list[str]:
    """Tag values from '#LoRA #参数高效微调' (tags may contain spaces: '#Reward Hacking')."""
    if "#" not in value:
        return [part.strip() for part in re.split(r"[,，、;；]", value) if part.strip()]
    return [part.strip() for part in value.split("#") if part.strip()]


def is_metadata(block: Block) -> bool:
    """True when every line of the block is a metadata line."""
    if ":" not in block.text and "：" not in block.text:
        return False  # every metadata line has a colon: most prose is ruled out without splitting lines
    lines = [line for line in block.text.split("\n") if line.strip()]
    return bool(lines) and all(_METADATA.match(line) for line in lines)


def _find_questions(doc_id: str, blocks: list[Block]) -> tuple[list[Question], dict[int, str], dict[int, int]]:
    """Questions (headings, numbered items, bold lines), whether answered, with difficulty and tags; and where
    each one's answer ends."""
    questions: list[Question] = []
    by_block: dict[int, str] = {}
    ends: dict[int, int] = {}
    asks = [_question_text(block) for block in blocks]  # once per block: each question looks ahead at the rest
    for index, block in enumerate(blocks):
        asked = asks[index]
        if asked is None or block.kind not in ("heading", "paragraph", "item") or block.link_only:
            continue  # a link titled with a question points elsewhere: it asks nothing here
        metadata: dict[str, str] = {}
        _, newline, rest = block.text.strip().partition("\n")
        answered = bool(newline) and len(_ANSWER_MARK.sub("", rest).strip()) >= 4
        ends[index] = len(blocks)
        for offset in range(index + 1, len(blocks)):  # not a slice: copying the rest per question is quadratic
            later = blocks[offset]
            if (later.kind == "heading" and (block.kind != "heading" or later.level <= block.level)) or (
                    later.kind != "heading" and asks[offset] and later.depth <= block.depth):
                ends[index] = offset
                break
            if later.kind in ("paragraph", "item") and is_metadata(later):
                metadata.update(parse_metadata(later.text))
            elif not answered and later.kind != "heading" and (
                    later.kind == "code" or len(_ANSWER_MARK.sub("", later.text).strip()) >= 4):
                answered = True
        question_id = f"{doc_id}:L{block.line}"
        stars = len(_STARS.findall(metadata.get("难度", metadata.get("difficulty", ""))))
        tags = parse_tags(metadata.get("标签", metadata.get("tags", metadata.get("tag", ""))))
        questions.append(Question(
            id=question_id, text=asked, line=block.line, section=block.heading, answered=answered,
            difficulty=stars or None, tags=tags, metadata=metadata,
        ))
        by_block[index] = question_id
    return questions, by_block, ends
