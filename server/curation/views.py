"""The review routes: the list of reports, a report's page, the writes, the name suggestions.

Every write loads the report's review, applies one decision, saves it (the review file and the
accepted TriG of the paragraphs it changed, together) and then has the served graph show it
(``show_accepted``), under one lock so that two curators' clicks are applied one after the
other.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from rdflib import URIRef

from habitat_kg.errors import SourceError
from habitat_kg.graph.curated import accepted_files
from habitat_kg.graph.extract.proposal import MEASURED_KINDS
from habitat_kg.graph.review import Review, load_review, save_review
from habitat_kg.graph.review.store import existing_review, is_accepted_file, project_gazetteer
from habitat_kg.server.curation import access, history, suggestions, warming
from habitat_kg.server.curation.context import changed_passages, page_context
from habitat_kg.server.curation.page import passages_of, read_text, report_files, url_key
from habitat_kg.server.curation.reload import forget_problem, last_problem, show_accepted
from habitat_kg.server.curation.vocabulary import (
    FieldError,
    object_form,
    predicates_of,
    read_iri,
    read_kind,
    read_object,
    read_predicate,
)
from habitat_kg.server.reload import sources_of
from habitat_kg.server.security import plain_answer

blueprint = Blueprint(
    "curation",
    __name__,
    url_prefix="/curate",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

#: What a write did, for the line the page shows after it.
DONE = {
    "accept": "accepted",
    "reject": "rejected",
    "accept-passage": "paragraph accepted",
    "correct": "corrected",
    "add": "added",
    "undo": "undone",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WRITE_LOCK = threading.Lock()


@blueprint.before_request
def guard() -> Response | None:
    return access.check_request()


def sources() -> Path:
    return sources_of(current_app._get_current_object())  # type: ignore[attr-defined]


def _gazetteer(report_id: str | None = None) -> Any:
    """For a report's page, the gazetteer its saves use (without its own accepted statements,
    so one compiled gazetteer serves the page and every save); for the suggestions, the lists
    and curated files without any report's accepted ones (those are found in the served graph):
    either stays the same while decisions are saved, instead of being rebuilt after each."""
    from habitat_kg.graph.gazetteer import load_gazetteer  # compiled once, on first use

    if report_id is not None:
        return project_gazetteer(sources(), report_id)
    return load_gazetteer(sources(), exclude_curated=accepted_files(sources()))


@blueprint.get("")
@blueprint.get("/")
def index() -> ResponseReturnValue:
    reports = []
    for report_id, path in report_files(sources()).items():
        counts = {"pending": 0, "accepted": 0, "rejected": 0, "corrected": 0}
        try:
            review = existing_review(sources(), report_id)
        except SourceError as problem:
            reports.append({"id": report_id, "file": path.name, "problem": str(problem)})
            continue
        for item in review.items if review else ():
            counts[item.state] = counts.get(item.state, 0) + 1
        entry = {"id": report_id, "key": url_key(report_id), "file": path.name, **counts}
        reports.append({**entry, "reviewed": review is not None})
    return render_template("curation_index.html", reports=reports)


def _report(key: str) -> tuple[str, Path]:
    report_id = key.replace("_", "/")
    path = report_files(sources()).get(report_id)
    if path is None or "/" in key:
        abort(plain_answer(f"404 Not Found: no report {report_id!r} in the sources", 404))
    return report_id, path


@blueprint.get("/<key>")
def report_page(key: str, error: str | None = None, status: int = 200) -> ResponseReturnValue:
    report_id, path = _report(key)
    warming.start(sources(), report_id)
    try:
        review = load_review(sources(), report_id)
        context = page_context(key, review, path, _gazetteer(report_id))
    except SourceError as problem:
        return plain_answer(f"404 Not Found: {problem}", 404)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    step = history.last(app, report_id)
    page = render_template(
        "curation_report.html",
        **context,
        done=DONE.get(request.args.get("done", "")),
        undo=_undo_label(step),
        stale=last_problem(app),
        error=error,
    )
    return Response(page, status, mimetype="text/html")


@blueprint.post("/<key>/decide")
def decide(key: str) -> ResponseReturnValue:
    action = request.form.get("action", "")
    if action not in ("accept", "reject"):
        return _refuse(key, FieldError("action", f"{action[:20]!r} is not accept or reject"))
    ids = request.form.getlist("id")
    return _write(key, action, lambda review, by: _decide(review, action, ids, by))


def _decide(review: Any, action: str, ids: list[str], by: str) -> None:
    if not ids:
        raise FieldError("id", "name at least one proposal")
    known = {item.proposal.id for item in review.items}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise FieldError("id", f"no proposal {unknown[0][:40]!r} in this report")
    (review.accept if action == "accept" else review.reject)(ids, by)


@blueprint.post("/<key>/accept-passage")
def accept_passage(key: str) -> ResponseReturnValue:
    def apply(review: Any, by: str) -> None:
        review.accept_passage(_passage(review.report_id, request.form.get("passage", "")), by)

    return _write(key, "accept-passage", apply)


@blueprint.post("/<key>/correct")
def correct(key: str) -> ResponseReturnValue:
    def apply(review: Any, by: str) -> None:
        wanted = request.form.get("id", "")
        item = next((i for i in review.items if i.proposal.id == wanted), None)
        if item is None:
            raise FieldError("id", f"no proposal {wanted[:40]!r} in this report")
        kind = item.proposal.kind
        language = read_text(_report(key)[1]).language
        form = object_form(kind, item.proposal.object)
        value = read_object("object", form, request.form.get("object", ""), language)
        given = request.form.get("predicate", "")
        predicate = None
        if given.strip() and kind in MEASURED_KINDS:
            allowed = {*predicates_of(kind), item.proposal.predicate}
            predicate = read_predicate("predicate", kind, given, allowed)
        review.correct(wanted, by, object=value, predicate=predicate)

    return _write(key, "correct", apply)


@blueprint.post("/<key>/add")
def add(key: str) -> ResponseReturnValue:
    def apply(review: Any, by: str) -> None:
        passage = _passage(review.report_id, request.form.get("passage", ""))
        kind = read_kind("kind", request.form.get("kind", ""))
        allowed = {*predicates_of(kind)} | {
            i.proposal.predicate for i in review.items if i.proposal.kind == kind
        }
        predicate = read_predicate("predicate", kind, request.form.get("predicate", ""), allowed)
        language = read_text(_report(key)[1]).language
        value = read_object("object", object_form(kind), request.form.get("object", ""), language)
        subject = _subject(review.report_id, passage, request.form.get("subject", ""))
        review.add(passage, subject, predicate, value, kind, by)

    return _write(key, "add", apply)


def _passage(report_id: str, given: str) -> URIRef:
    text = read_text(_report(url_key(report_id))[1])
    for iri, *_rest in passages_of(text, report_id):
        if str(iri) == given:
            return iri
    raise FieldError("passage", f"{given[:80]!r} is not a paragraph of this report")


def _subject(report_id: str, passage: URIRef, given: str) -> URIRef:
    if given.strip():
        return read_iri("subject", given)
    text = read_text(_report(url_key(report_id))[1])
    for iri, _label, _anchor, activity, _own in passages_of(text, report_id):
        if iri == passage:
            return activity
    raise FieldError("subject", "give the thing the statement is about")


def _curator() -> str:
    by = (request.form.get("by") or current_app.config.get("CURATOR") or "").strip()
    if not by:
        raise FieldError("by", "give the curator's name (the field at the top of the page)")
    if len(by) > 120 or _CONTROL.search(by):
        raise FieldError("by", "a name of at most 120 characters on one line")
    return by


def _write(key: str, action: str, apply: Any) -> ResponseReturnValue:
    report_id, path = _report(key)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    warming.wait(sources(), report_id)
    with _WRITE_LOCK:
        try:
            by = _curator() if action != "undo" else ""
            review = load_review(sources(), report_id)
            before = Review(review.report_id, list(review.items), review.language, review.sha256)
            apply(review, by)
        except SourceError as problem:
            return plain_answer(f"404 Not Found: {problem}", 404)
        except (FieldError, ValueError) as problem:
            return _refuse(key, problem)
        save_review(sources(), review, before)
        shown = show_accepted(app)
        if shown.source is not None and is_accepted_file(sources(), report_id, shown.source):
            # the builder refuses what this write added (an entity its paragraph does not
            # name ...): the review goes back to what it was, and the curator is told why
            save_review(sources(), before, review)
            forget_problem(app)
            field = "object" if action in ("correct", "add") else "id"
            problem = f"not saved: the graph would not build with it: {shown.problem}"
            return _refuse(key, FieldError(field, problem))
        if action == "undo":  # saved: only now is the step gone (a refused undo may be retried)
            history.undone(app, review.report_id)
        else:
            anchor = request.form.get("anchor", "")
            where = f" in ¶ {anchor[1:]}" if re.fullmatch(r"p[0-9]{1,4}[a-z]{0,2}", anchor) else ""
            history.remember(app, DONE[action] + where, before, review)
    if _from_script():
        return _in_place(key, action, before, review, path, shown.problem)
    anchor = request.form.get("anchor", "")
    fragment = f"#{anchor}" if re.fullmatch(r"p[0-9]{1,4}[a-z]{0,2}", anchor) else ""
    return redirect(url_for("curation.report_page", key=key, done=action) + fragment, code=303)


def _from_script() -> bool:
    """The page's script sends writes with the CSRF header and asks for JSON: it updates the
    paragraphs in place rather than loading the page again."""
    return bool(request.headers.get(access.CSRF_HEADER)) and (
        request.accept_mimetypes.best == "application/json"
    )


def _in_place(
    key: str, action: str, before: Review, after: Review, path: Path, stale: str | None
) -> ResponseReturnValue:
    """What the page needs to show a write without loading again: the paragraphs it changed
    (rendered as on the page), the count of pending proposals, what Undo would undo."""
    context = page_context(key, after, path, _gazetteer(after.report_id))
    step = history.last(current_app._get_current_object(), after.report_id)  # type: ignore[attr-defined]
    changed = changed_passages(before, after, context["passages"])
    return jsonify(
        done=DONE[action],
        pending=context["pending"],
        passages={
            p.anchor: {
                "html": render_template("curation_passage.html", p=p, **context).strip(),
                "pending": p.pending,
                "rows": len(p.rows),
            }
            for p in changed
        },
        undo=_undo_label(step),
        stale=stale,
    )


def _undo_label(step: history.Step | None) -> str | None:
    """What the Undo button undoes: "accepted in ¶ 12"."""
    return step.done if step else None


@blueprint.post("/<key>/undo")
def undo(key: str) -> ResponseReturnValue:
    """Put back the review as it was before the last write made here."""

    def apply(review: Any, _by: str) -> None:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        step = history.to_undo(app, review)
        review.items = list(step.before.items)

    return _write(key, "undo", apply)


def _refuse(key: str, problem: Exception) -> ResponseReturnValue:
    """400 with the message naming the field: as text to a script, else on the page."""
    message = f"400 Bad Request: {problem}"
    if _from_script():
        field = problem.field if isinstance(problem, FieldError) else None
        return jsonify(error=str(problem), field=field), 400
    if request.headers.get(access.CSRF_HEADER) or not request.accept_mimetypes.accept_html:
        return plain_answer(message, 400)
    return report_page(key, error=str(problem), status=400)


@blueprint.get("/suggest")
def suggest() -> ResponseReturnValue:
    """Things whose English or Chinese label starts with ``q``: the gazetteer's, then the
    served graph's."""
    prefix = request.args.get("q", "").strip()
    if not prefix or len(prefix) > 100:
        return plain_answer("400 Bad Request: q: give 1 to 100 characters", 400)
    try:
        limit = min(max(int(request.args.get("limit", "10")), 1), 50)
    except ValueError:
        return plain_answer("400 Bad Request: limit: not a whole number", 400)
    return jsonify(suggestions.suggest(_gazetteer(), prefix, limit))
