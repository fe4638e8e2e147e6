"""The computed cells' small expression language: numbers, field names, + − × ÷, parentheses and three
functions — sum(…) (empty cells skipped), round(x, n) and abs(x). A province writes
`(invest_y1 + invest_y2 + invest_y3) / 3` or `round(trained / teachers * 100, 1)` in the form editor.

Parsed here into a small tree and evaluated over Decimals; nothing is ever handed to Python's eval,
and anything outside the set (attributes, indexing, strings, other names of functions, ** …) is refused
with the position and the reason, in Chinese, when the definition is checked."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation

MAX_LENGTH = 300
MAX_DEPTH = 20
FUNCTIONS = {"sum": (1, 50), "round": (2, 2), "abs": (1, 1)}
TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<name>[a-z][a-z0-9_]*)|(?P<op>[-+*/(),]))")


class ExpressionError(ValueError):
    """An expression outside the set; the message says where and why."""


def _tokens(text: str) -> list[tuple[str, str, int]]:
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("请填写计算式。")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"计算式不能超过 {MAX_LENGTH} 个字符。")
    out, at = [], 0
    text = text.rstrip()
    while at < len(text):
        match = TOKEN.match(text, at)
        if match is None or match.end() == at:
            at += len(text[at:]) - len(text[at:].lstrip())
            raise ExpressionError(
                f"第 {at + 1} 个字符“{text[at]}”不在可用的写法中："
                "只能使用数字、字段标识、+ - * /、括号和 sum、round、abs。"
            )
        kind = match.lastgroup
        out.append((kind, match.group(kind), match.start(kind) + 1))
        at = match.end()
    return out


class _Parser:
    """expr := term (('+'|'-') term)* ; term := unary (('*'|'/') unary)* ;
    unary := '-' unary | atom ; atom := number | name | name '(' expr (',' expr)* ')' | '(' expr ')'"""

    def __init__(self, tokens):
        self.tokens, self.i, self.depth = tokens, 0, 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "", 0)

    def take(self, value=None):
        token = self.peek()
        if value is not None and token[1] != value:
            where = f"第 {token[2]} 个字符处" if token[0] != "end" else "末尾"
            raise ExpressionError(f"计算式{where}应为“{value}”。")
        self.i += 1
        return token

    def parse(self):
        tree = self.expr()
        if self.peek()[0] != "end":
            token = self.peek()
            raise ExpressionError(f"计算式第 {token[2]} 个字符处多出了“{token[1]}”。")
        return tree

    def expr(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("计算式嵌套过深。")
        tree = self.term()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            tree = (op, tree, self.term())
        self.depth -= 1
        return tree

    def term(self):
        tree = self.unary()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            tree = (op, tree, self.unary())
        return tree

    def unary(self):
        if self.peek()[1] == "-":
            self.take()
            return ("neg", self.unary())
        return self.atom()

    def atom(self):
        kind, value, at = self.peek()
        if kind == "number":
            self.take()
            return ("num", Decimal(value))
        if kind == "name":
            self.take()
            if self.peek()[1] != "(":
                return ("field", value)
            if value not in FUNCTIONS:
                raise ExpressionError(f"第 {at} 个字符处的“{value}”不是可用的函数：只能使用 sum、round、abs。")
            self.take("(")
            args = [self.expr()]
            while self.peek()[1] == ",":
                self.take()
                args.append(self.expr())
            self.take(")")
            low, high = FUNCTIONS[value]
            if not low <= len(args) <= high:
                raise ExpressionError(f"{value}(…) 的参数个数不对。")
            if value == "round" and args[1][0] != "num":
                raise ExpressionError("round(值, 位数) 的位数须为数字。")
            return ("call", value, args)
        if value == "(":
            self.take()
            tree = self.expr()
            self.take(")")
            return tree
        raise ExpressionError("计算式不完整。" if kind == "end" else f"计算式第 {at} 个字符处不应是“{value}”。")


def parse(text: str):
    """The expression's tree; ExpressionError for anything outside the set."""
    return _Parser(_tokens(text)).parse()


def names(tree) -> list[str]:
    """The field and computed-cell names an expression reads, in order, each once."""
    found: list[str] = []

    def walk(node):
        if node[0] == "field":
            if node[1] not in found:
                found.append(node[1])
        elif node[0] == "call":
            for arg in node[2]:
                walk(arg)
        elif node[0] == "neg":
            walk(node[1])
        elif node[0] != "num":
            walk(node[1])
            walk(node[2])

    walk(tree)
    return found


def evaluate(tree, lookup) -> Decimal | None:
    """The value over `lookup(name)` (a Decimal or None). Any empty operand leaves the cell empty, except
    inside sum(…), which adds what is filled; a division by zero leaves it empty too."""
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "field":
        return lookup(tree[1])
    if kind == "neg":
        value = evaluate(tree[1], lookup)
        return None if value is None else -value
    if kind == "call":
        args = [evaluate(arg, lookup) for arg in tree[2]]
        if tree[1] == "sum":
            present = [a for a in args if a is not None]
            return sum(present, Decimal(0)) if present else None
        if args[0] is None:
            return None
        if tree[1] == "abs":
            return abs(args[0])
        places = max(0, min(int(args[1]), 6))
        return args[0].quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    left, right = evaluate(tree[1], lookup), evaluate(tree[2], lookup)
    if left is None or right is None:
        return None
    try:
        if kind == "+":
            return left + right
        if kind == "-":
            return left - right
        if kind == "*":
            return left * right
        return left / right
    # The default decimal context traps x / 0 (DivisionByZero) and 0 / 0 (InvalidOperation): both leave
    # the cell empty, as does a result too large to hold.
    except (InvalidOperation, DivisionByZero, OverflowError):
        return None


def postfix(tree) -> str:
    """The tree in postfix, space-separated, for the web form's live total: the browser only runs a
    stack over what was parsed and checked here (n:3 f:name + - * / neg sum:k round abs)."""
    kind = tree[0]
    if kind == "num":
        return f"n:{tree[1]}"
    if kind == "field":
        return f"f:{tree[1]}"
    if kind == "neg":
        return f"{postfix(tree[1])} neg"
    if kind == "call":
        args = " ".join(postfix(a) for a in tree[2])
        return f"{args} {tree[1]}:{len(tree[2])}"
    return f"{postfix(tree[1])} {postfix(tree[2])} {kind}"
