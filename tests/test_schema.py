"""The output contract is defined once and documented where users look."""

from __future__ import annotations

import dataclasses

from conftest import REPO

from pipeline.schema import TABLES, Extraction, arrow_schema, columns, markdown


def test_the_readme_documents_the_schema_as_defined() -> None:
    # Regenerate with `python -m pipeline.schema` when a column changes.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert markdown() in readme
    for table in TABLES:
        assert f"#### `{table}`" in markdown()


def test_arrow_schema_follows_the_dataclasses() -> None:
    for table, record in TABLES.items():
        schema = arrow_schema(table)
        assert schema.names == columns(table) == [f.name for f in dataclasses.fields(record)]
        for f in dataclasses.fields(record):
            optional = "None" in str(f.type)
            assert schema.field(f.name).nullable == optional, (table, f.name)


def test_extraction_rows_cover_every_table() -> None:
    assert set(Extraction.__dataclass_fields__) - {"document"} | {"documents"} == set(TABLES)
