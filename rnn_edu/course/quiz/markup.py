"""A tiny Markdown subset to HTML, keeping LaTeX for MathJax, and messages that mix
the course's own text with text shown literally.

Supported: paragraphs (blank-line separated), ``- `` bullet lists, ``**bold**``,
``*italic*``, ```code```, and inline ``$...$`` / display ``$$...$$`` math,
which is passed through untouched (only HTML-escaped) so that an ipywidgets
``HTMLMath`` widget typesets it.  Everything else is HTML-escaped, so bank
text can never inject markup.

A :class:`Message` is built from pieces: plain ``str`` pieces are the course's
own text (Markdown and math), :func:`literal` and :func:`code` pieces are shown
exactly as they are (what a learner typed, a parser's complaint, a code
example): escaped, never read as Markdown, and kept away from MathJax.
"""
import html
import re
from dataclasses import dataclass

_SPANS = re.compile(r"(\$\$.+?\$\$|\$[^$\n]+?\$|`[^`]+`)", re.DOTALL)
_BULLET = re.compile(r"^\s*[-*] ")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
# MathJax skips <code> and elements with these classes (v2 and v3 names).
NO_MATH = "tex2jax_ignore mathjax_ignore"


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
            out.append(code_html(part[1:-1]))
        elif i % 2:
            out.append(html.escape(part, quote=False))
        else:
            out.append(_inline_plain(part))
    return "".join(out)


_TEX_NAMES = re.compile(r"\\(?:text|mathrm|operatorname|mathbf|mathit)\{([^{}]*)\}")
_TEX_SYMBOLS = {r"\lVert": "‖", r"\rVert": "‖", r"\leftarrow": "←", r"\rightarrow": "→", r"\approx": "≈",
                r"\times": "×", r"\cdot": "·", r"\le": "≤", r"\ge": "≥", r"\ne": "≠", r"\partial": "∂"}
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+)")


def spoken(text):
    r"""`text` with its $...$ math as plain characters, for a screen reader (an option's aria-label):
    '$\operatorname{diag}(f_t)\, W_R$' -> 'diag(f_t) W_R'. Markdown marks and backticks are dropped."""
    def math(span):
        span = re.sub(r"\\hat\{([^{}]*)\}", r"\1 hat", _TEX_NAMES.sub(r"\1", span.strip("$")))
        span = re.sub(r"\\[,;:! ]|~", " ", span)
        for command, symbol in _TEX_SYMBOLS.items():
            span = re.sub(re.escape(command) + r"(?![A-Za-z])", symbol, span)
        span = _TEX_COMMAND.sub(r"\1", span)                  # \eta -> eta, \sigma -> sigma
        span = span.replace("{", "").replace("}", "")
        return re.sub(r"\s+", " ", span).strip()
    parts = _SPANS.split(text)
    out = [math(p) if i % 2 and p.startswith("$") else p.strip("`") if i % 2 else p.replace("*", "")
           for i, p in enumerate(parts)]
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _inline_plain(text):
    """Escape and apply bold and italic to text without math or code."""
    text = html.escape(text, quote=False)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return _ITALIC.sub(r"<em>\1</em>", text)


def code_html(text):
    """`text` as inline code: escaped, and never typeset by MathJax."""
    return f"<code class='{NO_MATH}'>{html.escape(text, quote=False)}</code>"


def literal_html(text):
    """`text` exactly as it is: escaped, no Markdown, never typeset by MathJax."""
    return f"<span class='{NO_MATH}'>{html.escape(text, quote=False)}</span>"


@dataclass(frozen=True)
class Literal:
    """A message piece shown exactly as written, in one of three styles:
    "text" (as is), "code" (as code) or "math" (as is, but $...$ typeset: option texts)."""

    text: str
    style: str = "text"

    def to_html(self):
        if self.style == "code":
            return code_html(self.text)
        if self.style == "math":
            return html.escape(self.text, quote=False)
        return literal_html(self.text)


def literal(text):
    """A message piece shown as it is (e.g. a parser's complaint)."""
    return Literal(str(text))


def code(text):
    """A message piece shown as code, exactly as typed (e.g. the learner's answer)."""
    return Literal(str(text), "code")


def with_math(text):
    """A message piece shown as it is except for its $...$ math (e.g. an option's text)."""
    return Literal(str(text), "math")


class Message:
    """Feedback text made of the course's Markdown (str pieces) and literal pieces.

    ``.text`` is the plain text (for headless use and the progress file);
    ``.html`` renders the course's pieces and shows the literal ones verbatim.
    """

    def __init__(self, *pieces):
        self.pieces = tuple(p for p in pieces if p)

    def __add__(self, other):
        other = other.pieces if isinstance(other, Message) else (other,)
        return Message(*self.pieces, *other)

    @property
    def text(self):
        return "".join(p.text if isinstance(p, Literal) else p for p in self.pieces).strip()

    @property
    def html(self):
        return "".join(p.to_html() if isinstance(p, Literal) else inline(p) for p in self.pieces).strip()

    def __str__(self):
        return self.text

    def __repr__(self):
        return f"Message({self.text!r})"
