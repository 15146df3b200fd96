"""The regular expressions and word sets the sentence rules share: clause breaks, subject and object tests,
markers of kinds, parts, comparisons and problems. Patterns only; the rules live in `relations` and
`sentence_shapes`, the sides of a cue in `sentence_sides`."""

from __future__ import annotations

import re

CLAUSE_BREAK = re.compile(r"[,，。;；:：!?！？\n]")
SOFT_GAP = re.compile(r"^[\s的等们都也还主要中里上之所被已经均则即就是为了在一些种个类*_\"“”'‘’(（]*$|^\s*(?:techniques|"
                      r"methods|models|algorithms|approaches|frameworks|libraries|tools|strategies|architectures|"
                      r"formats|optimizers|variants|datasets|mechanisms)?\s*,?\s*$|^\s*(?:技术|方法|算法|策略|机制)\s*[,，]?\s*$")
PASSIVE_BEFORE = re.compile(r"(被|由|是|主要是|主要由|所)\s*$")
NOT_EXAMPLE_AFTER_RU = ("何", "果", "下", "此", "同", "今", "实", "是")
IMPROVE_AFTER = re.compile(r"^\s*(改进|扩展|拓展|改良|优化)")
CLAUSE_END = re.compile(r"^[\s*_]*(是什么|有哪些|有什么|分别是什么|如何|怎么样)?[\s*_]*([,，。;；:：!?！？]|$)")
QUESTION_LEAD = re.compile(r"^[\s*_#\-·●•0-9.、:：QqAa]*(为什么要|为什么|为何|如何|怎么|怎样|何时|什么时候|是否|能否)"
                           r"\s*([\u4e00-\u9fff]{0,6}?)(要|会|需要|都)?\s*$")
NEGATED = re.compile(r"(不|没|没有|无需|无须|不再|不必|未|not|n't|never|without)\s*$", re.IGNORECASE)
SENTENCE_LEAD = re.compile(r"^[\s*_#\-·●•0-9.、]*$")
MEMBER_LIST = re.compile(r"[(（]([^()（）]{2,80})[)）]")
MEMBER_SEPARATORS = re.compile(r"^[\s、,，/和与及或]*$")
MEMBER_TAIL = re.compile(r"^[\s、,，等etc.]*$")

OWN_SUBJECT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{2,}\s*(?:又|也|则|就|都)?是")
READER_SUBJECT = re.compile(r"(?:你|我们|我|大家)[^，,。；;]{0,4}$")
PROPERTY_AFTER = re.compile(r"\s*的[^，,。；;]{0,6}?(?:特性|特点|性质|假设|规律)")
CONTRASTIVE_AFTER = re.compile(r"\s*(?:训练|学习|损失|loss|样本)", re.IGNORECASE)
GENERIC_HEAD_BEFORE = re.compile(r"\s*(?:模型|架构|算法|网络|框架|方法)\s*$")
# A conjunction (和/与/跟/同/than), optionally with "traditional/standard", right before a mention.
REFERENCE_BEFORE = re.compile(r"(?:和|与|跟|同|than)\s*(?:传统的?|标准的?|经典的?|普通的?|原始的?|the\s+)?\s*$",
                               re.IGNORECASE)
LABEL_COLON = re.compile(r"^[*_\s]*(?:[:：]|\s[-–—]\s)")  # '**X**: …', '- X - does …'
FROM_TO_IMPROVED = re.compile(r"从\s*(\S+?)\s*到\s*(\S+?)\s*(?:做了|有|的)?.{0,6}(改进|演进|发展|进化)")
MADE_OF_AFTER = re.compile(r"^[^,，。;；]{0,6}?(组成|构成)")
TOPIC_COMPARISONS = frozenset({"比", "相比", "相比于", "相较于", "相较", "优于", "好于", "劣于", "差于", "相对于",
                               "不同于", "compared with", "compared to", "than", "better than", "outperforms",
                               "unlike"})
DISCOURSE_LEAD = re.compile(r"^(?:其中|而|此外|另外|同时|首先|其次|最后|因此|所以|总之|总的来说|通常|一般来说|"
                            r"In addition|Also|However|Moreover)[,，\s]*")
