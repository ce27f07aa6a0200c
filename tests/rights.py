"""The declared rights: what every URL of the portal answers, to whom.

tests/test_permission_matrix.py requests every URL as every actor below, by
GET and by POST, on the objects of the actor's own territory and on the same
objects of a foreign one, and compares each answer with this table.

One row per URL name: `Rights(get, post)`, each a vector of answers per actor
for the objects of the actor's own territory (tests/budget_world.py: region 1,
municipality M1 with school A1; the objects each URL opens are named in
tests/urlwalk.py). The answers on a foreign object follow from one rule,
`expected`:

- anonymous is sent to sign in, wherever;
- a method the view does not take is 405 wherever;
- the federal observer reads the whole country, the administrator the
  reference data and the monitoring stages of every region: a foreign object
  answers them as their own does;
- everybody else gets 404: an object out of scope is not disclosed;
- `personal` objects (an export job, an import upload) belong to one user:
  somebody else's answers 404 to everybody.

Adding a URL is one line in `RIGHTS` made of the vectors below, e.g.
``"audit:entry": Rights(ADMIN_ONLY, NO_METHOD)``; a vector that says
something new is one `answers(...)` line with a comment saying who and why.
"""

from __future__ import annotations

from dataclasses import dataclass

# 302 to the sign-in page (the portal's or the admin's), not any redirect.
LOGIN = "login"
Status = int | str

ACTORS = (
    "anonymous",
    "observer",
    "administrator",
    "regional",  # the department's staff, who approve the region's plan
    "coordinator",  # the regional coordinator (operator)
    "municipal",  # M1's coordinator
    "school",  # A1
    "curator",  # A1's curator
)
# Actors whose territory is the whole country: a foreign object is theirs too.
NATIONAL = frozenset({"observer", "administrator"})


def answers(default: Status, **by_actor: Status) -> dict[str, Status]:
    """`default` for every signed-in actor but those named; anonymous is
    sent to sign in unless named."""
    unknown = set(by_actor) - set(ACTORS)
    assert not unknown, f"not actors: {unknown}"
    vector = dict.fromkeys(ACTORS, default)
    vector["anonymous"] = LOGIN
    vector.update(by_actor)
    return vector


@dataclass(frozen=True)
class Rights:
    get: dict[str, Status]
    post: dict[str, Status]
    personal: bool = False  # the object is one user's (see the module's rule)


def expected(rights: Rights, actor: str, method: str, scope: str) -> Status:
    """The declared answer; `scope` is "own" or "foreign"."""
    own = (rights.get if method == "GET" else rights.post)[actor]
    if scope == "own" or own in (LOGIN, 405):
        return own
    if actor in NATIONAL and not rights.personal:
        return own
    return 404


# --- vectors: the answers on the actor's own territory ------------------------

# The method is not the view's (require_POST, require_GET, a GET-only page).
NO_METHOD = answers(405)
# Every signed-in user: the page shows what their scope holds.
EVERYONE = answers(200)
# Plans, orders, reports, forms, risk profiles, visits of a territory: the
# administrator reads reference data only.
TERRITORY = answers(200, administrator=404)
# Monitoring results: the administrator is refused them.
RESULTS = answers(200, administrator=403)
# A POST that writes only the user's own rows (a new export job; the user's
# notifications marked read).
PERSONAL_WRITE = answers(302)
# The consolidated export starts a job for those who read plans.
TERRITORY_EXPORT = answers(302, administrator=404)

