from portal.formspec.fields import CallContext
from portal.programmes.models import Call


def call_context(call: Call) -> CallContext:
    """What an application form takes from its call: the categories and their keywords."""
    return CallContext(
        categories=[{"number": c.number, "name": c.name, "keywords": list(c.keywords)} for c in call.categories.all()],
        multiple_categories=call.multiple_categories,
    )
