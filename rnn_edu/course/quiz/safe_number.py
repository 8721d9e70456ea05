"""A small, safe parser for numeric quiz answers.

Learners may type ``10``, ``10.0``, `` 1e1 ``, ``4,294,967,295`` or simple
arithmetic such as ``2**32 - 1``.  A decimal comma (``0,39``) is refused with a
message saying that the separator is a point; commas are read only as
thousands separators in groups of three (``4,294,967,295``).  The text is parsed with
``ast.parse(mode="eval")`` and the tree is walked by hand: only numbers,
``+ - * / **``, unary minus/plus and parentheses are allowed.  Nothing is
ever passed to ``eval`` or ``exec``.  Length, nesting and the size of every
intermediate result are bounded, so ``9**9**9**9`` is refused at once instead
of being computed.
"""
import ast
import math
import re

MAX_LENGTH = 200          # characters of input text
MAX_MAGNITUDE_LOG10 = 400  # refuse any intermediate result above ~1e400
# What a numeric box accepts, shown by example.  The examples must never give an answer away, so
# each question gets the first set whose values all lie a factor of 3 or more away from its key.
EXAMPLE_SETS = (("3.5", "2e-3", "7**2 - 1"), ("12.5", "4e-6", "3**4 + 2"), ("0.75", "6e5", "2**-3"))
NO_EXAMPLES = "a number, or arithmetic with + - * / **"
EXPECTED = "a number such as " + ", ".join(EXAMPLE_SETS[0][:2]) + " or " + EXAMPLE_SETS[0][2]

_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")


class NumberParseError(ValueError):
    """Raised when a text is not a number or an allowed arithmetic expression."""


def examples_for(key=None, accepts=None):
    """The format examples to show for a question whose answer is `key`: a tuple of texts.

    No example, and no number inside one (the 7 and 2 of 7**2 - 1), equals the key or is
    accepted by `accepts` (the question's own check); each example is a factor of 3 or more
    away from the key.  Empty when no set qualifies.
    """
    if key is None:
        return EXAMPLE_SETS[0]
    for examples in EXAMPLE_SETS:
        inner = [v for e in examples for v in sub_values(e)]
        if all(_far(parse_number(e), key) for e in examples) and \
                not any(v == key or (accepts and accepts(v)) for v in inner):
            return examples
    return ()


def sub_values(text):
    """The value of `text` and of every number and sub-expression in it (7**2 - 1: 48, 49, 7, 2, 1)."""
    tree = ast.parse(text.strip(), mode="eval")
    return [_to_float(_evaluate(node, 0)) for node in ast.walk(tree.body)
            if isinstance(node, (ast.Constant, ast.BinOp, ast.UnaryOp))]


def _far(value, key):
    """True when `value` is no hint about `key`: other sign, or a factor of 3 or more apart."""
    if key == 0 or value * key < 0:
        return abs(value - key) >= 1
    return max(abs(value), abs(key)) >= 3 * min(abs(value), abs(key))


def expected_text(key=None, accepts=None):
    """'a number such as 3.5, 2e-3 or 7**2 - 1', with examples that give no hint about `key`."""
    examples = examples_for(key, accepts)
    if not examples:
        return NO_EXAMPLES
    return "a number such as " + ", ".join(examples[:-1]) + " or " + examples[-1]


def parse_number(text):
    """Return the value of `text` as a float, or raise NumberParseError.

    The error message says what was wrong; callers add what was expected.
    """
    if not isinstance(text, str):
        raise NumberParseError(f"got {type(text).__name__}, not text")
    if len(text) > MAX_LENGTH:
        raise NumberParseError(f"the text is {len(text):,} characters long "
                               f"(at most {MAX_LENGTH} are read)")
    text = text.strip()
    if not text:
        raise NumberParseError("the answer is empty")
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    elif _DECIMAL_COMMA.match(text):
        raise NumberParseError(f"the decimal separator is a point: write {text.replace(',', '.')}")
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        raise NumberParseError("this is not a number or simple arithmetic") from None
    value = _evaluate(tree.body, depth=0)
    return _to_float(value)


def _to_float(value):
    """Convert an int/float result to a finite float."""
    try:
        result = float(value)
    except OverflowError:
        raise NumberParseError("the number is too large") from None
    if not math.isfinite(result):
        raise NumberParseError("the result is not a finite number")
    return result


def _evaluate(node, depth):
    """Evaluate an allowed AST node; refuse everything else."""
    if depth > 50:
        raise NumberParseError("the expression is nested too deeply")
    if isinstance(node, ast.Constant):
        return _constant(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _evaluate(node.operand, depth + 1)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        left = _evaluate(node.left, depth + 1)
        right = _evaluate(node.right, depth + 1)
        return _check_size(_binary(node.op, left, right))
    raise NumberParseError(_refusal(node))


def _constant(value):
    """Accept int and float literals only (not bool, complex or strings)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise NumberParseError(f"{type(value).__name__} literals are not numbers here")
    if isinstance(value, float) and not math.isfinite(value):   # 1e999 reads as inf
        raise NumberParseError("the number is too large to be a finite number")
    return _check_size(value)


def _binary(op, left, right):
    """Apply one allowed binary operator."""
    if isinstance(op, ast.Add):
        return left + right
    if isinstance(op, ast.Sub):
        return left - right
    if isinstance(op, ast.Mult):
        return left * right
    if isinstance(op, ast.Div):
        if right == 0:
            raise NumberParseError("division by zero")
        return _to_float(left) / _to_float(right)
    if isinstance(op, ast.Pow):
        return _power(left, right)
    if isinstance(op, ast.BitXor):
        raise NumberParseError("'^' is not a power here; write powers with ** (2**32)")
    raise NumberParseError(f"the operator {type(op).__name__} is not allowed "
                           "(only + - * / ** and parentheses)")


def _power(base, exponent):
    """Compute base**exponent only when the result is known to stay small."""
    if abs(exponent) > 10_000:
        raise NumberParseError("the exponent is too large")
    if base == 0:
        if exponent < 0:
            raise NumberParseError("division by zero")
        return 0 if exponent > 0 else 1
    if abs(exponent) * math.log10(abs(_to_float(base)) or 1.0) > MAX_MAGNITUDE_LOG10:
        raise NumberParseError("the result would be far too large")
    if base < 0 and not float(exponent).is_integer():
        raise NumberParseError("a negative number to a fractional power is not real")
    try:
        if isinstance(base, int) and isinstance(exponent, int) and exponent >= 0:
            return base ** exponent
        return _to_float(base) ** _to_float(exponent)
    except (OverflowError, ZeroDivisionError):
        raise NumberParseError("the result is out of range") from None


def _check_size(value):
    """Refuse intermediate values above 10**MAX_MAGNITUDE_LOG10 or non-finite."""
    if isinstance(value, int):
        if value.bit_length() > MAX_MAGNITUDE_LOG10 * 3.33:
            raise NumberParseError("the number is too large")
        return value
    if not math.isfinite(value):
        raise NumberParseError("the result is not a finite number")
    return value


def _refusal(node):
    """Explain why a syntax element is refused."""
    if isinstance(node, ast.Name):
        return f"names such as {node.id!r} are not allowed, only numbers"
    if isinstance(node, ast.Call):
        return "function calls are not allowed, only numbers and + - * / **"
    if isinstance(node, ast.Tuple):
        return "this looks like several numbers; give one number"
    return f"{type(node).__name__} is not allowed (only numbers, + - * / ** and parentheses)"
