"""Which pipeline to load, said without loading it (nor importing spaCy): the parent of
worker processes passes a ``ModelRequest`` to its workers, which load it themselves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language


class ModelLoadError(ValueError):
    """A worker process could not load the pipeline it was asked for (the message says why)."""


@dataclass(frozen=True, slots=True)
class ModelRequest:
    """The arguments of ``load``, for a run whose worker processes load the pipeline: its
    parent need not load one too (``pipeline.run.run_corpus`` takes either)."""

    model: str = "auto"
    doc_type: str = "auto"
    entities: bool = True

    @classmethod
    def of(cls, nlp: Language) -> ModelRequest:
        """The request that loads again a pipeline ``load`` made."""
        info = nlp.meta["anais"]
        return cls(info["requested"], info["doc_type"], "anais_entities" in nlp.pipe_names)

    def load(self) -> Language:
        from pipeline import model_loading

        return model_loading.load(self.model, doc_type=self.doc_type, entities=self.entities)

    def load_in_worker(self) -> Language:
        """``load``, its failure turned into a ``ModelLoadError`` that reaches the parent."""
        try:
            return self.load()
        except Exception as exc:  # noqa: BLE001  (said to the parent, which stops the run)
            raise ModelLoadError(str(exc)) from exc
