"""The header of a Haskell module read by a small lexer: file-header pragmas, the module line
(its name and the span of its export list, of any shape: nested parentheses, several lines,
comments inside) and the imports.

Why a lexer and not a regular expression: an export list nests parentheses
(`module Triangle (TriangleType(..), triangleType) where`), spans lines, and holds comments
that may contain parentheses; pragmas such as `{-# ANN module "HLint: ignore" #-}` may follow the
module line; CPP directives (`#if`, `#include`) may sit anywhere. Tree-sitter does not help
either: CPP lines are errors to it. The lexer knows comments (nested `{- -}`, `--` but not
`-->`), pragmas, strings (with gaps), character literals (and `x'` names, TH `'name` quotes),
CPP lines, and stops after the imports, so it reads each character once.

`read_header(text)` raises ModuleHeaderError when the header itself is malformed (an unclosed
comment or export list, `module` without `where`); callers that only need a best effort (the
type-check wrapper) then hand the text to GHC as it is, which names the error itself.
Literate files: `unlit` first (lines keep their numbers, as GHC's own unlit does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SYMBOL_CHARS = frozenset("!#$%&*+./<=>?@\\^|-~:")
NAME = re.compile(r"[A-Za-z_][\w']*")  # one identifier; qualified names are joined by the lexer
CHAR_LITERAL = re.compile(r"'(?:[^'\\\n]|\\[^'\n]{1,9})'")  # bounded: no backtracking
CPP_DIRECTIVE = re.compile(r"#[ \t]*[a-z!]")  # `#if`, `#include`, a shebang `#!`
NUMBER = re.compile(r"[0-9][\w.]*")
BEGIN_CODE, END_CODE = re.compile(r"\\begin\{code\}\s*$"), re.compile(r"\\end\{code\}\s*$")


class ModuleHeaderError(ValueError):
    """The module header cannot be read (the message says what and at which line)."""


@dataclass(frozen=True)
class Token:
    kind: str  # name (a qualified or plain identifier), pragma, cpp, string, char, special, symbol, number
    text: str
    start: int  # offsets into the text
    end: int
    line: int  # 1-based
    column: int  # 0-based


@dataclass(frozen=True)
class Import:
    module: str
    start: int  # offset of `import`
    qualified: bool = False


@dataclass(frozen=True)
class ModuleHeader:
    """What a module's header declares. Offsets index the text given to read_header."""

    name: str | None  # None: no module line (the module is an implicit Main)
    module_span: tuple[int, int] | None  # `module ... where`
    exports_span: tuple[int, int] | None  # the export list with its parentheses, if any
    pragmas: tuple[str, ...]  # file-header pragmas (before the module line), as written
    imports: tuple[Import, ...] = field(default=())
    # Where a module line belongs when there is none: the start of the line holding the first
    # code token or CPP directive after the file-header pragmas (the end of the text if none).
    body_start: int = 0

    @property
    def language_extensions(self) -> tuple[str, ...]:
        names = []
        for pragma in self.pragmas:
            words = pragma[3:-3].replace(",", " ").split()
            if words and words[0].upper() == "LANGUAGE":
                names.extend(words[1:])
        return tuple(names)


def read_header(text: str) -> ModuleHeader:
    """The header of a (non-literate) Haskell module; see the module docstring."""
    tokens = _lex(text)
    pragmas, last_pragma_end, directive_after_pragmas = [], 0, None
    first = next(tokens, None)
    while first is not None and first.kind in ("pragma", "cpp"):
        if first.kind == "pragma" or first.start == 0 and first.text.startswith("#!"):  # a shebang stays first
            if first.kind == "pragma":
                pragmas.append(first.text)
            last_pragma_end, directive_after_pragmas = first.end, None
        elif directive_after_pragmas is None:
            directive_after_pragmas = first
        first = next(tokens, None)
    body = directive_after_pragmas or first
    body_start = _line_start(text, body.start) if body is not None else len(text)
    if body_start < last_pragma_end:  # code on the same line as the last pragma
        body_start = body.start
    elif body_start == 0 and text.startswith("\ufeff"):  # the byte-order mark stays first
        body_start = 1
    name = module_span = exports_span = None
    if first is not None and first.kind == "name" and first.text == "module":
        name, module_span, exports_span, first = _module_line(first, tokens)
    while first is not None and first.kind in ("pragma", "cpp"):  # `{-# ANN module ... #-}`, `#if`
        first = next(tokens, None)
    imports = _imports(first, tokens) if first is not None else ()
    return ModuleHeader(name, module_span, exports_span, tuple(pragmas), imports, body_start)


