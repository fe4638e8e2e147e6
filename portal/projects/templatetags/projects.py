from decimal import Decimal

from django import template

from budgets.arithmetic import show

register = template.Library()


@register.filter
def wan(amount):
    """A 万元 amount as the forms print it (30, 12.5), or "—"."""
    if amount is None or amount == "":
        return "—"
    try:
        return show(Decimal(str(amount)))
    except ArithmeticError:
        return str(amount)


@register.filter
def wan_or_raw(value):
    """An editor cell: a stored amount as printed, a posted value exactly as typed."""
    if isinstance(value, Decimal):
        return show(value)
    return "" if value is None else value


@register.filter
def rowerr(errors, key):
    """The errors of an editor row's field: errors|rowerr:"3-unit_cost" → errors["lines-3-unit_cost"]."""
    return (errors or {}).get(f"lines-{key}", [])


@register.simple_tag
def key(*parts):
    return "-".join(str(p) for p in parts)


@register.filter
def chinese_number(n):
    """1 → 一 … 10 → 十: the （一）（二） of a document's sub-headings."""
    digits = "〇一二三四五六七八九"
    n = int(n)
    if n <= 10:
        return "十" if n == 10 else digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
