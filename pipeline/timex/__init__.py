"""anais temporal tagger: Portuguese TIMEX3 recognition and normalization.

``tag_text(text, dct=None, doc_type="auto")`` works on plain text; the spaCy component
``anais_timex`` (``pipeline.timex.component``) fills ``doc._.timexes``.
"""

from .tagger import tag_text
from .types import Timex

__all__ = ["Timex", "tag_text"]