def unlit(text: str) -> str:
    """The code of a literate (.lhs) text, line for line as GHC's unlit makes it: prose lines
    blank, the bird track `>` replaced by a space (columns, hence layout, are kept)."""
    lines = text.split("\n")
    latex = any(BEGIN_CODE.match(line) for line in lines)
    out, in_code = [], False
    for line in lines:
        if latex:
            if BEGIN_CODE.match(line) or END_CODE.match(line):
                in_code = bool(BEGIN_CODE.match(line))
                out.append("")
            else:
                out.append(line if in_code else "")
        else:
            out.append(" " + line[1:] if line.startswith(">") else "")
    return "\n".join(out)


def with_module_line(text: str, header: ModuleHeader, line: str) -> str:
    """The text with `line` (e.g. "module Snippet where") put where a module line belongs:
    after the file-header pragmas, before any code or CPP directive."""
    at = header.body_start
    if at > 0 and text[at - 1] not in "\n\ufeff":  # code shares a line with the last pragma
        return f"{text[:at]}\n{line}\n{' ' * (at - _line_start(text, at))}{text[at:]}"
    return f"{text[:at]}{line}\n{text[at:]}"


def _module_line(keyword: Token, tokens):
    name = next(tokens, None)
    if name is None or name.kind != "name" or not name.text[:1].isupper():
        raise ModuleHeaderError(f"line {keyword.line}: `module` is not followed by a module name")
    after = next(tokens, None)
    exports_span = None
    if after is not None and after.text == "(" and after.kind == "special":
        close = _matching_paren(after, tokens)
        exports_span = (after.start, close.end)
        after = next(tokens, None)
    if after is None or after.text != "where":
        raise ModuleHeaderError(f"line {keyword.line}: the module line of {name.text} has no `where`")
    return name.text, (keyword.start, after.end), exports_span, next(tokens, None)


def _matching_paren(open_paren: Token, tokens) -> Token:
    depth = 1
    for token in tokens:
        if token.kind == "special" and token.text in "()":
            depth += 1 if token.text == "(" else -1
            if depth == 0:
                return token
    raise ModuleHeaderError(f"line {open_paren.line}: the export list is not closed")


def _imports(first: Token, tokens) -> tuple[Import, ...]:
    """The imports at the top of the module body. In layout, a top-level item starts at the
    body's column; in an explicit `{ }` block, after a `;`. The first item that is not an
    import ends them."""
    explicit = first.kind == "special" and first.text == "{"
    token = next(tokens, None) if explicit else first
    imports, item, depth = [], [], 0
    while token is not None:
        if token.kind in ("cpp", "pragma"):  # `import {-# SOURCE #-} M`, an `#if` around imports
            token = next(tokens, None)
            continue
        if explicit and depth == 0 and token.kind == "special" and token.text in ";}":
            if item and not _add_import(item, imports):
                return tuple(imports)
            item = []
            if token.text == "}":
                break
            token = next(tokens, None)
            continue
        if not explicit and item and token.column <= first.column:
            if not _add_import(item, imports):
                return tuple(imports)
            item = []
        if token.kind == "special" and token.text in "([{":
            depth += 1
        elif token.kind == "special" and token.text in ")]}":
            depth -= 1
        item.append(token)
        token = next(tokens, None)
    if item:
        _add_import(item, imports)
    return tuple(imports)


