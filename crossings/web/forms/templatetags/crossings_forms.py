"""Filters of the record pages: workflow words and the standard's labels, translated."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.http import urlencode

from crossings.standard.model import load_standard
from crossings.web.forms import labels
from crossings.web.forms.i18n import code_label, label_text

register = template.Library()


@register.filter
def status_label(status: str) -> Any:
    return labels.STATUS.get(status, status)


@register.filter
def scope_label(scope: str) -> Any:
    return labels.SCOPE.get(scope, scope)


@register.filter
def change_label(change: str) -> Any:
    return labels.CHANGE.get(change, change)


@register.filter
def detail_label(detail: str) -> Any:
    return labels.DETAIL.get(detail, detail)


@register.filter
def type_label(record_type: str) -> str:
    standard = load_standard()
    if record_type not in standard.record_types:
        return record_type
    return label_text(standard.record_type(record_type).label)


@register.filter
def country_label(code: str) -> str:
    return f"{code_label('country', code)} ({code})"


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (for page links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return urlencode(sorted(params.items()))
