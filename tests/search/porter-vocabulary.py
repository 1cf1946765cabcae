"""Regenerates porter-vocabulary.tsv, the oracle of tests/search_stem.rs.

The oracle is NLTK's PorterStemmer in ORIGINAL_ALGORITHM mode (Porter's 1980 rules as
published), run over Debian's `wamerican` word list: every lower-case ASCII word grouped by
its last four letters, at most four evenly spaced words per group (so every suffix the rules
look at is there without shipping all 64,000 words), plus every word of one or two letters.

    pip install nltk==3.10.4 && apt-get install wamerican
    python3 tests/search/porter-vocabulary.py > tests/search/porter-vocabulary.tsv
"""
import re
from collections import defaultdict

import nltk
from nltk.stem.porter import PorterStemmer

PER_GROUP = 4

porter = PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)
words = sorted({w for w in open("/usr/share/dict/words").read().split() if re.fullmatch("[a-z]+", w)})
groups = defaultdict(list)
for w in words:
    groups[w[-4:]].append(w)
chosen = {w for w in words if len(w) <= 2}
for group in groups.values():
    step = max(1, len(group) / PER_GROUP)
    chosen.update(group[int(i * step)] for i in range(min(PER_GROUP, len(group))))
print(f"# word<TAB>stem: NLTK {nltk.__version__} PorterStemmer(ORIGINAL_ALGORITHM) over wamerican; see porter-vocabulary.py")
for w in sorted(chosen):
    print(f"{w}\t{porter.stem(w)}")