def _add_import(item: list[Token], imports: list[Import]) -> bool:
    """Record `item` if it is an import declaration; False when it is not (imports are over)."""
    if item[0].text != "import":
        return False
    qualified = any(t.text == "qualified" for t in item)
    names = [t for t in item[1:] if t.kind == "name" and t.text not in ("safe", "qualified")]
    if names and names[0].text[:1].isupper():
        imports.append(Import(names[0].text, item[0].start, qualified))
    return True


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _lex(text: str):
    """Tokens of `text`, comments skipped, lazily (read_header stops after the imports)."""
    i, line, line_start, n = 0, 1, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            i, line, line_start = i + 1, line + 1, i + 1
            continue
        if c in " \t\r\f\v\ufeff":  # \ufeff: a byte-order mark GHC skips
            i += 1
            continue
        start, column = i, i - line_start
        if c == "#" and column == 0 and CPP_DIRECTIVE.match(text, i):
            end = i
            while True:  # a directive continues over lines ending in a backslash
                end = text.find("\n", end)
                if end < 0 or text[end - 1] != "\\":
                    break
                end += 1
            end = n if end < 0 else end
            yield Token("cpp", text[start:end], start, end, line, column)
        elif text.startswith("{-#", i):
            end = text.find("#-}", i + 3)
            if end < 0:
                raise ModuleHeaderError(f"line {line}: unclosed pragma")
            end += 3
            yield Token("pragma", text[start:end], start, end, line, column)
        elif text.startswith("{-", i):
            end = _block_comment_end(text, i, line)
        elif c == "-" and _is_line_comment(text, i):
            end = text.find("\n", i)
            end = n if end < 0 else end
        elif c == '"':
            end = _string_end(text, i, line)
            yield Token("string", text[start:end], start, end, line, column)
        elif c == "'" and (match := CHAR_LITERAL.match(text, i)):
            end = match.end()
            yield Token("char", match.group(), start, end, line, column)
        elif c.isalpha() or c == "_":
            end = _qualified_name_end(text, i)
            yield Token("name", text[start:end], start, end, line, column)
        elif c.isdigit():
            end = NUMBER.match(text, i).end()
            yield Token("number", text[start:end], start, end, line, column)
        elif c in "()[]{},;`":
            end = i + 1
            yield Token("special", c, start, end, line, column)
        else:
            end = i + 1
            while end < n and text[end] in SYMBOL_CHARS:
                end += 1
            yield Token("symbol", text[start:end], start, end, line, column)
        line += text.count("\n", start, end)
        if "\n" in text[start:end]:
            line_start = text.rfind("\n", start, end) + 1
        i = end


def _block_comment_end(text: str, i: int, line: int) -> int:
    depth, i = 1, i + 2
    while depth:
        opening, closing = text.find("{-", i), text.find("-}", i)
        if closing < 0:
            raise ModuleHeaderError(f"line {line}: unclosed {{- comment")
        if 0 <= opening < closing:
            depth, i = depth + 1, opening + 2
        else:
            depth, i = depth - 1, closing + 2
    return i


def _is_line_comment(text: str, i: int) -> bool:
    """`--`, `---`, ... start a comment unless more symbol characters follow (`-->` is an operator)."""
    end = i
    while end < len(text) and text[end] == "-":
        end += 1
    return end - i >= 2 and (end == len(text) or text[end] not in SYMBOL_CHARS)


def _string_end(text: str, i: int, line: int) -> int:
    i += 1
    while i < len(text):
        c = text[i]
        if c == '"':
            return i + 1
        if c == "\n":
            break
        if c == "\\":
            if i + 1 < len(text) and text[i + 1].isspace():  # a string gap: \   \
                close = text.find("\\", i + 1)
                if close < 0:
                    break
                i = close + 1
                continue
            i += 2
            continue
        i += 1
    raise ModuleHeaderError(f"line {line}: unterminated string")


def _qualified_name_end(text: str, i: int) -> int:
    """End of `Data.Map.Strict`, `M.lookup` or a plain name."""
    end = NAME.match(text, i).end()
    while (text[i:i + 1].isupper() and end + 1 < len(text) and text[end] == "."
           and (text[end + 1].isalpha() or text[end + 1] == "_")):
        i = end + 1
        end = NAME.match(text, i).end()
    return end
