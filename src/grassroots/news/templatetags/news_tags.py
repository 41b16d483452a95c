"""Template helpers of the public news pages: a photo's phone-sized rendition, served by the
module's own route (never the original upload)."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html
from wagtail.whitelist import DEFAULT_ELEMENT_RULES, Whitelister

from grassroots import policy

register = template.Library()

#: Twice a 390 px phone screen, re-encoded (no original metadata), at most twice as tall.
PHONE_SPEC = (
    f"max-{policy.NEWS_IMAGE_WIDTH}x{2 * policy.NEWS_IMAGE_WIDTH}|format-jpeg|jpegquality-70"
)


def phone_rendition_of(image: Any) -> dict[str, Any]:
    rendition = image.get_rendition(PHONE_SPEC)
    return {
        "src": reverse("news:rendition", args=[rendition.file.name]),
        "width": rendition.width,
        "height": rendition.height,
    }


@register.simple_tag
def phone_rendition(image: Any) -> dict[str, Any] | None:
    return phone_rendition_of(image) if image is not None else None


@register.simple_tag(takes_context=True)
def first_image(context: Any, page: Any) -> str:
    """The absolute address of the article's first photo (Open Graph), or ""."""
    for block in page.body:
        if block.block_type == "image" and block.value["image"] is not None:
            src = phone_rendition_of(block.value["image"])["src"]
            return str(context["request"].build_absolute_uri(src))
    return ""


class PublicWhitelister(Whitelister):
    """The elements a paragraph may show: Wagtail's defaults without images (a photo is its own
    block) and without div/h1. Text stored by any path (the admin's editor cleans its own input;
    a service or an import does not) is cleaned again when shown."""

    element_rules = {
        name: rule
        for name, rule in DEFAULT_ELEMENT_RULES.items()
        if name not in {"img", "div", "h1"}
    }


@register.filter
def public_richtext(value: Any) -> str:
    source = getattr(value, "source", value) or ""
    return mark_safe(PublicWhitelister().clean(expand_db_html(source)))  # noqa: S308 - cleaned
