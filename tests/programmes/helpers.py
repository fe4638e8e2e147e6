"""Filling a definition completely, as a person would through the web form, and the typed
values the snapshot must then hold."""

from decimal import Decimal

from portal.core.samples import blank_pdf
from portal.formspec.fields import row_names
from portal.formspec.registry import latest
from portal.formspec.sample import sample_post
from portal.programmes.services.applications import save_draft
from portal.programmes.services.attachments import add_attachment

# The tests fill forms as the demo does.
complete_post = sample_post
PDF = blank_pdf()


def expected_values(definition: dict, post: dict) -> dict:
    out = {}
    for name, spec in definition["fields"].items():
        kind = spec["kind"]
        if kind == "rows":
            out[name] = [
                {col["key"]: post[n] for n, col in zip(row, spec["columns"])} for row in row_names(name, spec)[:2]
            ]
        elif kind == "integer":
            out[name] = int(post[name])
        elif kind == "decimal":
            places = spec.get("places", 2)
            out[name] = format(Decimal(post[name]).quantize(Decimal(1).scaleb(-places)), "f")
        elif kind == "categories":
            out[name] = post[name] if isinstance(post[name], list) else [post[name]]
        else:
            out[name] = post[name]
    return out


def definition_of(key: str) -> dict:
    return latest(key)


def complete_application(application, actor, multiple=False):
    """Fills every field of the draft through the service and uploads the evidence the form requires."""
    definition = application.schema.definition
    save_draft(
        actor=actor,
        application=application,
        raw=complete_post(definition, multiple=multiple),
        expected_version=application.lock_version,
    )
    for name, spec in definition["fields"].items():
        if spec.get("attach") == "evidence":
            add_attachment(
                actor=actor, application=application, name="材料.pdf", data=PDF, purpose="evidence", field=name
            )
    application.refresh_from_db()
    return application
