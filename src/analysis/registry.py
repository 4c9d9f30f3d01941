"""The table registry: one declaration per output table, from which everything else is derived.

Each :class:`Table` names the build step that makes it, its columns (type, a Chinese label, an English
description, an Excel number format) and its workbook sheet, if any. The CSV files, the workbook's
sheets and README sheet, the README's column section (``python -m analysis columns`` prints it; a
test checks it is current) and the column contract the build enforces all come from here. Figures
are declared the same way (:data:`FIGURES`). This module imports nothing heavy, so the build can
read it before deciding what to compute.

Adding a table: write the function that makes it in its module, return it from its step in
:mod:`analysis.build`, and declare it here (see the README's development section).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: Column types: text, whole number, nullable whole number, decimal, yes/no.
Dtype = Literal["str", "int", "int?", "float", "bool"]


@dataclass(frozen=True)
class Col:
    """One column: its name, type, Chinese label, English description and Excel number format."""

    name: str
    dtype: Dtype
    zh: str
    en: str
    fmt: str | None = None


@dataclass(frozen=True)
class Sheet:
    """How a table appears in the workbook.

    ``view`` names a function of :mod:`analysis.workbook` that derives the sheet from the tables
    (a selection of rows, or a reshaped view when ``reshaped``: then the README sheet lists no
    columns for it); ``columns`` keeps only these of the table's columns (the README sheet lists
    them alone); ``matrix`` gives the sheet's numbers a colour scale; ``last`` puts a long
    reference sheet after the comparisons; ``title`` defaults to the table's name and
    ``description`` to the table's; ``added`` declares the columns a view makes that the table
    lacks (label, format, description); ``values`` names the table column whose values fill a
    matrix view's document columns (each named by its ``doc_id``).
    """

    title: str = ""
    description: str = ""
    view: str | None = None
    reshaped: bool = False
    matrix: bool = False
    last: bool = False
    columns: tuple[str, ...] | None = None
    added: tuple[Col, ...] = ()
    values: str | None = None


@dataclass(frozen=True)
class Table:
    """One output table: ``<name>.csv``, made by build step ``step``; ``exports`` names a
    function (``module:function`` in :mod:`analysis`) that writes further files from the
    table beside the CSV (file name to bytes), such as the GEXF networks."""

    name: str
    step: str
    zh: str
    description: str
    columns: tuple[Col, ...]
    sheet: Sheet | None = None
    exports: str | None = None

    @property
    def column_names(self) -> list[str]:
        """The columns in their order."""
        return [c.name for c in self.columns]

    @property
    def sheet_title(self) -> str:
        """The name of its workbook sheet (blank without one)."""
        return (self.sheet.title or self.name) if self.sheet else ""

    @property
    def sheet_description(self) -> str:
        """What its workbook sheet holds."""
        return (self.sheet.description or self.description) if self.sheet else ""


@dataclass(frozen=True)
class Figure:
    """One figure: ``<stem>.<format>``, drawn by ``draw`` (a ``plot_*`` function of
    :mod:`analysis.figures`) from the rows ``select`` (a function there) picks of ``tables``."""

    stem: str
    zh: str
    description: str
    tables: tuple[str, ...]
    draw: str
    select: str
    raster_only: bool = False


# One line a column: fmt off keeps the formatter from spreading each over five lines.
# fmt: off
#: The columns of keyness.csv, shared by concept_keyness.csv.
KEYNESS_COLUMN_SPECS: tuple[Col, ...] = (
    Col("doc_id", "str", "文件", "Target document."),
    Col("reference", "str", "参照", "Reference: national_2018 (the framework) or all_others (every other document pooled)."),
    Col("term", "str", "词语", "Content word."),
    Col("count_target", "int", "目标频次", "Occurrences in the target."),
    Col("count_reference", "int", "参照频次", "Occurrences in the reference."),
    Col("per_10k_target", "float", "目标每万词", "Rate per 10,000 word tokens in the target.", fmt="0.0"),
    Col("per_10k_reference", "float", "参照每万词", "Rate per 10,000 word tokens in the reference.", fmt="0.0"),
    Col("g2", "float", "对数似然G2", "Log-likelihood G2 (Dunning 1993; Rayson & Garside 2000).", fmt="0.0"),
    Col("p_value", "float", "p值", "Chi-square p-value of G2 with 1 degree of freedom (scipy).", fmt="0.00E+00"),
    Col("log_ratio", "float", "对数比", "Hardie's log ratio: log2 of the ratio of relative frequencies, zero counts floored at 0.5. +1 = twice as frequent in the target.", fmt="0.000"),
    Col("direction", "str", "方向", "target = used more in the target; reference = used more in the reference."),
    Col("significant", "bool", "是否显著", "G2 ≥ 15.13 (p < 0.0001) and combined count ≥ 5."),
    Col("is_self_reference", "bool", "是否自指", "The term is a self-reference of the target or the reference (河南省, 我省; 我国 for the framework); left out of figures and workbook sheets unless show_in_views in resources/self_reference.toml."),
)
#: The PMC index's primary variables (columns of pmc.csv): id, Chinese and English name, as in
#: resources/pmc.toml (a scheme with another primary needs its column here).
PMC_PRIMARIES: tuple[tuple[str, str, str], ...] = (
    ("X1", "政策性质", "policy nature"),
    ("X2", "政策时效", "time span"),
    ("X3", "发布层级", "issuing level"),
    ("X4", "政策领域", "policy fields"),
    ("X5", "政策内容", "policy content (the association's work)"),
    ("X6", "政策评价", "policy evaluation"),
    ("X7", "激励约束", "incentives and constraints"),
    ("X8", "政策受体", "target groups"),
    ("X9", "政策功能", "policy functions"),
)
TABLES: tuple[Table, ...] = (
    Table(
        "documents", "corpus", "文件",
        "The documents: type, issuer, 文号, dates, period, length, which metadata was inferred.",
        columns=(
            Col("doc_id", "str", "文件", "Short readable id of the document; the only join key between tables."),
            Col("title", "str", "标题", "Title (from the registry, or inferred from the notice 关于印发《…》的通知 or the title line)."),
            Col("issuer", "str", "发文机关", "Issuing body (registry, or inferred from the notice or its signature)."),
            Col("level", "str", "行政层级", "national / provincial / municipal / county."),
            Col("region", "str", "地区", "Region as written in Chinese (全国, 河南 …)."),
            Col("doc_type", "str", "文件类型", "规划纲要 / 规划 / 工作方案 / 工作要点 / 行动计划 …"),
            Col("doc_number", "str", "文号", "文号 such as 吉科协发调字〔2022〕7号 (registry, or inferred from the front matter)."),
            Col("issued_date", "str", "发布日期", "Issue date YYYY-MM-DD (registry, or the signature date of the notice); blank when the text does not state it."),
            Col("period_start", "str", "起始年份", "First year the document covers (registry)."),
            Col("period_end", "str", "期末年份", "Last year the document covers (registry); the default target year."),
            Col("source_file", "str", "源文件", "File in data/raw (two documents can share one file)."),
            Col("sha256", "str", "SHA-256校验值", "SHA-256 of the source file's bytes."),
            Col("n_chars", "int", "字数", "Characters in the document's sentences (plan body; front matter excluded)."),
            Col("n_sections", "int", "章节数", "Numbered sections (parts, items, leads …)."),
            Col("n_sentences", "int", "句数", "Sentences of the plan body."),
            Col("inferred_fields", "str", "推断字段", "Which of title, issuer, doc_number, issued_date were inferred from the text (semicolon-separated)."),
            Col("encoding", "str", "编码", "Encoding the source file was decoded with."),
            Col("source_format", "str", "源格式", "pdf when page markers were found (PDF line repair applied), else web/plain."),
            Col("notes", "str", "备注", "Registry notes."),
        ),
        sheet=Sheet(),
    ),
    Table(
        "sections", "corpus", "章节",
        "The heading tree of every document, with each section's own text.",
        columns=(
            Col("doc_id", "str", "文件", "Document."),
            Col("section_id", "str", "章节", "Path of kind prefixes and numbers: P3.S2.I6 = part 三, subpart (二), item 6; FM front matter, T title, PRE preamble; L = —— lead; CH/SE 第X章/第X节; SI (1); PG paragraph opened by a lead sentence."),
            Col("parent_id", "str", "上级章节", "section_id of the parent (blank at the top)."),
            Col("depth", "int", "层级深度", "1 for top-level sections."),
            Col("kind", "str", "章节类型", "front_matter, title, preamble, chapter (第X章), section (第X节), part (一、), subpart ((一)), item (1.), subitem ((1)), lead (——), paragraph (a sub-task opened by a short lead sentence, 聚焦政治靶心。…, split from a unit that bundles several)."),
            Col("label", "str", "编号", "Number as printed in the document (三, 一, 12); —— for leads."),
            Col("heading", "str", "标题", "Short title: the text before the first 。 (or before the first space in unbroken copies)."),
            Col("path", "str", "路径", "Readable path, e.g. 三 > (一) > 1."),
            Col("text", "str", "正文", "The section's own body text, children excluded."),
            Col("note", "str", "备注", "Restored from the table of contents, or numbering that differs from the position."),
        ),
        sheet=Sheet(last=True),
    ),
    Table(
        "sentences", "corpus", "句子",
        "Every sentence of every plan body, with its section and its place in the clean text.",
        columns=(
            Col("doc_id", "str", "文件", "Document."),
            Col("section_id", "str", "章节", "Section the sentence belongs to."),
            Col("sentence_id", "int", "句编号", "Position of the sentence in the document, from 1, in document order."),
            Col("text", "str", "句子", "The sentence (normalised characters)."),
            Col("char_start", "int", "字符起点", "Offset of the sentence in the document's clean text."),
            Col("is_heading", "bool", "是否标题", "True for a section heading."),
        ),
    ),
    Table(
        "removed", "corpus", "删除的噪声",
        "Every line or span removed as noise, and why.",
        columns=(
            Col("doc_id", "str", "文件", "Document."),
            Col("text", "str", "删除内容", "Line or span removed as noise."),
            Col("reason", "str", "原因", "Why (the rule in resources/noise_patterns.toml, or the table of contents)."),
        ),
    ),
    Table(
        "tokens", "tokens", "词",
        "One row per token of every sentence (jieba with the domain dictionary).",
        columns=(
            Col("doc_id", "str", "文件", "Document."),
            Col("sentence_id", "int", "句编号", "Sentence."),
            Col("position", "int", "位置", "Position of the token in the sentence, from 0."),
            Col("token", "str", "词", "The token (jieba with the domain dictionary)."),
            Col("is_stopword", "bool", "是否停用词", "In the standard Chinese stop-word list."),
            Col("token_type", "str", "词类型", "word, number, punct or latin."),
            Col("is_boilerplate", "bool", "是否套话", "In the policy boilerplate list (加强, 推进 …)."),
            Col("is_self_reference", "bool", "是否自指", "The document naming its own region or itself (河南省, 我省, 全省; 我国 in a national document), by resources/self_reference.toml and the registry's level and region."),
        ),
    ),
    Table(
        "keywords", "keywords", "高频词",
        "Content-word frequencies of each document, per 10,000 word tokens.",
        columns=(
            Col("doc_id", "str", "文件", "Document."),
            Col("term", "str", "词语", "Content word (not a stop word or boilerplate, at least 2 characters, not a number or punctuation)."),
            Col("count", "int", "频次", "Occurrences in the document."),
            Col("per_10k", "float", "每万词频次", "Occurrences per 10,000 word tokens of the document.", fmt="0.0"),
            Col("rank", "int", "排名", "1 = most frequent (ties broken by term)."),
            Col("is_self_reference", "bool", "是否自指", "The term is a self-reference of the document (河南省, 我省 …); left out of figures and workbook sheets unless show_in_views in resources/self_reference.toml."),
        ),
        sheet=Sheet(description="Top 30 content words of each document side by side, with the rate per 10,000 tokens.", view="keywords_side_by_side", reshaped=True),
    ),
    Table(
        "keyness", "keyness", "关键词",
        "Keyness of each document's terms against the national framework and against all other documents pooled (G2, p, log ratio).",
        columns=(
            *KEYNESS_COLUMN_SPECS,
        ),
        sheet=Sheet(description="Significant keyness of each document against the national framework and against all others pooled (G2, p, log ratio).", view="significant_keyness"),
    ),
    Table(
        "keyness_sections", "keyness", "章节关键性",
        "Significant key terms re-tested with sections as sampling units (Mann-Whitney U).",
        columns=(
            Col("doc_id", "str", "文件", "Target document."),
            Col("reference", "str", "参照", "Reference (as in keyness)."),
            Col("term", "str", "词语", "A term significant in keyness, re-tested with sections as sampling units."),
            Col("n_sections_target", "int", "目标章节数", "Sections of at least 20 word tokens in the target."),
            Col("n_sections_reference", "int", "参照章节数", "Sections of at least 20 word tokens in the reference."),
            Col("share_sections_target", "float", "目标章节覆盖率", "Share of target sections using the term (dispersion).", fmt="0.0%"),
            Col("share_sections_reference", "float", "参照章节覆盖率", "Share of reference sections using the term.", fmt="0.0%"),
            Col("mean_per_10k_target", "float", "目标平均每万词", "Mean rate per 10,000 tokens over target sections.", fmt="0.0"),
            Col("mean_per_10k_reference", "float", "参照平均每万词", "Mean rate per 10,000 tokens over reference sections.", fmt="0.0"),
            Col("u_statistic", "float", "U统计量", "Mann-Whitney U of the target's section rates; empty when either side has no sections of 20+ tokens.", fmt="0.0"),
            Col("p_value", "float", "p值(曼-惠特尼)", "Two-sided Mann-Whitney p-value, as scipy's `method=\"auto\"` gives it for the term alone: exact when a side has at most 8 sections and the term's rates have no ties, else the normal approximation with tie and continuity correction (against all others pooled, computed from ranks shared by every document; tested against scipy).", fmt="0.00E+00"),
            Col("is_self_reference", "bool", "是否自指", "As in keyness: a self-reference of the target or the reference."),
        ),
        sheet=Sheet(),
    ),
    Table(
        "concepts", "concepts", "概念频次",
        "How often each document names each concept of resources/concepts.toml (全民/公民科学素质 → 科学素质; 科协组织/中国科协 → 科协 …), variants counted together and never twice. Cite these rather than token counts for the ideas listed.",
        columns=(
            Col("doc_id", "str", "文件", "Document."),
            Col("concept", "str", "概念", "Concept name (resources/concepts.toml)."),
            Col("count", "int", "频次", "Occurrences of any of its variants; a variant split over several tokens, or containing another variant, counts once."),
            Col("per_10k", "float", "每万词频次", "Occurrences per 10,000 word tokens (a concept written over several tokens counts as one token).", fmt="0.0"),
            Col("variants", "str", "变体", "Spellings found, with counts, most frequent first (科学素质 20; 全民科学素质 16 …)."),
        ),
        sheet=Sheet(title="concepts", description="Concept counts per document (variants counted together), with the spellings each document uses."),
    ),
    Table(
        "concept_keyness", "concepts", "概念关键性",
        "Keyness as in keyness.csv, counted after joining each concept's variants (so 科协 is not key for a document only because another writes 科协组织). The table to cite for key terms.",
        columns=(
            *KEYNESS_COLUMN_SPECS,
            Col("is_concept", "bool", "是否概念", "The term is a concept of resources/concepts.toml (its variants counted together)."),
        ),
        sheet=Sheet(title="concept_keyness", description="Significant keyness counted on concepts, self-references left out: the key terms to cite.", view="significant_concept_keyness"),
    ),
    Table(
        "term_candidates", "collocations", "候选术语",
        "Multiword terms the segmenter splits (科普 | 阵地), found as collocations of 2-3 adjacent word tokens: G2 and PMI, at least 5 occurrences, no stop word or boilerplate at either end; the 300 strongest, with counts per document. Suggestions for resources/user_dict.txt.",
        columns=(
            Col("term", "str", "候选术语", "The tokens joined."),
            Col("tokens", "str", "切分", "The tokens as the segmenter gives them, separated by |."),
            Col("n_tokens", "int", "词数", "Tokens in the run (2 or 3)."),
            Col("rank", "int", "排名", "1 = strongest association (G2), ties by term."),
            Col("g2", "float", "对数似然G2", "Dunning's log-likelihood of the 2 × 2 table: first part (first token, or first two) × last token, over all documents.", fmt="0.0"),
            Col("pmi", "float", "点互信息", "Pointwise mutual information, log2 of observed over expected co-occurrence.", fmt="0.00"),
            Col("count_total", "int", "总频次", "Occurrences in all documents."),
            Col("n_documents", "int", "文件数", "Documents using it."),
            Col("in_user_dict", "bool", "已在用户词典", "Already in resources/user_dict.txt (the segmenter still split it: HMM or a stronger split)."),
            Col("doc_id", "str", "文件", "A document using it."),
            Col("count", "int", "频次", "Occurrences in that document."),
        ),
        sheet=Sheet(title="term_candidates", description="Term candidates (collocations), one row per candidate, strongest first: suggestions for the user dictionary (counts per document in term_candidates.csv).",
                    view="one_row_per_term_candidate", columns=("term", "tokens", "n_tokens", "rank", "g2", "pmi", "count_total", "n_documents", "in_user_dict")),
    ),
    Table(
        "cooccurrence", "concepts", "共现网络",
        "Co-occurrence networks: pairs of the 30 content terms and concepts named in the most sentences of a document (or document group) that share at least 2 sentences, with counts and association strength. Also written as GEXF for Gephi (cooccurrence_<network>.gexf).",
        columns=(
            Col("network", "str", "网络", "A doc_id, or a document group: the registry level (national, provincial …)."),
            Col("network_type", "str", "网络类型", "document or group."),
            Col("term_a", "str", "词语A", "A term or concept (the more widespread of the two)."),
            Col("term_b", "str", "词语B", "The other term or concept."),
            Col("count", "int", "共现句数", "Sentences naming both."),
            Col("count_a", "int", "A句数", "Sentences of the network naming term_a."),
            Col("count_b", "int", "B句数", "Sentences of the network naming term_b."),
            Col("n_sentences", "int", "句数", "Sentences of the network naming any content term."),
            Col("association", "float", "关联强度", "Association strength (van Eck & Waltman 2009; VOSviewer's normalisation): count × n_sentences / (count_a × count_b); 1 = as often as chance.", fmt="0.00"),
        ),
        sheet=Sheet(title="cooccurrence", description="Co-occurrence pairs of the document groups (national / provincial), with association strength; every document's pairs are in cooccurrence.csv, and each network in a GEXF file for Gephi beside it.",
                    view="group_networks"),
        exports="cooccurrence:gexf_files",
    ),
    Table(
        "policy_tools", "policy_tools", "政策工具",
        "Every plan-body sentence (headings left out) coded as a policy tool: supply / environment / demand / none (Rothwell & Zegveld), with the sub-tool, the evidence and whether a rule or an override decided it.",
        columns=(
            Col("doc_id", "str", "文件", "Document."),
            Col("section_id", "str", "章节", "Section of the sentence."),
            Col("sentence_id", "int", "句编号", "Sentence (as in sentences.csv)."),
            Col("text", "str", "句子", "The sentence."),
            Col("tool_type", "str", "工具类型", "supply (供给型), environment (环境型), demand (需求型) or none (no measure)."),
            Col("sub_tool", "str", "子工具", "talent, funding, infrastructure, information, public_service; goal_planning, regulation, institutional, financial, publicity; procurement, outsourcing, pilot, international, social_participation; none."),
            Col("area", "str", "功能领域", "Functional area: the theme of resources/themes.toml whose terms the sentence names most (a tie goes to the theme listed first); none when it names no theme term."),
            Col("evidence", "str", "依据", "The matched terms of resources/policy_tools.toml (sub-tool: terms), or the override's note."),
            Col("source", "str", "来源", "rule, or override (resources/policy_tool_overrides.csv)."),
        ),
        sheet=Sheet(title="policy_tools", description="Every plan-body sentence coded by policy tool, with its evidence; correct single sentences in resources/policy_tool_overrides.csv."),
    ),
    Table(
        "policy_tool_summary", "policy_tools", "政策工具构成",
        "Counts and shares of each tool type and sub-tool per document.",
        columns=(
            Col("doc_id", "str", "文件", "Document."),
            Col("tool_type", "str", "工具类型", "supply, environment, demand or none."),
            Col("sub_tool", "str", "子工具", "The sub-tool."),
            Col("count", "int", "句数", "Sentences coded so."),
            Col("share", "float", "占比", "Share of the document's coded sentences (none included).", fmt="0.0%"),
            Col("share_of_tools", "float", "工具内占比", "Share of the document's sentences with a measure (none left out; blank for none).", fmt="0.0%"),
        ),
        sheet=Sheet(title="policy_tool_summary"),
    ),
    Table(
        "policy_tool_areas", "policy_tools", "政策工具×功能领域",
        "Sub-tool × functional area (the themes): sentences with a measure per document and per document group (registry level), each sentence counted once, in its main theme's area.",
        columns=(
            Col("unit", "str", "文件或组别", "A document, or a document group (registry level)."),
            Col("unit_type", "str", "单位类型", "document or group."),
            Col("tool_type", "str", "工具类型", "supply, environment or demand."),
            Col("sub_tool", "str", "子工具", "The sub-tool."),
            Col("sub_tool_label", "str", "子工具名称", "Its Chinese name (resources/policy_tools.toml)."),
            Col("area", "str", "功能领域", "The theme id, or none (the sentence names no theme term)."),
            Col("area_label", "str", "领域名称", "The theme's label (无主题 for none)."),
            Col("count", "int", "句数", "Sentences of the unit with this sub-tool in this area."),
            Col("share", "float", "占比", "Share of the unit's sentences with a measure (a unit's shares add up to 1).", fmt="0.0%"),
        ),
        sheet=Sheet(title="policy_tool_areas"),
    ),
    Table(
        "policy_tool_mix_test", "policy_tools", "工具结构检验",
        "Whether the tool mix differs between document groups (registry level): chi-square test of independence on groups × tool types (and sub-tools), sentences with a measure.",
        columns=(
            Col("detail", "str", "层级", "tool_type or sub_tool."),
            Col("groups", "str", "组别", "The document groups compared (registry levels)."),
            Col("n_sentences", "int", "句数", "Sentences with a measure in the groups."),
            Col("chi2", "float", "卡方", "Pearson chi-square statistic (scipy chi2_contingency).", fmt="0.00"),
            Col("dof", "int", "自由度", "Degrees of freedom."),
            Col("p_value", "float", "p值", "p-value of the test.", fmt="0.0000"),
            Col("share_expected_below_5", "float", "期望频数<5占比", "Share of cells with an expected count below 5: above 0.2 the chi-square approximation is doubtful.", fmt="0%"),
            Col("note", "str", "备注", "Why a test could not be made."),
        ),
        sheet=Sheet(title="policy_tool_mix_test"),
    ),
    Table(
        "policy_tools_validation", "policy_tools", "政策工具验证",
        "The rules' codes against the hand-coded development sentences (../shared/gold/policy_tools_dev.json): accuracy and Cohen's kappa, for tool type and sub-tool; 'skipped' without the labels.",
        columns=(
            Col("doc_id", "str", "文件", "A hand-coded document, or all."),
            Col("level", "str", "层级", "tool_type or sub_tool."),
            Col("n_labelled", "int", "标注句数", "Hand-coded sentences of the document."),
            Col("n_matched", "int", "匹配句数", "Of these, sentences found in sentences.csv (same document, same text)."),
            Col("accuracy", "float", "准确率", "Share of matched sentences whose code is one a coder gave.", fmt="0.000"),
            Col("kappa", "float", "卡帕系数", "Cohen's kappa of the codes against the coders' (the coder agreeing with the rule where the two coders differ).", fmt="0.000"),
            Col("status", "str", "状态", "scored, or skipped and why."),
        ),
        sheet=Sheet(title="policy_tools_validation"),
    ),
    Table(
        "pmc", "pmc", "PMC指数",
        "PMC index per document (Ruiz Estrada 2011; variables and grade bands in resources/pmc.toml): the nine primary variables, their sum, concavity, grade and rank.",
        columns=(
            Col("doc_id", "str", "文件", "Document."),
            *(Col(x, "float", zh, f"{x} {en}: the mean of its secondary variables (0 to 1).", fmt="0.00")
              for x, zh, en in PMC_PRIMARIES),
            Col("pmc", "float", "PMC指数", "The PMC index: the sum of X1 … X9 (0 to 9).", fmt="0.00"),
            Col("concavity", "float", "凹陷指数", "Concavity (凹陷指数): 9 minus the PMC index, how far the document is from the perfect policy.", fmt="0.00"),
            Col("grade", "str", "等级", "perfect, excellent, acceptable or poor, by the bands of resources/pmc.toml (8, 6, 4, 0 for nine variables)."),
            Col("grade_label", "str", "等级名称", "完美, 优秀, 可接受 or 不良."),
            Col("rank", "int", "排名", "Rank by PMC index (1 = highest; ties share the rank)."),
        ),
        sheet=Sheet(title="pmc"),
    ),
    Table(
        "pmc_variables", "pmc", "PMC二级变量",
        "The PMC index's evidence: every document scored 0 or 1 on every secondary variable of resources/pmc.toml, with the sentences, registry field, period or targets that decided it.",
        columns=(
            Col("doc_id", "str", "文件", "Document."),
            Col("primary", "str", "一级变量", "Primary variable (X1 … X9)."),
            Col("primary_label", "str", "一级变量名称", "Its Chinese name."),
            Col("secondary", "str", "二级变量", "Secondary variable (X1:1 …)."),
            Col("secondary_label", "str", "二级变量名称", "Its Chinese name."),
            Col("score", "int", "得分", "1 when the document shows it, else 0."),
            Col("n_evidence", "int", "依据数", "Sentences (or registry values, years, targets) found by the rule; a terms rule may need more than one (min_sentences)."),
            Col("sentence_ids", "str", "句编号", "The first sentences found (sentences.csv ids), separated by '; '."),
            Col("evidence", "str", "依据", "A quote of the first sentence with the match in 【】, or the registry field, period, target years or target count; or the override's note."),
            Col("source", "str", "来源", "rule, or override (resources/pmc_overrides.csv)."),
        ),
        sheet=Sheet(title="pmc_variables", description="Every PMC point with its evidence; correct single points in resources/pmc_overrides.csv."),
    ),
    Table(
        "themes", "themes", "主题画像",
        "Theme profiles: hits, rate per 10,000 tokens and share, per document and theme.",
        columns=(
            Col("doc_id", "str", "文件", "Document."),
            Col("theme", "str", "主题代码", "Theme id in resources/themes.toml."),
            Col("label", "str", "主题", "Theme label."),
            Col("hits", "int", "命中数", "Theme terms found in the document's sentences."),
            Col("per_10k", "float", "每万词频次", "Hits per 10,000 word tokens.", fmt="0.0"),
            Col("share", "float", "占比", "Share of the document's theme hits.", fmt="0.0%"),
        ),
        sheet=Sheet(matrix=True),
    ),
    Table(
        "themes_sections", "themes", "章节主题",
        "Theme hits per section.",
        columns=(
            Col("doc_id", "str", "文件", "Document."),
            Col("section_id", "str", "章节", "Section."),
            Col("theme", "str", "主题代码", "Theme id."),
            Col("label", "str", "主题", "Theme label."),
            Col("hits", "int", "命中数", "Theme terms in the section's sentences."),
            Col("per_10k", "float", "每万词频次", "Hits per 10,000 word tokens of the section.", fmt="0.0"),
        ),
    ),
    Table(
        "similarity", "similarity", "文件相似度",
        "Cosine similarity between documents, word and character TF-IDF.",
        columns=(
            Col("doc_a", "str", "文件A", "Document."),
            Col("doc_b", "str", "文件B", "Document."),
            Col("method", "str", "方法", "word (TF-IDF of content words) or char (TF-IDF of character 2-3-grams)."),
            Col("score", "float", "余弦相似度", "Cosine similarity, 0 to 1.", fmt="0.000"),
        ),
        sheet=Sheet(description="Document similarity matrix (cosine of TF-IDF), word and character methods.", view="similarity_matrix", reshaped=True, matrix=True,
                    values="score"),
    ),
    Table(
        "alignment", "alignment", "对齐",
        "For each provincial unit (and each unit split into sub-tasks, level rollup), the three closest national tasks or safeguard measures, by method: combined (the default: word + char + BM25 fused by rank), word, char, bm25; shared_terms says why.",
        columns=(
            Col("doc_id", "str", "文件", "Provincial document."),
            Col("section_id", "str", "省级单元", "Provincial unit: a leaf section (item, or a subpart/section/chapter with no numbered section below), a sub-task paragraph (PG) or subitem, or (level rollup) a unit split into those."),
            Col("level", "str", "对齐层次", "unit = aligned itself (the finest level); rollup = a unit split into sub-tasks, scored by the best of its sub-tasks for each national unit."),
            Col("rollup_id", "str", "所属单元", "For a sub-task: the unit it rolls up to (blank otherwise)."),
            Col("heading", "str", "省级单元标题", "Its heading (a sub-task's lead sentence)."),
            Col("unit_role", "str", "单元角色", "task, safeguard (under 保障措施/组织实施) or framing (guiding ideology, principles, goals, background: aligned, but never counted as echo or addition); resources/alignment.toml."),
            Col("national_doc_id", "str", "国家文件", "national_2018 (framework) or national_2018_action (action plan): the documents with registry level national."),
            Col("national_section_id", "str", "国家单元", "National unit: one of the framework's 24 tasks or 7 safeguard measures, or the action plan's 27 actions or 4 safeguard measures."),
            Col("national_heading", "str", "国家单元标题", "Its heading."),
            Col("national_unit_type", "str", "国家单元类型", "task or safeguard (保障措施)."),
            Col("method", "str", "方法", "combined (default: reciprocal-rank fusion of word, char and bm25), word (TF-IDF cosine of concepts and content words), char (TF-IDF cosine of character 2-3-grams, heading counted twice) or bm25 (BM25 of the unit's concepts against the national units)."),
            Col("score", "float", "得分", "combined: Σ 1/(60 + rank) over the three methods, scaled so 1 = ranked first by all three; word, char: cosine 0-1; bm25: BM25 score (not bounded).", fmt="0.000"),
            Col("rank", "int", "排名", "1 = closest national unit under this method (top 3 kept)."),
            Col("shared_terms", "str", "共同词语", "The terms that add most to the score (products of the two units' weights; for combined, the word method's concepts), joined by 、."),
        ),
        sheet=Sheet(),
    ),
    Table(
        "coverage", "alignment", "呼应",
        "National unit × province × method: how many of the province's units echo it, its best rank and the unit that matches it best.",
        columns=(
            Col("national_doc_id", "str", "国家文件", "National document."),
            Col("national_section_id", "str", "国家单元", "National unit (24 + 7 in the framework, 27 + 4 in the action plan)."),
            Col("national_label", "str", "国家单元编号", "Its number as printed (6; 一 for a safeguard measure)."),
            Col("national_heading", "str", "国家单元标题", "Its heading."),
            Col("national_unit_type", "str", "国家单元类型", "task or safeguard."),
            Col("doc_id", "str", "文件", "Provincial document."),
            Col("method", "str", "方法", "combined (default), word, char or bm25."),
            Col("n_units", "int", "呼应单元数", "The province's task and safeguard units (not novel, finest level) that have this national unit among their top 3 matches."),
            Col("best_rank", "int", "最佳排名", "The best rank this national unit reaches in any of those units' rankings (1 = some unit's closest match)."),
            Col("best_score", "float", "最佳得分", "The score of the unit that ranks it best (ties: the higher score) with it.", fmt="0.000"),
            Col("section_id", "str", "最佳省级单元", "That provincial unit."),
            Col("heading", "str", "最佳省级单元标题", "Its heading."),
            Col("echoed", "bool", "是否呼应", "n_units ≥ 1: the province echoes this national unit (top 3 calibrated on the hand labels: precision 0.90, recall 0.90)."),
        ),
        sheet=Sheet(description="National unit × province (combined method): how many provinces echo it, how many of each province's units echo it (have it among their top 3 matches; 0 = not echoed), and the unit that matches it best.", view="coverage_matrix", reshaped=True, matrix=True,
                    added=(Col("n_documents_echoing", "int", "呼应文件数(综合法)", "Provincial documents that echo the national unit (combined method); the others drop it."),
                           Col("n_units_combined", "int", "呼应单元数(综合法)", "The document's units that echo the national unit (have it among their top 3 matches, combined method); 0 = not echoed."),
                           Col("best_heading", "str", "最佳省级单元(综合法)", "Heading of the document's unit that matches the national unit best (combined method)."))),
    ),
    Table(
        "novel_items", "alignment", "省级新增",
        "Every provincial unit: its closest national unit, whether it is a provincial addition (novel), the provincial brands it names, and its distinctive terms.",
        columns=(
            Col("doc_id", "str", "文件", "Provincial document."),
            Col("section_id", "str", "省级单元", "Provincial unit (finest level: sub-tasks, not their rollups)."),
            Col("rollup_id", "str", "所属单元", "For a sub-task: the unit it rolls up to."),
            Col("heading", "str", "标题", "Its heading."),
            Col("unit_role", "str", "单元角色", "task, safeguard or framing."),
            Col("best_national_doc_id", "str", "最接近的国家文件", "Document of the closest national unit (combined method, rank 1)."),
            Col("best_national_section_id", "str", "最接近的国家单元", "The closest national unit."),
            Col("best_national_heading", "str", "最接近的国家单元标题", "Its heading."),
            Col("best_national_unit_type", "str", "最接近的国家单元类型", "task or safeguard."),
            Col("best_score_word", "float", "最佳词语相似度", "Best word-method cosine with any national unit.", fmt="0.000"),
            Col("best_score_char", "float", "最佳字符相似度", "Best char-method cosine with any national unit.", fmt="0.000"),
            Col("best_score_bm25", "float", "最佳BM25得分", "Best BM25 score with any national unit.", fmt="0.000"),
            Col("novel", "bool", "是否新增", "A task or safeguard unit below both novelty thresholds (word 0.07 and char 0.05, resources/alignment.toml, calibrated on the hand labels precision first): a provincial addition."),
            Col("brand_names", "str", "省级品牌", "Provincial brands and programmes the unit names (quoted names no national document uses, with the region in them or followed by 活动/平台/计划 …); a unit that is not novel but names one serves a national unit under a provincial name."),
            Col("distinctive_terms", "str", "特有词语", "The unit's most frequent concepts and content words that no national unit uses."),
        ),
        sheet=Sheet(),
    ),
    Table(
        "echo_summary", "alignment", "呼应汇总",
        "Per provincial document (combined method): how many national units it echoes and drops, how many units it adds (novel), and how many serve a national task under a provincial brand.",
        columns=(
            Col("doc_id", "str", "文件", "Provincial document."),
            Col("n_units", "int", "任务单元数", "Its task and safeguard units (finest level: sub-tasks, not their rollups)."),
            Col("n_national", "int", "国家单元数", "National task and safeguard units it is compared with (62 in the bundled corpus)."),
            Col("n_echoed", "int", "呼应国家单元数", "National units it echoes (coverage.echoed); n_national − n_echoed are the ones it drops."),
            Col("share_echoed", "float", "呼应比例", "n_echoed / n_national.", fmt="0.0%"),
            Col("n_echoed_tasks", "int", "呼应国家任务数", "Of the echoed units, national tasks."),
            Col("n_echoed_safeguards", "int", "呼应保障措施数", "Of the echoed units, national safeguard measures."),
            Col("n_novel", "int", "新增单元数", "Its units flagged novel: provincial additions (novel_items.novel)."),
            Col("n_brand_units", "int", "品牌单元数", "Units that are not novel but name a provincial brand: a national task under a provincial name (novel_items.brand_names)."),
        ),
        sheet=Sheet(),
    ),
    Table(
        "method_agreement", "alignment", "方法一致性",
        "How far the word, char and BM25 methods agree, per provincial document.",
        columns=(
            Col("doc_id", "str", "文件", "Provincial document."),
            Col("n_units", "int", "单元数", "Units aligned (finest level)."),
            Col("spearman_all_pairs", "float", "全部配对斯皮尔曼相关", "Spearman correlation of word and char scores over all unit × national-unit pairs.", fmt="0.000"),
            Col("median_unit_spearman", "float", "单元斯皮尔曼中位数", "Median over units of the Spearman correlation of their word and char rankings.", fmt="0.000"),
            Col("top1_word_char", "float", "词字首位一致率", "Share of units whose closest national unit is the same under word and char.", fmt="0.0%"),
            Col("top1_all_methods", "float", "三法首位一致率", "Share of units whose closest national unit is the same under word, char and bm25.", fmt="0.0%"),
        ),
        sheet=Sheet(),
    ),
    Table(
        "alignment_validation", "alignment", "对齐验证",
        "How often each method ranks an acceptable national unit first (P@1) or in the top 3, on hand-labelled units; novelty and echo precision and recall.",
        columns=(
            Col("variant", "str", "变体", "default (concepts, char heading counted twice: the build's methods) or plain (raw tokens, heading counted once), for comparison."),
            Col("method", "str", "方法", "combined, word, char or bm25."),
            Col("doc_id", "str", "文件", "Hand-labelled document, or all of them pooled."),
            Col("level", "str", "对齐层次", "unit (units and sub-tasks) or rollup (units the annotators split into sub-tasks, scored by their rollup rows)."),
            Col("n_units", "int?", "标注单元数", "Labelled units with at least one acceptable national unit."),
            Col("p_at_1", "float", "首位准确率", "Share of them whose rank 1 is acceptable.", fmt="0.0%"),
            Col("hit_at_3", "float", "前三命中率", "Share of them with an acceptable national unit in the top 3.", fmt="0.0%"),
            Col("n_novel_labelled", "int?", "标注新增数", "Units the annotators found no national counterpart for (combined, default variant only)."),
            Col("n_novel_flagged", "int?", "判为新增数", "Labelled units the build flags novel."),
            Col("novelty_precision", "float", "新增精确率", "Share of flagged units that are labelled novel (blank when none is flagged).", fmt="0.0%"),
            Col("novelty_recall", "float", "新增召回率", "Share of labelled novel units that are flagged.", fmt="0.0%"),
            Col("echo_precision", "float", "呼应精确率", "Share of national units flagged echoed by the document that its labelled units were judged to echo.", fmt="0.0%"),
            Col("echo_recall", "float", "呼应召回率", "Share of the national units its labelled units were judged to echo that are flagged echoed.", fmt="0.0%"),
            Col("n_unmatched", "int?", "未匹配数", "Labelled units not found among the document's units (headings changed since labelling)."),
            Col("status", "str", "状态", "scored, or skipped: why (no hand labels, and no scored table of an earlier build in the output folder to keep)."),
        ),
        sheet=Sheet(),
    ),
    Table(
        "alignment_validation_units", "alignment", "验证单元",
        "Each hand-labelled unit: the national units the annotators accepted, what the combined method ranks first, and the unit's text (read the misses).",
        columns=(
            Col("doc_id", "str", "文件", "Hand-labelled provincial document."),
            Col("section_id", "str", "章节", "The unit found for the label (matched by heading)."),
            Col("level", "str", "对齐层次", "unit or rollup (a unit the annotators split into sub-tasks)."),
            Col("heading", "str", "标题", "Its heading."),
            Col("acceptable", "str", "可接受的国家单元", "Every national unit the annotators accepted (doc:heading; action = the action plan), joined by |."),
            Col("rank1", "str", "首位国家单元", "The combined method's closest national unit."),
            Col("top3", "str", "前三国家单元", "Its three closest."),
            Col("rank1_acceptable", "bool", "首位可接受", "rank1 is acceptable."),
            Col("top3_acceptable", "bool", "前三含可接受", "An acceptable national unit is among the three."),
            Col("novel_labelled", "bool", "标注为新增", "The annotators found no national counterpart."),
            Col("novel_flagged", "bool", "判为新增", "The build flags it novel."),
            Col("text", "str", "单元全文", "The unit's text, to read a miss in full."),
        ),
        sheet=Sheet(title="validation_units"),
    ),
    Table(
        "reuse", "reuse", "文本复用",
        "Provincial sentences that reuse national wording almost verbatim.",
        columns=(
            Col("doc_id", "str", "文件", "Provincial document."),
            Col("sentence_id", "int", "句编号", "Provincial sentence."),
            Col("national_doc_id", "str", "国家文件", "National document."),
            Col("national_sentence_id", "int", "国家句编号", "National sentence it reuses."),
            Col("score", "float", "包含率", "Share of the provincial sentence's character 4-grams found in the national sentence (political formulas masked).", fmt="0.000"),
            Col("shared_chars", "int", "共享字数", "Characters in common blocks of 4 or more."),
            Col("text", "str", "省级句子", "Provincial sentence."),
            Col("national_text", "str", "国家原句", "National sentence."),
        ),
        sheet=Sheet(),
    ),
    Table(
        "reuse_summary", "reuse", "复用汇总",
        "Per provincial document: how many of its sentences reuse national wording.",
        columns=(
            Col("doc_id", "str", "文件", "Provincial document."),
            Col("n_sentences", "int", "句数", "Sentences."),
            Col("n_reusing", "int", "复用句数", "Sentences that reuse national wording."),
            Col("share_reusing", "float", "复用占比", "n_reusing / n_sentences.", fmt="0.0%"),
        ),
        sheet=Sheet(),
    ),
    Table(
        "targets", "targets", "量化目标",
        "Every quantitative target, baseline, threshold and numbered slogan, with indicator, unit, comparator and year.",
        columns=(
            Col("doc_id", "str", "文件", "Document."),
            Col("section_id", "str", "章节", "Section."),
            Col("sentence_id", "int", "句编号", "Sentence."),
            Col("indicator", "str", "指标", "What is measured, in the document's words."),
            Col("value", "float", "数值", "The number, 万/亿 applied (blank for a range or a slogan); shown as written (General).", fmt="General"),
            Col("value_min", "float", "下限", "Lower end of a range (3—5个).", fmt="General"),
            Col("value_max", "float", "上限", "Upper end of a range.", fmt="General"),
            Col("unit", "str", "计量单位", "%, 个, 家, 场, 人 …"),
            Col("multiplier_applied", "str", "数量单位换算", "万 or 亿 when the number was multiplied."),
            Col("comparator", "str", "比较方式", "range, about (左右), more_than (超过, 多), at_least (以上, 不少于, 不低于, 至少), at_most (以下, 以内), strive (力争), reach (达到, 提高到), exact."),
            Col("scope", "str", "适用范围", "The unit the number applies to each of, when the sentence names one (每个地级以上市: one per prefecture-level city), or a frequency's period (每五年); blank = a total (resources/target_rules.toml)."),
            Col("target_year", "int?", "目标年份", "Year the number refers to (blank for a frequency)."),
            Col("year_basis", "str", "年份依据", "sentence (stated in it), context (到YYYY年 earlier in the section), document period (period_end), table (column year)."),
            Col("kind", "str", "数字类别", "target, baseline (achieved or starting value, year before the document's period), threshold (age limit), frequency (so many times per period: 每五年评估两次), slogan (number in a programme name, never a target)."),
            Col("numeral_script", "str", "数字写法", "arabic, chinese or mixed (1.2万); full-width digits are folded to arabic at normalisation."),
            Col("sentence", "str", "句子", "The source sentence."),
            Col("indicator_key", "str", "指标代码", "Canonical key from resources/indicators.csv (blank if unmapped)."),
            Col("comparator_text", "str", "比较用语", "The comparator words as written."),
            Col("number_text", "str", "数量原文", "The quantity as written."),
            Col("attribute", "str", "指标属性", "预期性 / 约束性 for indicator tables."),
            Col("source", "str", "来源", "sentence or table."),
        ),
        sheet=Sheet(description="Every quantitative target, baseline and threshold (slogans excluded) with indicator, unit, comparator and year.", view="targets_without_slogans"),
    ),
    Table(
        "targets_skipped", "targets", "未报告的数量",
        "Quantities not reported as targets, and why.",
        columns=(
            Col("doc_id", "str", "文件", "Document."),
            Col("section_id", "str", "章节", "Section."),
            Col("sentence_id", "int", "句编号", "Sentence."),
            Col("number_text", "str", "数量原文", "The quantity that was not reported."),
            Col("reason", "str", "原因", "Why it was left out rather than guessed."),
            Col("sentence", "str", "句子", "The sentence."),
        ),
        sheet=Sheet(),
    ),
    Table(
        "target_comparison", "targets", "指标对比",
        "Shared indicators side by side: for each indicator of resources/indicators.csv that at least two documents state, one row per document stating it, with its latest baseline and target.",
        columns=(
            Col("indicator_key", "str", "指标代码", "Indicator (resources/indicators.csv) stated by at least two documents."),
            Col("label", "str", "指标名称", "Its label."),
            Col("doc_id", "str", "文件", "Document."),
            Col("region", "str", "地区", "Region."),
            Col("baseline_value", "float", "基线值", "Latest baseline value.", fmt="General"),
            Col("baseline_year", "int?", "基线年份", "Its year."),
            Col("target_value", "float", "目标值", "Latest target value.", fmt="General"),
            Col("target_min", "float", "目标下限", "Range start, for a range target.", fmt="General"),
            Col("target_max", "float", "目标上限", "Range end.", fmt="General"),
            Col("target_comparator", "str", "目标比较方式", "Comparator of the target."),
            Col("target_year", "int?", "目标年份", "Target year."),
            Col("unit", "str", "计量单位", "Unit."),
        ),
        sheet=Sheet(),
    ),
)

FIGURES: tuple[Figure, ...] = (
    Figure("01_top_keywords", "各文件高频词", "Small multiples: the top terms of each document, rate per 10,000 tokens.",
           ("keywords",), "plot_top_keywords", "select_keywords"),
    Figure("02_keyness", "关键性分析", "Two-sided bars: terms and concepts each province uses more and less than the national framework (log ratio; self-references left out).",
           ("concept_keyness",), "plot_keyness", "select_keyness"),
    Figure("03_similarity", "文件相似度", "Document similarity heatmaps, word and character methods.",
           ("similarity",), "plot_similarity", "select_similarity"),
    Figure("04_themes", "主题画像", "Documents × themes: rate per 10,000 tokens in each cell, coloured relative to the theme's highest document.",
           ("themes",), "plot_themes", "select_themes"),
    Figure("05_coverage", "国家任务与保障措施的呼应", "National units × provinces: units echoing each (combined method).",
           ("coverage",), "plot_coverage", "select_coverage"),
    Figure("06_science_literacy_targets", "公民科学素质比例的基线与目标", "Baselines and targets of 公民具备科学素质的比例 by year.",
           ("targets",), "plot_shared_target", "select_science_literacy"),
    Figure("08_cooccurrence", "共现网络", "Co-occurrence networks of the national and the provincial documents (edges: terms sharing sentences; width = shared sentences).",
           ("cooccurrence",), "plot_cooccurrence", "select_cooccurrence"),
    Figure("09_term_candidates", "候选术语", "The 25 strongest multiword term candidates (G2), with their counts.",
           ("term_candidates",), "plot_term_candidates", "select_term_candidates"),
    Figure("10_policy_tools", "政策工具结构", "Shares of supply, environment and demand instruments (and sentences without one) in each document.",
           ("policy_tool_summary",), "plot_policy_tools", "select_policy_tools"),
    Figure("11_policy_tool_areas", "政策工具×功能领域", "Heatmaps of sub-tool × functional area for the national and the provincial documents (share of each group's sentences with a measure).",
           ("policy_tool_areas",), "plot_policy_tool_areas", "select_policy_tool_areas"),
    Figure("12_pmc_surface", "PMC曲面", "The PMC surface of each document: the 3 × 3 matrix of X1 … X9, with the PMC index and grade.",
           ("pmc",), "plot_pmc_surfaces", "select_pmc"),
    Figure("13_pmc_primaries", "PMC一级变量对比", "Grouped bars of the nine primary variables, one bar per document, with each document's PMC index and grade.",
           ("pmc",), "plot_pmc_primaries", "select_pmc"),
    Figure("07_wordclouds", "词云", "One word cloud per document (size = rate per 10,000 tokens).",
           ("keywords",), "plot_wordclouds", "select_keywords", raster_only=True),
)
# fmt: on


def table(name: str) -> Table:
    """The declaration of table ``name``.

    Raises
    ------
    KeyError
        If no table has that name.
    """
    for spec in TABLES:
        if spec.name == name:
            return spec
    raise KeyError(f"no table named {name!r} in the registry")


#: The pandas dtype of each declared column type.
PANDAS_DTYPES = {
    "str": "object",
    "int": "int64",
    "int?": "Int64",
    "float": "float64",
    "bool": "bool",
}


def empty_table(name: str):
    """Table ``name`` with no rows: its declared columns, each of its declared type.

    Returns
    -------
    pandas.DataFrame
        For a step that has nothing to report (for example the validation without hand labels).
    """
    import pandas as pd  # here: a build with nothing to do imports the registry, not pandas

    return pd.DataFrame({c.name: pd.Series(dtype=PANDAS_DTYPES[c.dtype])
                         for c in table(name).columns})  # fmt: skip


def columns(name: str) -> list[str]:
    """The columns of table ``name``, in order."""
    return table(name).column_names


def readme_columns() -> str:
    """The README's column section: a table of every column of every table, in Markdown."""
    blocks = []
    for spec in TABLES:
        rows = "".join(f"| `{c.name}` | {c.zh} | {c.en} |\n" for c in spec.columns)
        blocks.append(f"**`{spec.name}.csv`** ({spec.zh}): {spec.description}\n\n"
                      f"| column | 中文 | meaning |\n|---|---|---|\n{rows}")  # fmt: skip
    return "\n".join(blocks)


def sheet_tables() -> list[Table]:
    """The tables with a workbook sheet, in the workbook's order: the registry's, with the
    ``last`` sheets after the others."""
    return sorted((spec for spec in TABLES if spec.sheet), key=lambda spec: spec.sheet.last)


def figure(stem: str) -> Figure:
    """The declaration of figure ``stem``."""
    for spec in FIGURES:
        if spec.stem == stem:
            return spec
    raise KeyError(f"no figure named {stem!r} in the registry")