PREPOSITION_BEFORE = re.compile(r"(?:对|对于|在|给|为|把|将|从|向|与|和|跟|用于|针对)\s*(?:每一个|每个|所有|这些|各个|一些|整个)?\s*$|"
                                r"\b(?:across|on|in|for|with|to|of|from|into|over|by|at)\s+(?:the\s+|a\s+|an\s+|"
                                r"multiple\s+|many\s+|several\s+|all\s+)?$", re.IGNORECASE)
ADVERBIAL_GAP = re.compile(r"(?:时|中|后|里|内|之间|之后|之前|期间)")
NOT_SUBJECT_AFTER = re.compile(r"\s*(?:的|和|与|及|、|,|，|或|中|里|之)")
NOUN_PHRASE_END = re.compile(r"[\"“”'‘’「」\s]*(?:问题|现象|部分|模块|层)?\s*(?:[,，。;；:：!?！？、和与及或]|$)")
POSSESSIVE = re.compile(r"\s*的\s*[\"“”'‘’「」]*\s*")
WEAK_SOLVES = frozenset({"减少", "降低", "减少了", "降低了", "reduces", "reduce"})
PROBLEM_AFTER = re.compile(r"[\"“”'‘’\s]*(?:的)?\s*(?:问题|现象|风险|problem|issue)")
STEPS_AFTER = re.compile(r"^[^，,。;；]{0,16}?(?:个)?(?:步骤|阶段|部分|环节|模块|组件|steps|stages|parts)")
PART_OF_CATEGORY = re.compile(r"(?:技术|方法|算法|模型|领域)?中的?(?:一个|一种|一项)?(?:重要|关键|核心|基本)?的?"
                              r"(?:概念|组件|部分|步骤|环节|模块|组成部分)")
PRONOUN_LEAD = re.compile(r"^[\s*_\-·●•0-9.、]*(?:它|其|该方法|该算法|该模型|这种方法|这种算法|这个方法|此方法)")
RELATIVE_OBJECT = re.compile(r"\s*[\u4e00-\u9fff]{1,4}的(?:模型|方法|算法|网络|系统|框架)")
LIKENESS = re.compile(r"不同|相同|一致|类似|相似|不一样|一样|差异|区别|similar|different|differ|the same")
VERB_COORDINATION = re.compile(r"\s*(?:和|与|或|并)\s*[\u4e00-\u9fff]{1,2}(?!的)")
PARENTHETICAL = re.compile(r"\s*[(（][^()（）]{0,40}[)）]\s*")
COLON_LIST_HEAD = re.compile(r"\s*(?:techniques|methods|strategies|types|kinds|approaches|algorithms|models|"
                             r"方法|技术|策略|类型|算法|模型|实现|形式|方式)?\s*[:：]\s*$", re.IGNORECASE)
# Before a category that a colon list follows: '三种类型的剪枝：', '典型的量化实现：', 'three kinds of X:'.
COUNTED_KIND_BEFORE = re.compile(r"(?:[几两三四五多]|\d+)\s*(?:种|类)(?:类型|形式)?的?\s*$|典型的?\s*$|"
                                 r"(?:two|three|four|several|main|different)\s+(?:kinds|types|forms)\s+of\s+$",
                                 re.IGNORECASE)
LABEL_LINE = re.compile(r"^[\s*_\-·●•0-9.、]*[^:：,，。;；]{1,30}?[:：]")
LEAD_FILLER = " *_-·●•0123456789.、)）"
VERB_DE = re.compile(r"\s*[\u4e00-\u9fff]{1,4}的\s*")
PROBLEM_END = re.compile(r"[\"“”'‘’\s]*(?:的)?\s*(?:问题|现象|风险|困难|瓶颈|problem|issue)?\s*"
                         r"(?:[,，。;；:：!?！？、和与及或并]|以及|而|$)")
SEQUENCE_BEFORE = re.compile(r"(?:再|然后|之后|接着|随后|最后|then)\s*$")
LISTED_BEFORE = re.compile(r"(?:等|等等|这些|这几种|these|both|all)\s*(?:都|均|也都)?\s*$|(?:都|均)\s*$")
INSPIRED = re.compile(r"(?:受到?|借鉴了?)(.{1,30}?)(?:的)?(?:启发|思想)\s*[,，]\s*|[Ii]nspired by (.{1,40}?),\s*")
AGENT_AFTER = re.compile(r"^\s*(?:函数|模型|算法)?\s*(?:来)?(?:控制|决定|计算|实现|完成|提供|生成|驱动)")
RELATIVE_AFTER = re.compile(r"\s*(?:了)?\s*的")
PASSIVE_NEAR = re.compile(r"被[^，,。;；]{0,4}$")
COPULA = re.compile(r"(?<![但还或于只总要可凡否不])(?:也|都|就|则|即|本质上)?是(?![否不])")
CATEGORY_MARK = re.compile(r"一种|一类|一个|一项|一款|一系列|之一|^\s*(?:a|an)\s")
# After the category may come a word that only says what sort of thing it is ('高效微调技术', 'LoRA methods').
CATEGORY_TAIL = re.compile(r"[\s*_]*(?:的?(?:技术|方法|算法|模型|框架|机制|策略|方案|工具|结构|架构|形式|方式|模式|类型|"
                           r"techniques?|methods?|algorithms?))?"
                           r"\s*(?:之一)?[\s*_.。]*")
