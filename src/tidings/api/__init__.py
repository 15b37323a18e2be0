"""The REST API and the web page: a thin FastAPI layer over :mod:`tidings.store`.

Analysts browse events in the page at ``/``; programs call the same endpoints the page
calls. Every query goes through the store (which binds every value as a parameter), and
every parameter is checked first, so a bad one gets a 422 with one JSON error shape.

Modules, by concern:

* :mod:`~tidings.api.app`: ``create_app``, the factory that wires the rest together;
* :mod:`~tidings.api.params`: the query parameters, declared and checked once;
* :mod:`~tidings.api.reads`: ``/events``, ``/events/{id}``, ``/documents/{id}``,
  ``/actors``, ``/stats``, ``/meta``, ``/timeline``;
* :mod:`~tidings.api.exports`: ``/export``; :mod:`~tidings.api.articles`:
  ``POST /articles``; :mod:`~tidings.api.pages`: the page, ``/docs``, static files;
* :mod:`~tidings.api.stores`: the connection pool and what reads remember between
  writes (counts, every event's JSON, sort ranks);
* :mod:`~tidings.api.serving`: ``tidings serve`` in a process of its own (the load
  benchmark, the tests);
* :mod:`~tidings.api.errors`, :mod:`~tidings.api.middleware`,
  :mod:`~tidings.api.records`: the plumbing.

While the server runs it holds the file: another process cannot write it (stop the
server to run ``tidings ingest``, or post articles to a server started with
``--allow-ingest``).
"""

from __future__ import annotations

from tidings.api.app import DEFAULT_MAX_ARTICLES, DEFAULT_MAX_BODY, create_app
from tidings.api.errors import ApiError

__all__ = ["DEFAULT_MAX_ARTICLES", "DEFAULT_MAX_BODY", "ApiError", "create_app"]
