"""What a refused form's page must show, read the way people meet it: the title, the summary
first in the main content and focused on load, and its links to the fields."""

from __future__ import annotations

import re

SUMMARY = re.compile(
    r'<main id="inhoud" tabindex="-1">\s*'
    r'<div class="error-summary" tabindex="-1" autofocus aria-labelledby="fout-kop">(.*?)</div>',
    re.S,
)

# What a browser focuses on its own when a link's target is it; any other element needs a
# tabindex, or following the summary's link leaves the focus where it was.
FOCUSABLE = {"input", "select", "textarea", "button", "a"}


def summary_links(html: str) -> list[tuple[str, str]]:
    """The fields the summary links to and what it says of each, in its order; fails unless
    the title says "Fout: ", the summary opens the main content and has focus on load, and
    every link leads to an element of the page that can take the focus."""
    assert re.search(r"<title>Fout: ", html), "the title does not start with Fout:"
    found = SUMMARY.search(html)
    assert found, "no focused error summary at the top of the main content"
    links = re.findall(r'<a href="#([^"]+)">[^<:]*: ([^<]*)</a>', found[1])
    for name, _ in links:
        target = re.search(rf'<(\w+)\b([^>]*)\bid="{re.escape(name)}"([^>]*)>', html)
        assert target, f"the summary links to #{name}, which is not on the page"
        tag, attributes = target[1], target[2] + target[3]
        assert tag in FOCUSABLE or "tabindex=" in attributes, (
            f"the summary links to #{name}, a <{tag}> that cannot take the focus"
        )
    return links
