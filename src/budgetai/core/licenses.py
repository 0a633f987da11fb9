"""License families and the policy a source's rows are held to.

Readers carry the license string their source states ("BSD-3-Clause", "CC BY-NC-SA 3.0",
"GFDL-1.2", "mit, apache-2.0" from The Stack). What a user must know before training on them is
the family: whether the model may be used commercially, and whether the terms propagate.

Families (first match wins, on the lower-cased string):
  non-commercial  "nc" as a CC term (cc by-nc*, cc-by-nc*), "non-commercial", "noncommercial"
  copyleft        gpl, agpl, lgpl, gfdl / fdl, mpl, epl, cc by-sa / cc-by-sa, odbl
  permissive      mit, bsd, apache, isc, zlib, unlicense, cc0, cc by / cc-by (no sa/nc),
                  0bsd, bsl, wtfpl, x11, postgresql, ncsa, public domain
  unknown         anything else (including "other", "see LICENSE")
A string naming several licenses (comma-separated) takes the most restrictive family.

Policy (source config `licenses`, default warn on non-commercial and copyleft):
  licenses: {deny: [non-commercial], warn: [copyleft, unknown]}
A denied family stops the ingest with an error naming the source and license; a warned one is
written into the ingest stats as `terms_warning`, which the data card and the report show on top,
as they do for StackExchange's dump terms.
"""

from __future__ import annotations

import re
from collections import Counter

FAMILIES = ("permissive", "copyleft", "non-commercial", "unknown")
_RESTRICTIVENESS = {"permissive": 0, "unknown": 1, "copyleft": 2, "non-commercial": 3}
DEFAULT_WARN = ("non-commercial", "copyleft")
_NON_COMMERCIAL = re.compile(r"\bcc[ -]?by[ -]nc|\bnc[ -]sa\b|non-?commercial")
_COPYLEFT = re.compile(r"\b(?:a|l)?gpl|\bg?fdl\b|gnu free documentation|\bmpl\b|\bepl\b|\bcc[ -]?by[ -]sa\b|\bodbl\b")
_PERMISSIVE = re.compile(r"\bmit\b|\bbsd|apache|\bisc\b|zlib|unlicense|\bcc0|\bcc[ -]?by\b|0bsd|\bbsl\b|wtfpl"
                         r"|\bx11\b|postgresql|\bncsa\b|public domain")


def family_of_one(license_: str) -> str:
    text = license_.strip().lower()
    for family, pattern in (("non-commercial", _NON_COMMERCIAL), ("copyleft", _COPYLEFT), ("permissive", _PERMISSIVE)):
        if pattern.search(text):
            return family
    return "unknown"


def family(license_: str) -> str:
    """The most restrictive family among the comma-separated licenses of one record."""
    parts = [p for p in license_.split(",") if p.strip()] or [""]
    return max((family_of_one(p) for p in parts), key=_RESTRICTIVENESS.__getitem__)


class LicenseDenied(ValueError):
    """A source's rows are under a license family its policy denies."""


def apply_policy(source: str, licenses: Counter, policy: dict | None) -> dict:
    """Check a source's {license: rows} against its policy: raise LicenseDenied for a denied
    family, else return {"license_families": {family: rows}, "terms_warning": str (if any)}."""
    policy = policy or {}
    deny, warn = set(policy.get("deny") or ()), set(policy.get("warn", DEFAULT_WARN) or ())
    for name in deny | warn:
        if name not in FAMILIES:
            raise ValueError(f"source {source!r}: licenses: {name!r} is not a license family {FAMILIES}")
    by_family: Counter = Counter()
    named: dict[str, set] = {}
    for license_, rows in licenses.items():
        fam = family(license_)
        by_family[fam] += rows
        named.setdefault(fam, set()).add(license_)
    denied = sorted(deny & set(by_family))
    if denied:
        raise LicenseDenied(
            f"source {source!r}: {', '.join(f'{by_family[f]} rows are {f} ({sorted(named[f])})' for f in denied)}; "
            f"its `licenses.deny` refuses them. Remove the source or change the policy.")
    out: dict = {"license_families": dict(sorted(by_family.items()))}
    warned = sorted(warn & set(by_family))
    if warned:
        out["terms_warning"] = "; ".join(
            f"{by_family[f]} rows under {f} licenses ({', '.join(sorted(named[f]))})"
            + (": a model trained on them may not be used commercially" if f == "non-commercial"
               else ": their terms may bind what is built from them" if f == "copyleft" else "")
            for f in warned)
    return out