# M1's draft plan in the editor: M1's coordinator edits it; the region and the
# observer read it (403 on editing); a school and a curator never see an upper
# level's draft (404).
DRAFT_PAGE = answers(404, observer=403, regional=403, coordinator=403, municipal=200)
# An editor's action on the draft: done, back to the editor.
DRAFT_ACTION = answers(404, observer=403, regional=403, coordinator=403, municipal=302)
# Remarks on the draft: whoever reads it and works on plans (not the observer).
COMMENT = answers(404, observer=403, regional=302, coordinator=302, municipal=302)
# Writing a new plan (empty form, or an import) for one's own body.
PLAN_WRITER = answers(403, regional=200, municipal=200, school=200)
# One's own import upload: users without a body to import for open another's.
OWN_UPLOAD = answers(200, observer=404, administrator=404, curator=404)
# A1's plan agreed by the curator is approved (order form) by M1 only.
APPROVER = answers(403, administrator=404, municipal=200)
# A new edition of M1's approved plan.
NEW_EDITION = answers(403, administrator=404, municipal=302)
# "Return" of A1's agreed plan: M1 returns it; the curator may act on the
# plan, but not at this step (a message, nothing changes).
RETURN_PLAN = answers(403, administrator=404, municipal=302, curator=302)
# The curator confirms a report or a monitoring form.
CURATOR_DECIDES = answers(403, administrator=404, curator=302)
# Reports on an activity of A1's plan: its curator reports (empty form 400);
# the school is no executor of this activity.
REPORTER = answers(403, administrator=404, curator=400)
# A1's monitoring form: only the school fills it; it is with the curator now.
FORM_FILLER = answers(403, administrator=404, school=400)
# A1's submitted risk profile: the curator verifies it.
PROFILE_VERIFIER = answers(403, administrator=404, curator=302)
# Planning M1's visits: its coordinator and the curators of its schools; the
# empty visit form is re-shown.
VISIT_PLANNER = answers(403, administrator=404, municipal=200, curator=200)
# Recording a held visit: the visit's curator.
VISIT_RECORDER = answers(403, administrator=404, curator=302)
# A1's documents: the school uploads.
DOCUMENT_UPLOADER = answers(403, administrator=404, school=302)
# Setting up monitoring stages: the region's staff and coordinator, and the
# administrator for every region.
STAGE_SETUP = answers(403, administrator=200, regional=200, coordinator=200)
# A stage's forms posted empty: invalid (400) for those who may set it up.
STAGE_FORM = answers(403, administrator=400, regional=400, coordinator=400)
# A stage's actions (publish, fill the form from presets, move or delete an
# indicator): done (or nothing to do), back to the stage.
STAGE_ACTION = answers(403, administrator=302, regional=302, coordinator=302)
# The audit log: administrators only.
ADMIN_ONLY = answers(403, administrator=200)
ADMIN_EXPORT = answers(403, administrator=302)
# Django's admin: staff only, everybody else to the admin's sign-in.
STAFF_ONLY = answers(LOGIN, administrator=200)
# The sign-in page: a signed-in user is sent home.
SIGN_IN = answers(302, anonymous=200)
# Anyone, signed in or not (the language switch redirects back).
REDIRECT = answers(302, anonymous=302)


def page(get: dict[str, Status], **kw) -> Rights:
    """A page that takes GET only."""
    return Rights(get, NO_METHOD, **kw)


def action(post: dict[str, Status]) -> Rights:
    """A view that takes POST only."""
    return Rights(NO_METHOD, post)


