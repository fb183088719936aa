"""The API's error answers: ``{"detail": ..., "errors": [{"param", "message"}]}`` with a status code."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse


class ParamError(Exception):
    """An invalid request parameter: answered with 422 and a message saying what is wrong."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


def error(status: int, detail: str, errors: list[dict[str, str]] | None = None, **headers: str) -> JSONResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers or None)


def invalid(errors: list[dict[str, str]]) -> JSONResponse:
    return error(422, "invalid parameter: " + "; ".join(f"{e['param']}: {e['message']}" for e in errors), errors)


def validation_message(err: dict[str, Any]) -> dict[str, str]:
    loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body", "header")]
    param = ".".join(loc) or "request"
    msg = str(err.get("msg", "invalid value"))
    if err.get("type") == "string_pattern_mismatch" and param in ("start", "end", "published", "report_date", "date"):
        msg = "expected a date as YYYY-MM-DD"
    return {"param": param, "message": msg}
