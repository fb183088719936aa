"""Property-based fuzzing of the HTTP API from its own OpenAPI schema (schemathesis): whatever the
parameters or body, valid or not, the server never answers with a 5xx.  Bounded (a fixed number
of examples per operation and generation mode) so the whole file runs in well under 60 s.

schemathesis' own pytest plugin (``from_fixture``/``parametrize``) does not run under pytest 9, so
the test draws cases from each operation's Hypothesis strategy itself."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402

from warcoder.web import create_app  # noqa: E402

from .test_web import TOKEN, web_db  # noqa: E402, F401  (web_db: the shared sample store fixture)

MAX_EXAMPLES = 30
OPERATIONS = [
    ("GET", "/api/events"),
    ("GET", "/api/events/{event_id}"),
    ("POST", "/api/events/{event_id}/corrections"),
    ("GET", "/api/corrections"),
    ("GET", "/api/stats"),
    ("GET", "/api/config"),
    ("GET", "/api/control"),
    ("POST", "/api/documents"),
]


@pytest.fixture(scope="module")
def api_schema(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:  # noqa: F811
    db = tmp_path_factory.mktemp("fuzz") / "fuzz.duckdb"
    shutil.copy(web_db, db)  # ingest is on, so the fuzzer also posts documents: use a copy
    # no URL fetching: generated URLs would go to the network
    app = create_app(db, allow_ingest=True, token=TOKEN, max_body=50_000, allow_url_fetch=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield schemathesis.openapi.from_asgi("/openapi.json", app)
    app.state.db.close()


def test_schema_lists_every_operation(api_schema: Any) -> None:
    found = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize("mode", ["positive", "negative"])
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_no_server_errors(api_schema: Any, method: str, path: str, mode: str) -> None:
    if method == "GET" and path in ("/api/config", "/api/corrections") and mode == "negative":
        pytest.skip("no parameters to break")
    operation = api_schema[path][method]
    strategy = operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode))
    statuses: list[int] = []

    @given(case=strategy)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: Any) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
        statuses.append(response.status_code)
        # the body as text whatever its type (format=parquet|gpkg answers a binary file)
        text = response.content.decode("utf-8", "replace")
        assert response.status_code < 500, (case.method, case.path, case.query, case.body, text[:500])
        assert "Traceback" not in text

    run()
    assert statuses, "no request was made"
