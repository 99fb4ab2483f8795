"""lunr.js 2.3.9's Porter stemmer, ported line by line so Python and the browser stem alike."""

from __future__ import annotations

import re

STEP2 = {
    "ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize", "bli": "ble",
    "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous", "ization": "ize", "ation": "ate",
    "ator": "ate", "alism": "al", "iveness": "ive", "fulness": "ful", "ousness": "ous", "aliti": "al",
    "iviti": "ive", "biliti": "ble", "logi": "log",
}
STEP3 = {"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": ""}

_c = "[^aeiou]"          # consonant (as lunr.js writes it)
_v = "[aeiouy]"          # vowel
_C = _c + "[^aeiouy]*"   # consonant sequence
_V = _v + "[aeiou]*"     # vowel sequence

RE_MGR0 = re.compile("^(" + _C + ")?" + _V + _C)
RE_MEQ1 = re.compile("^(" + _C + ")?" + _V + _C + "(" + _V + ")?$")
RE_MGR1 = re.compile("^(" + _C + ")?" + _V + _C + _V + _C)
RE_S_V = re.compile("^(" + _C + ")?" + _v)

RE_1A = re.compile(r"^(.+?)(ss|i)es$")
RE2_1A = re.compile(r"^(.+?)([^s])s$")
RE_1B = re.compile(r"^(.+?)eed$")
RE2_1B = re.compile(r"^(.+?)(ed|ing)$")
RE_1B_2 = re.compile(r".$")
RE2_1B_2 = re.compile(r"(at|bl|iz)$")
RE3_1B_2 = re.compile(r"([^aeiouylsz])\1$")
RE4_1B_2 = re.compile("^" + _C + _v + "[^aeiouwxy]$")
RE_1C = re.compile(r"^(.+?[^aeiou])y$")
RE_2 = re.compile(r"^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism"
                  r"|iveness|fulness|ousness|aliti|iviti|biliti|logi)$")
RE_3 = re.compile(r"^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$")
RE_4 = re.compile(r"^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$")
RE2_4 = re.compile(r"^(.+?)(s|t)(ion)$")
RE_5 = re.compile(r"^(.+?)e$")
RE3_5 = re.compile("^" + _C + _v + "[^aeiouwxy]$")
# Suffixes each step's pattern needs: a cheap test before the regular expression (same answers, faster).
STEP2_ENDS = tuple(STEP2)
STEP3_ENDS = tuple(STEP3)
STEP4_ENDS = ("al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ou", "ism", "ate",
              "iti", "ous", "ive", "ize")


def stem(w: str) -> str:
    """The stem lunr.js gives ``w`` (a lowercase term)."""
    if len(w) < 3:
        return w
    firstch = w[0]
    if firstch == "y":
        w = "Y" + w[1:]
    # Step 1a
    if w[-1] != "s":
        pass
    elif RE_1A.search(w):
        w = RE_1A.sub(r"\1\2", w, count=1)
    elif RE2_1A.search(w):
        w = RE2_1A.sub(r"\1\2", w, count=1)
    # Step 1b
    m = RE_1B.search(w) if w.endswith("eed") else None
    if m:
        if RE_MGR0.search(m.group(1)):
            w = RE_1B_2.sub("", w, count=1)
    else:
        m = RE2_1B.search(w) if w.endswith(("ed", "ing")) else None
        if m:
            stem_ = m.group(1)
            if RE_S_V.search(stem_):
                w = stem_
                if RE2_1B_2.search(w):
                    w = w + "e"
                elif RE3_1B_2.search(w):
                    w = RE_1B_2.sub("", w, count=1)
                elif RE4_1B_2.search(w):
                    w = w + "e"
    # Step 1c
    m = RE_1C.search(w) if w[-1] == "y" else None
    if m:
        w = m.group(1) + "i"
    # Step 2
    m = RE_2.search(w) if w.endswith(STEP2_ENDS) else None
    if m and RE_MGR0.search(m.group(1)):
        w = m.group(1) + STEP2[m.group(2)]
    # Step 3
    m = RE_3.search(w) if w.endswith(STEP3_ENDS) else None
    if m and RE_MGR0.search(m.group(1)):
        w = m.group(1) + STEP3[m.group(2)]
    # Step 4
    m = RE_4.search(w) if w.endswith(STEP4_ENDS) else None
    if m:
        if RE_MGR1.search(m.group(1)):
            w = m.group(1)
    else:
        m = RE2_4.search(w) if w.endswith(("sion", "tion")) else None
        if m:
            stem_ = m.group(1) + m.group(2)
            if RE_MGR1.search(stem_):
                w = stem_
    # Step 5
    m = RE_5.search(w) if w[-1] == "e" else None
    if m:
        stem_ = m.group(1)
        if RE_MGR1.search(stem_) or (RE_MEQ1.search(stem_) and not RE3_5.search(stem_)):
            w = stem_
    if w.endswith("ll") and RE_MGR1.search(w):
        w = RE_1B_2.sub("", w, count=1)
    if firstch == "y":
        w = "y" + w[1:]
    return w
