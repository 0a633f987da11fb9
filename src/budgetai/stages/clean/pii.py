r"""Scrub personal data and secrets from text, replacing each hit with a placeholder.

Placeholders: <EMAIL>, <IP_ADDRESS>, <AWS_ACCESS_KEY>, <AWS_SECRET_KEY>, <GITHUB_TOKEN>,
<PRIVATE_KEY>, <SECRET>. Like bigcode's PII pipeline, IP addresses are only scrubbed when they
are public (ipaddress' is_global): 127.0.0.1, 10.x, 192.168.x and documentation ranges are common
in code and teach nothing private; dotted quads after "version"/"v" are version numbers.
Generic `api_key = ...` assignments are scrubbed only when the value is quoted or looks like a
key (>= 16 chars with a digit), so `token = nextToken xs` in Haskell code survives.

Every pattern runs in linear time on untrusted text (issue 26): a private key is found as a
BEGIN line and the first END line after it by two searches, not one lazy `[\s\S]*?` that
rescanned the rest of the text from every unmatched BEGIN (8,000 BEGIN lines: 15 s); an email
cannot start inside a run of the characters its local part is made of, so each run is scanned
once (`a%` repeated 20,000 times: 2.2 s before).
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter

_BEGIN_PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----")
_END_PRIVATE_KEY = re.compile(r"-----END (?:[A-Z]+ )*PRIVATE KEY-----")
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("AWS_ACCESS_KEY", re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b")),
    ("AWS_SECRET_KEY", re.compile(r"(?i)(?<=aws_secret_access_key)(\s*[:=]\s*[\"']?)[A-Za-z0-9/+=]{40}\b")),
    ("GITHUB_TOKEN", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b")),
    ("EMAIL", re.compile(r"(?<![\w.%+-])[A-Za-z0-9][\w.%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")),
]
_GENERIC_SECRET = re.compile(
    r"(?i)\b((?:api[_-]?key|apikey|secret[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token"
    r"|password|passwd|token|secret)\w*)(\s*[:=]\s*)(?:([\"'])([^\"'\s]{8,})\3|([A-Za-z0-9_\-/+=.]{16,}))"
)
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")


def scrub(text: str) -> tuple[str, Counter]:
    """(scrubbed text, Counter of placeholder kind -> replacements)."""
    counts: Counter = Counter()
    text = _scrub_private_keys(text, counts)
    for kind, pattern in _PATTERNS:
        text = _replace(pattern, text, kind, counts)
    text = _GENERIC_SECRET.sub(lambda m: _generic(m, counts), text)
    text = _IPV4.sub(lambda m: _ip(m, counts), text)
    text = _IPV6.sub(lambda m: _ip(m, counts, min_groups=3), text)
    return text, counts


def _scrub_private_keys(text: str, counts: Counter) -> str:
    """Each BEGIN ... PRIVATE KEY line through the first END line after it -> <PRIVATE_KEY>."""
    out, pos = [], 0
    while (begin := _BEGIN_PRIVATE_KEY.search(text, pos)) is not None:
        end = _END_PRIVATE_KEY.search(text, begin.end())
        if end is None:
            break  # no END after this BEGIN, so none after any later BEGIN either
        out += [text[pos : begin.start()], "<PRIVATE_KEY>"]
        counts["PRIVATE_KEY"] += 1
        pos = end.end()
    out.append(text[pos:])
    return "".join(out)


def _replace(pattern: re.Pattern, text: str, kind: str, counts: Counter) -> str:
    def placeholder(match: re.Match) -> str:
        counts[kind] += 1
        # Keep a captured prefix (e.g. ` = "` after aws_secret_access_key) in place.
        return (match.group(1) if match.groups() else "") + f"<{kind}>"

    return pattern.sub(placeholder, text)


def _generic(match: re.Match, counts: Counter) -> str:
    value = match.group(4) or match.group(5)
    if match.group(5) and not any(ch.isdigit() for ch in value):
        return match.group(0)  # an unquoted identifier-like value: code, not a secret
    if value.startswith("<") or value.lower() in {"none", "null", "undefined"}:
        return match.group(0)
    counts["SECRET"] += 1
    quote = match.group(3) or ""
    return f"{match.group(1)}{match.group(2)}{quote}<SECRET>{quote}"


def _ip(match: re.Match, counts: Counter, min_groups: int = 0) -> str:
    candidate = match.group(0)
    before = match.string[max(0, match.start() - 10) : match.start()].lower()
    if "version" in before or before.endswith("v"):
        return candidate  # "version 1.2.3.4", "v2.0.0.1": a version number, not an address
    if min_groups and sum(1 for part in candidate.split(":") if part) < min_groups:
        return candidate  # `a::b` is a Haskell type annotation far more often than an address
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return candidate
    if not address.is_global:
        return candidate
    counts["IP_ADDRESS"] += 1
    return "<IP_ADDRESS>"