RIGHTS: dict[str, Rights] = {
    "home": page(EVERYONE),
    "login": Rights(SIGN_IN, SIGN_IN),
    "logout": action(answers(LOGIN)),
    "set_language": Rights(REDIRECT, REDIRECT),
    "admin:index": Rights(STAFF_ONLY, STAFF_ONLY),
    "audit:log": page(ADMIN_ONLY),
    "audit:export": Rights(ADMIN_ONLY, ADMIN_EXPORT),
    # Plans
    "roadmaps:roadmap-list": page(EVERYONE),
    "roadmaps:roadmap-new": Rights(PLAN_WRITER, PLAN_WRITER),
    "roadmaps:roadmap-detail": page(TERRITORY),
    "roadmaps:edition-detail": page(TERRITORY),
    "roadmaps:roadmap-history": page(TERRITORY),
    "roadmaps:edition-compare": page(TERRITORY),
    "roadmaps:edition-download": page(TERRITORY),
    "roadmaps:roadmap-export": Rights(EVERYONE, PERSONAL_WRITE),
    "roadmaps:consolidated-export": Rights(TERRITORY, TERRITORY_EXPORT),
    "roadmaps:order-list": page(EVERYONE),
    "roadmaps:order-detail": page(TERRITORY),
    # The editor (M1's draft)
    "roadmaps:roadmap-edit": page(DRAFT_PAGE),
    "roadmaps:roadmap-preview": page(DRAFT_PAGE),
    "roadmaps:roadmap-settings": action(DRAFT_PAGE),
    "roadmaps:activity-row": page(DRAFT_PAGE),
    "roadmaps:activity-edit": Rights(DRAFT_PAGE, DRAFT_PAGE),
    "roadmaps:section-edit": Rights(DRAFT_PAGE, DRAFT_PAGE),
    "roadmaps:activity-add": action(DRAFT_PAGE),
    "roadmaps:activity-bulk": action(DRAFT_ACTION),
    "roadmaps:activity-delete": action(DRAFT_ACTION),
    "roadmaps:activity-duplicate": action(DRAFT_ACTION),
    "roadmaps:activity-move": action(DRAFT_ACTION),
    "roadmaps:activity-restore": action(DRAFT_ACTION),
    "roadmaps:section-add": action(DRAFT_ACTION),
    "roadmaps:section-delete": action(DRAFT_ACTION),
    "roadmaps:section-move": action(DRAFT_ACTION),
    "roadmaps:comment-add": action(COMMENT),
    # Approval
    "roadmaps:edition-action": action(RETURN_PLAN),
    "roadmaps:edition-approve": Rights(APPROVER, APPROVER),
    "roadmaps:edition-new": action(NEW_EDITION),
    "roadmaps:inbox": page(EVERYONE),
    "roadmaps:notifications": Rights(EVERYONE, PERSONAL_WRITE),
    "roadmaps:document-list": Rights(TERRITORY, DOCUMENT_UPLOADER),
    "roadmaps:document-download": page(TERRITORY),
    # Exports and imports
    "roadmaps:export-jobs": page(EVERYONE),
    "roadmaps:export-job": page(EVERYONE, personal=True),
    "roadmaps:export-job-download": page(EVERYONE, personal=True),
    "roadmaps:import-start": Rights(PLAN_WRITER, PLAN_WRITER),
    "roadmaps:import-preview": Rights(OWN_UPLOAD, OWN_UPLOAD, personal=True),
    # Bodies and schools (reference data)
    "schools:organisation-list": page(EVERYONE),
    "schools:organisation-detail": page(EVERYONE),
    # Execution
    "monitoring:activity-list": page(EVERYONE),
    "monitoring:activity-list-export": Rights(EVERYONE, PERSONAL_WRITE),
    "monitoring:activity-reports": Rights(TERRITORY, REPORTER),
    "monitoring:report-decide": action(CURATOR_DECIDES),
    "monitoring:evidence-download": page(TERRITORY),
    "monitoring:my-tasks": page(EVERYONE),
    "monitoring:my-tasks-export": Rights(EVERYONE, PERSONAL_WRITE),
    # Monitoring stages
    "monitoring:stage-list": page(EVERYONE),
    "monitoring:stage-create": Rights(STAGE_SETUP, STAGE_SETUP),
    "monitoring:stage-detail": page(EVERYONE),
    "monitoring:stage-edit": action(STAGE_FORM),
    "monitoring:stage-publish": action(STAGE_ACTION),
    "monitoring:stage-fill-form": action(STAGE_ACTION),
    "monitoring:field-add": action(STAGE_FORM),
    "monitoring:field-edit": Rights(STAGE_SETUP, STAGE_FORM),
    "monitoring:field-move": action(STAGE_ACTION),
    "monitoring:field-delete": action(STAGE_ACTION),
    "monitoring:stage-completion": page(RESULTS),
    "monitoring:stage-export": page(RESULTS),
    "monitoring:submission-detail": Rights(TERRITORY, FORM_FILLER),
    "monitoring:submission-decide": action(CURATOR_DECIDES),
    "monitoring:submission-compare": page(TERRITORY),
    "monitoring:answer-file": page(TERRITORY),
    # Risks
    "monitoring:risk-coverage": page(RESULTS),
    "monitoring:risk-coverage-export": page(RESULTS),
    "monitoring:risk-profile-list": page(RESULTS),
    "monitoring:risk-profile": Rights(TERRITORY, PROFILE_VERIFIER),
    "monitoring:risk-profile-history": page(TERRITORY),
    # Visits
    "monitoring:visit-list": page(TERRITORY),
    "monitoring:visit-export": page(TERRITORY),
    "monitoring:visit-detail": Rights(TERRITORY, VISIT_RECORDER),
    "monitoring:schedule-list": page(TERRITORY),
    "monitoring:schedule-detail": Rights(TERRITORY, VISIT_PLANNER),
    # Dashboards
    "monitoring:dashboard": page(RESULTS),
}
