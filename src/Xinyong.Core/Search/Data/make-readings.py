#!/usr/bin/env python3
"""Builds readings.json from the Unihan database as Debian's unicode-data package ships it.

    apt-get install unicode-data && python3 make-readings.py > readings.json

pinyin: the first kMandarin reading of each CJK Unified Ideograph in U+4E00..U+9FFF, without tone, characters
grouped by syllable. simplified: kSimplifiedVariant pairs (traditional, simplified) within that block, for
characters that are not themselves a simplified form. Unicode data: Unicode License (see the "source" field).
"""
import bz2, json, unicodedata

BASE = "/usr/share/unicode/"
LOW, HIGH = 0x4E00, 0x9FFF


def lines(name):
    with bz2.open(BASE + name, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("U+"):
                yield line.rstrip("\n").split("\t")


def toneless(reading):
    # ü (with or without a tone mark) becomes v; then the tone marks go.
    s = unicodedata.normalize("NFD", reading).replace("u\u0308", "v").replace("U\u0308", "v")
    return "".join(c for c in s if unicodedata.category(c) != "Mn").lower()


syllables = {}
for code, field, value in lines("Unihan_Readings.txt.bz2"):
    cp = int(code[2:], 16)
    if field == "kMandarin" and LOW <= cp <= HIGH:
        first = value.split()[0]
        syllables.setdefault(toneless(first), []).append(chr(cp))

simplified = {}
for code, field, value in lines("Unihan_Variants.txt.bz2"):
    cp = int(code[2:], 16)
    if field == "kSimplifiedVariant" and LOW <= cp <= HIGH:
        targets = [int(v[2:].split("<")[0], 16) for v in value.split()]
        if cp in targets:
            continue  # also a simplified character in its own right (乾, 著 ...)
        target = targets[0]
        if LOW <= target <= HIGH:
            simplified[chr(cp)] = chr(target)

print(json.dumps({
    "source": "Unicode Unihan database 15.0 (Debian unicode-data 15.0.0-1), kMandarin and kSimplifiedVariant; "
              "Copyright (c) Unicode, Inc., Unicode License, https://www.unicode.org/copyright.html",
    "pinyin": {k: "".join(v) for k, v in sorted(syllables.items())},
    "simplified": "".join(k + v for k, v in sorted(simplified.items())),
}, ensure_ascii=False, indent=0))
