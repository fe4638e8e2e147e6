from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """mapping[key] in a template, or an empty list."""
    try:
        return mapping.get(key, [])
    except AttributeError:
        return []


@register.filter
def filesize(size):
    size = int(size or 0)
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KB"
