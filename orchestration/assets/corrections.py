"""The corrections journal as a raw table: what people decided about the facts (`devzone correct`,
`devzone add`, devzone/corrections.py), loaded whole at every run so that dbt applies what is in
force between the extracted facts and the marts. The journal lives beside the warehouse, not in
it: deleting warehouse.duckdb and running again applies every correction again."""

import dagster as dg

from devzone import corrections, warehouse
from orchestration.assets.raw import column_schema
from orchestration.partitions import WRITER_POOL
from orchestration.resources import WarehouseResource

CORRECTIONS = dg.AssetKey(["corrections_journal", "corrections"])


@dg.multi_asset(
    name="corrections_journal",
    specs=[
        dg.AssetSpec(
            CORRECTIONS,
            group_name="raw",
            kinds={"python", "duckdb"},
            description="Every line of $DEVZONE_HOME/corrections/journal.jsonl (append-only JSON Lines written by "
            "`devzone correct` and `devzone add`) in raw.corrections; dbt's int_corrections decides which are in "
            "force.",
            metadata=column_schema("corrections"),
        )
    ],
    pool=WRITER_POOL,
)
def corrections_journal(warehouse_db: WarehouseResource):
    try:
        journal = corrections.read()
    except corrections.JournalError as exc:
        raise dg.Failure(f"{exc}: repair or remove that line (the journal is plain JSON Lines)") from exc
    with warehouse_db.connect() as con:
        warehouse.load_corrections(con, journal)
    in_force = corrections.in_force(journal)
    yield dg.MaterializeResult(
        asset_key=CORRECTIONS,
        metadata={
            "journal": dg.MetadataValue.path(str(corrections.journal_path())),
            "lines": len(journal),
            "in_force": len(in_force),
        },
    )
