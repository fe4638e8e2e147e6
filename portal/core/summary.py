"""The list of a page's errors shown above its form, each linking to its field (Django's id_<name>
ids, formset prefixes included), so that a long page such as the call form says at once what needs
fixing and where."""

from __future__ import annotations


def error_summary(*forms) -> list[dict]:
    """[{"anchor": "id_…" or "", "message": …}] for the forms and formsets given, in page order."""
    out: list[dict] = []
    for form in forms:
        if form is None:
            continue
        if hasattr(form, "forms"):  # a formset: its own errors, then each row's
            out += [{"anchor": "", "message": m} for m in form.non_form_errors()]
            for row in form.forms:
                out += error_summary(row)
            continue
        for name, messages in form.errors.items():
            anchor = "" if name == "__all__" else form[name].auto_id
            out += [{"anchor": anchor, "message": m} for m in messages]
    return out
