"""Hub fixtures: the hub store on SQLite and (when BEKASI_TEST_PG_URL is set) PostgreSQL, each
test in a fresh PostgreSQL schema that is dropped afterwards; a real uvicorn hub on it."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).parent))

import helpers_hub

from bekasi_field.hub.store import HubStore


def _pg_schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def hub_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.db'}"
        return
    if not helpers_hub.PG_URL:
        pytest.skip("BEKASI_TEST_PG_URL is not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(helpers_hub.PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield _pg_schema_url(helpers_hub.PG_URL, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def hub_store(hub_db_url: str) -> Iterator[HubStore]:
    store = HubStore.open(hub_db_url)
    yield store
    store.dispose()


@pytest.fixture
def hub(hub_store: HubStore) -> Iterator[helpers_hub.ThreadHub]:
    server = helpers_hub.ThreadHub(hub_store).start()
    yield server
    server.stop()
