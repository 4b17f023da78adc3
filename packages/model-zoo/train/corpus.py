"""The King James Bible as plain verses, from Debian's bible-kjv-text package.

`bible -f Gen1:1-Rev22:21` prints one verse per line, prefixed by its
reference ("Ge1:1 In the beginning..."). We keep the reference apart so that
the embedder can pair neighbouring verses of one chapter.
"""

import re
import subprocess

REFERENCE = re.compile(r"^([1-3]?[A-Za-z]+)(\d+):(\d+) (.*)$")


def read_verses():
    """Returns a list of (book, chapter, verse, text), in canonical order."""
    out = subprocess.run(
        ["bible", "-f", "Gen1:1-Rev22:21"], stdin=subprocess.DEVNULL, capture_output=True, check=True, text=True
    ).stdout
    verses = []
    for line in out.splitlines():
        match = REFERENCE.match(line.strip())
        if match:
            book, chapter, verse, text = match.groups()
            verses.append((book, int(chapter), int(verse), text.strip()))
    if len(verses) < 31000:
        raise SystemExit(f"expected the whole KJV (31,102 verses), got {len(verses)}: is bible-kjv-text installed?")
    return verses


def chapter_split(verses, every=20):
    """Hold out every `every`-th chapter for validation, so both splits span the whole book."""
    chapters = list(dict.fromkeys(v[:2] for v in verses))
    held = {bc for i, bc in enumerate(chapters) if i % every == every - 1}
    train = [v for v in verses if v[:2] not in held]
    valid = [v for v in verses if v[:2] in held]
    return train, valid