BARE_SUBJECT = re.compile(r"[\s*_#\-·●•0-9.、]*(?:它|其|这|该方法|该算法|该模型|这种方法|这)?[\s*_]*")
# Words before a copula's object that describe it ('自适应的', '带参数的', '简化版'), not a verb phrase ('指将…').
DESCRIBING = re.compile(r"(?![指将把用对在从为让使由被通如什])(?:[\u4e00-\u9fffA-Za-z0-9-]{1,8}的|[\u4e00-\u9fff]{2,4})")
IN_BETWEEN = re.compile(r"在\s*(.{2,40}?)\s*之间(?:取得|实现|做|进行|找到)?\s*(?:了)?\s*(?:平衡|折中|权衡|取舍)|"
                        r"(?:balance|trade-?off|middle ground|compromise)\s+between\s+(.{2,60}?\s+and\s+\S+)",
                        re.IGNORECASE)
# Modal and frequency words between a subject and its verb ('They can use', '它通常可以利用').
MODAL_END = re.compile(r"(?:\s*\b(?:can|could|may|might|should|will|would|must|also|often|usually|typically|"
                       r"generally|then)\b|可以|能够|能|会|也|通常|一般|还|往往|经常|都)+\s*$", re.IGNORECASE)
# What a method cannot do, ending in 问题/缺点: 'X 无法在长序列上收敛的问题', 'X 训练不稳定的缺点'.
SHORTCOMING_AFTER = re.compile(r"\s*(?:中|里)?\s*(?:无法|不能|难以|不易|容易|会|存在|带来|导致|需要|计算|训练|推理)"
                               r"[^，,。;；]{0,20}?的?(?:问题|缺点|不足|局限|局限性|瓶颈)")
# A verb that opens a circumstance ('在使用 X 时', 'when using X'), not a statement about a subject.
CONDITION_BEFORE = re.compile(r"(?:在|当|如果|若)\s*$|\b(?:when|while|if|before|after)\s+$", re.IGNORECASE)
# Between a concept and 分为: 'X 又可以按照对称性划分为…', 'X 根据粒度可分为…'.
BY_CRITERION = re.compile(r"\s*(?:又|还|也|则)?\s*(?:可以|可|能)?\s*(?:按照|根据|按|依据|依照|从)[^，,。;；]{1,10}?\s*"
                          r"(?:来|的不同|角度)?\s*(?:可以|可)?\s*")
# '与 X 不同，Y …', 'Unlike X, Y …': the subject of the main clause is set against X.
SET_AGAINST = re.compile(r"(?:与|和|跟|同)\s*(?:传统的?|标准的?|普通的?)?([^，,。;；]{1,40}?)\s*(?:不同|类似|相似|相比|一样)\s*[,，]")
PRONOUN_WORD = re.compile(r"\b(?:it|they)\b|它们|它", re.IGNORECASE)
# After a name that only describes the noun that follows: '归一化后的数据', 'X 的输出'.
MODIFIES_AFTER = re.compile(r"\s*(?:后|前|时|中)?的")
# The verb between a term and what it is: 'X 是…', 'X 指将…', 'X 是指…'.
DEFINING_VERB = re.compile(r"(?<![但还或于只总要可凡否不])(?:也|都|就|则|即)?(?:是指|是|指)(?![否不])")
# Outcomes that go worse ('训练不稳定', '效果变差', 'hurts accuracy').
WORSE_OUTCOME = re.compile(r"不稳定|变差|更差|下降|变慢|退化|崩溃|失败|不如|降低了?(?:性能|效果|精度)|worse|unstable|degrad|hurts",
                           re.IGNORECASE)
