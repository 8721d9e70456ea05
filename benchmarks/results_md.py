"""Sections of benchmarks/RESULTS.md that belong to one harness each.

A harness writes its own section between two marker comments and leaves the
rest of the file alone; `keep_sections` lets a harness that rewrites the whole
file (run.py) carry the marked sections of the old file over.
"""
import re

BEGIN = "<!-- section:{name} begin: written by {writer}, kept by the others -->"
END = "<!-- section:{name} end -->"
_ANY = re.compile(r"<!-- section:(?P<name>[\w.-]+) begin:.*?-->.*?<!-- section:(?P=name) end -->\n?", re.S)


def _pattern(name):
    return re.compile(rf"<!-- section:{re.escape(name)} begin:.*?-->.*?<!-- section:{re.escape(name)} end -->\n?",
                      re.S)


def read_section(text, name):
    """The body of section `name` (without its markers), or None."""
    m = _pattern(name).search(text)
    if not m:
        return None
    body = m.group(0)
    return body[body.index("-->") + 3:body.rindex("<!--")].strip("\n")


def replace_section(text, name, writer, body):
    """`text` with section `name` set to `body` (appended at the end when new)."""
    block = f"{BEGIN.format(name=name, writer=writer)}\n{body.strip()}\n{END.format(name=name)}\n"
    if _pattern(name).search(text):
        return _pattern(name).sub(lambda _m: block, text, count=1)
    return text.rstrip("\n") + ("\n\n" if text.strip() else "") + block


def keep_sections(old_text, new_text):
    """`new_text` plus every marked section of `old_text` that `new_text` lacks."""
    out = new_text
    for m in _ANY.finditer(old_text):
        if not _pattern(m.group("name")).search(out):
            out = out.rstrip("\n") + "\n\n" + m.group(0).rstrip("\n") + "\n"
    return out


def untimed_rows(body, timed):
    """From a speed section's body: the table lines {(cell, dtype): lines} and the target
    lines ("- LSTM float32 H=32: ...") of the (cell, dtype) pairs not in `timed`, and when
    that section was measured ("measured on <date>", from its "Measured on" line)."""
    rows, targets = {}, []
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        words = line.split()
        if line.startswith("| ") and len(cells) > 2 and cells[1] in ("float64", "float32"):
            if (cells[0], cells[1]) not in timed:
                rows.setdefault((cells[0], cells[1]), []).append(line)
        elif line.startswith("- ") and len(words) > 2 and (words[1], words[2]) not in timed:
            targets.append(line)
    when = next((line.split(" by ")[0] for line in body.splitlines() if line.startswith("Measured on")), "")
    return rows, targets, when.replace("Measured on", "measured on").strip()
