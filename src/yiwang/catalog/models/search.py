"""Catalogue search tables: the admin-editable synonym table and one search entry per published item.

The full-text structures themselves are backend-specific and are not in migrations: the SQLite FTS5
table over ``catalog_searchentry`` (with its triggers) and the PostgreSQL tsvector columns and GIN
indexes are created idempotently after ``migrate`` (``yiwang.catalog.search.signals``).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_TERM_SEPARATORS = re.compile(r"[,，、;；|/\n\r]+")


def split_terms(value) -> list[str]:
    """``"社保卡, 社会保障卡、社会保障"`` → ``["社保卡", "社会保障卡", "社会保障"]`` (order kept, no duplicates)."""
    if isinstance(value, list | tuple):
        parts = [str(v) for v in value]
    else:
        parts = _TERM_SEPARATORS.split(str(value or ""))
    return list(dict.fromkeys(p.strip() for p in parts if p and p.strip()))


class Synonym(models.Model):
    """搜索同义词: a group of equivalent terms (any one finds all), or a one-way mapping from what
    residents type to the words the catalogue uses (``开公司 → 企业开办, 设立登记``).

    Applied at query time: editing this table takes effect on the next search, without reindexing.
    """

    class Kind(models.TextChoices):
        EQUIVALENT = "equivalent", _("同义词组（互相等价）")
        ONE_WAY = "one_way", _("单向映射（查询词 → 目标词）")

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.EQUIVALENT)
    source = models.CharField(
        _("查询词"), max_length=60, blank=True,
        help_text=_("仅单向映射填写：群众输入的词，例如“开公司”。"),
    )
    terms = models.CharField(
        _("词语"), max_length=500,
        help_text=_("同义词组：全部等价词；单向映射：目标词。用逗号或顿号分隔，例如“社保卡、社会保障卡”。"),
    )
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["kind", "source", "terms"]
        verbose_name = _("搜索同义词")
        verbose_name_plural = _("搜索同义词")

    def __str__(self) -> str:
        if self.kind == self.Kind.ONE_WAY:
            return f"{self.source} → {'、'.join(self.term_list)}"
        return " ⇄ ".join(self.term_list)

    @property
    def term_list(self) -> list[str]:
        return split_terms(self.terms)

    def clean(self) -> None:
        terms = self.term_list
        self.terms = "、".join(terms)
        self.source = (self.source or "").strip()
        if self.kind == self.Kind.ONE_WAY:
            errors = {}
            if not self.source:
                errors["source"] = _("单向映射须填写查询词。")
            if not terms:
                errors["terms"] = _("单向映射须至少有一个目标词。")
            elif self.source and self.source in terms:
                errors["terms"] = _("目标词不能与查询词相同。")
            if errors:
                raise ValidationError(errors)
        else:
            if self.source:
                raise ValidationError({"source": _("同义词组不填写查询词，请把它写进“词语”。")})
            if len(terms) < 2:
                raise ValidationError({"terms": _("同义词组须至少有两个词。")})


class SearchEntry(models.Model):
    """检索条目: one row per implementing item that has a published version — its segmented text
    and denormalised filter columns. Written in the publishing transaction (DESIGN §3)."""

    item = models.OneToOneField("catalog.ServiceItem", on_delete=models.CASCADE, related_name="search_entry")
    version = models.ForeignKey("catalog.ItemVersion", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    code = models.CharField(_("实施编码"), max_length=40)
    name = models.CharField(_("事项名称"), max_length=200)
    name_key = models.CharField(_("规范化名称"), max_length=200, blank=True)  # normalize(name), for suggestions

    # filter columns (national codes as strings, DESIGN §4.1)
    department_code = models.CharField(max_length=40, db_index=True)
    region_code = models.CharField(max_length=12, blank=True)
    audiences = models.CharField(max_length=40, blank=True)  # "|1|2|"
    themes = models.CharField(max_length=800, blank=True)  # "|birth_adoption|social_security|"
    item_type = models.CharField(max_length=2)
    case_type = models.CharField(max_length=1)
    online_level = models.PositiveSmallIntegerField(default=1)
    online_capable = models.BooleanField(default=False)
    tongban_scope = models.CharField(max_length=20, blank=True)
    charges = models.BooleanField(default=False)
    popularity = models.PositiveIntegerField(default=0)

    # segmented text: tokens separated by single spaces
    title_tokens = models.TextField(blank=True)
    alias_tokens = models.TextField(blank=True)  # aliases, result name, pinyin of name and aliases
    body_tokens = models.TextField(blank=True)  # summary, conditions, materials, legal basis, themes

    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-popularity", "code"]
        verbose_name = _("检索条目")
        verbose_name_plural = _("检索条目")
        indexes = [models.Index(fields=["-popularity", "code"], name="catalog_search_pop_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"
