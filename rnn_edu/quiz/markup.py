"""A tiny Markdown subset to HTML, keeping LaTeX for MathJax.

Supported: paragraphs (blank-line separated), ``- `` bullet lists, ``**bold**``,
``*italic*``, ```code```, and inline ``$...$`` / display ``$$...$$`` math,
which is passed through untouched (only HTML-escaped) so that an ipywidgets
``HTMLMath`` widget typesets it.  Everything else is HTML-escaped, so bank
text can never inject markup.
"""
import html
import re

_SPANS = re.compile(r"(\$\$.+?\$\$|\$[^$\n]+?\$|`[^`]+`)", re.DOTALL)
_BULLET = re.compile(r"^\s*[-*] ")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def to_html(text):
    """Convert Markdown-subset `text` to HTML (math left for MathJax)."""
    blocks = re.split(r"\n\s*\n", (text or "").strip())
    return "\n".join(_block(b) for b in blocks if b.strip())


def _block(block):
    """Render one block: a bullet list or a paragraph."""
    lines = block.strip().splitlines()
    if all(re.match(r"\s*[-*] ", line) for line in lines):
        items = [inline(_BULLET.sub("", line)) for line in lines]
        return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    return f"<p>{inline(' '.join(line.strip() for line in lines))}</p>"


def inline(text):
    """Render inline Markdown in `text`, leaving math spans verbatim."""
    parts = _SPANS.split(text)
    out = []
    for i, part in enumerate(parts):
        if i % 2 and part.startswith("`"):
            out.append("<code>" + html.escape(part[1:-1], quote=False) + "</code>")
        elif i % 2:
            out.append(html.escape(part, quote=False))
        else:
            out.append(_inline_plain(part))
    return "".join(out)


def _inline_plain(text):
    """Escape and apply bold and italic to text without math or code."""
    text = html.escape(text, quote=False)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return _ITALIC.sub(r"<em>\1</em>", text)
