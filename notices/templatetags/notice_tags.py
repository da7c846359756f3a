from django import template

register = template.Library()


@register.filter
def problems_for(intake, element_id: str) -> list[str]:
    """The element-level problems of one statutory element, for its section of the form."""
    return intake.element_problems.get(element_id, [])
