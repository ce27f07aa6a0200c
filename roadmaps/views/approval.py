"""Moving plans up the hierarchy: actions, approval by order, editions, inbox."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.pagecache import per_user_page
from monitoring.inbox import waiting as monitoring_waiting
from roadmaps.context_processors import navigation
from schools.access import Refused, can
from schools.models import Profile

from .. import workflow
from ..compare import editions_compare, summary
from ..forms import (
    ApproveForm,
    NotificationSettingsForm,
    WorkflowForm,
    add_service_errors,
)
from ..models import Level, Notification, Order, Roadmap, RoadmapEdition
from ..orders import (
    edition_approve_with_order,
    order_defaults,
    order_issuers,
    preamble_for,
)
from ..permissions import is_plan_editor
from ..selectors import (
    editions_visible,
    inbox_waiting,
    my_plans_in_approval,
    roadmap_get_visible,
)

DONE = {
    "submit": gettext_lazy("The plan is submitted for approval."),
    "agree": gettext_lazy("The plan is agreed."),
    "return": gettext_lazy("The plan is returned for revision."),
}


def _edition(request, pk, number) -> tuple[Roadmap, RoadmapEdition]:
    roadmap = roadmap_get_visible(user=request.user, pk=pk)
    for edition in editions_visible(user=request.user, roadmap=roadmap):
        if edition.number == number:
            edition.roadmap = roadmap
            return roadmap, edition
    raise Http404


def _refused(exc: Refused):
    if exc.code == "out_of_scope":
        raise Http404
    raise PermissionDenied


@require_POST
def edition_action(request, pk, number):
    _roadmap, edition = _edition(request, pk, number)
    form = WorkflowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
        return redirect(edition.get_absolute_url())
    action = form.cleaned_data["action"]
    try:
        workflow.edition_move(
            by=request.user,
            edition=edition,
            action=action,
            comment=form.cleaned_data["comment"],
        )
    except Refused as exc:
        _refused(exc)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, DONE[action])
    return redirect(edition.get_absolute_url())


def _bases(user, roadmap):
    """Orders of the bodies above the plan's owner, most recent first."""
    owner = roadmap.owner
    if roadmap.level == Level.REGIONAL:
        above = Q(issuer__region__isnull=True)
    elif roadmap.level == Level.MUNICIPAL:
        above = Q(issuer__region_id=owner.region_id, issuer__municipality__isnull=True)
    else:
        above = Q(
            issuer__region_id=owner.region_id, issuer__municipality__isnull=True
        ) | (
            Q(issuer__municipality_id=owner.municipality_id)
            & ~Q(issuer__kind__code="school")
        )
    # Recent years only: a choice list of every order ever would not read.
    since = roadmap.period_start.year - 3
    return (
        Order.objects.visible_to(user)
        .filter(above, year__gte=since)
        .select_related("issuer")
        .order_by("-date", "-pk")
    )


def _upper_order(roadmap) -> Order | None:
    upper = {Level.MUNICIPAL: Level.REGIONAL, Level.SCHOOL: Level.MUNICIPAL}.get(
        roadmap.level
    )
    if upper is None:
        return None
    plans = Roadmap.objects.in_force().filter(level=upper)
    plans = (
        plans.filter(region_id=roadmap.region_id)
        if upper == Level.REGIONAL
        else plans.filter(municipality_id=roadmap.municipality_id)
    )
    plan = plans.select_related("current_edition__approving_order__issuer").first()
    return plan.current_edition.approving_order if plan else None


@require_http_methods(["GET", "POST"])
def edition_approve(request, pk, number):
    roadmap, edition = _edition(request, pk, number)
    allowed = workflow.allowed_actions(
        request.user,
        level=roadmap.level,
        owner=roadmap.owner,
        year=roadmap.period_start.year,
        status=edition.status,
        submitted_by_id=edition.submitted_by_id,
    )
    if workflow.Action.APPROVE not in allowed:
        raise PermissionDenied
    issuers = order_issuers(user=request.user, edition=edition)
    default_issuer = issuers[-1] if roadmap.level == Level.SCHOOL else issuers[0]
    chosen = request.POST.get("issuer") or request.GET.get("issuer")
    issuer = next((i for i in issuers if str(i.pk) == chosen), default_issuer)
    bases = _bases(request.user, roadmap)
    upper = _upper_order(roadmap)
    initial = order_defaults(edition=edition, issuer=issuer)
    initial["issuer"] = issuer.pk
    if upper is not None:
        initial["based_on"] = [upper.pk]
        initial["preamble"] = preamble_for([upper])
    form = ApproveForm(
        request.POST or None, issuers=issuers, bases=bases, initial=initial
    )
    attached = edition.approving_order
    if attached is not None and attached.status != Order.Status.DRAFT:
        attached = None
    if request.method == "POST" and request.POST.get("do") == "attached" and attached:
        try:
            workflow.edition_approve(
                by=request.user,
                edition=edition,
                order=attached,
                comment=request.POST.get("comment", ""),
            )
        except Refused as exc:
            _refused(exc)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("The plan is approved; the order is registered.")
            )
            return redirect(roadmap.get_absolute_url())
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            edition_approve_with_order(
                by=request.user,
                edition=edition,
                comment=data["comment"],
                issuer=form.issuers[data["issuer"]],
                number=data["number"],
                date_=data["date"],
                title=data["title"],
                preamble=data["preamble"],
                clauses=data["clauses"],
                signatory_position=data["signatory_position"],
                signatory_name=data["signatory_name"],
                place=data["place"],
                based_on=list(data["based_on"]),
            )
        except Refused as exc:
            _refused(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The plan is approved; the order is registered.")
            )
            return redirect(roadmap.get_absolute_url())
    return render(
        request,
        "roadmaps/approve.html",
        {"roadmap": roadmap, "edition": edition, "form": form, "attached": attached},
    )


@require_POST
def edition_new(request, pk):
    roadmap = roadmap_get_visible(user=request.user, pk=pk)
    try:
        workflow.edition_start_new(by=request.user, roadmap=roadmap)
    except Refused as exc:
        _refused(exc)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(roadmap.get_absolute_url())
    messages.success(
        request,
        _(
            "A new edition is started as a draft. The approved edition stays in "
            "force until the new one is approved."
        ),
    )
    return redirect("roadmaps:roadmap-edit", pk=pk)


@require_GET
def compare(request, pk):
    roadmap = roadmap_get_visible(user=request.user, pk=pk)
    editions = editions_visible(user=request.user, roadmap=roadmap)
    by_number = {e.number: e for e in editions}
    if len(editions) < 2:
        messages.info(
            request, _("The plan has one edition: there is nothing to compare.")
        )
        return redirect(roadmap.get_absolute_url())
    try:
        a = by_number[int(request.GET.get("a", editions[-2].number))]
        b = by_number[int(request.GET.get("b", editions[-1].number))]
    except (KeyError, ValueError) as exc:
        raise Http404 from exc
    diffs = editions_compare(a, b)
    return render(
        request,
        "roadmaps/compare.html",
        {
            "roadmap": roadmap,
            "editions": editions,
            "a": a,
            "b": b,
            "diffs": diffs,
            "summary": summary(diffs),
        },
    )


LIMIT = 200  # rows of each kind the inbox shows


@require_GET
@per_user_page
def inbox(request):
    editions, documents = inbox_waiting(user=request.user)
    now = timezone.now()
    for row in [*editions, *documents]:
        row.waiting = now - row.status_changed_at if row.status_changed_at else None
    monitoring = {
        kind: list(rows[:LIMIT])
        for kind, rows in monitoring_waiting(request.user).items()
    }
    shown = [editions, documents, *monitoring.values()]
    if all(len(rows) < LIMIT for rows in shown):
        # Everything is on the page: the navigation need not count it again.
        navigation(request)["nav_inbox_count"] = sum(map(len, shown))
    return render(
        request,
        "roadmaps/inbox.html",
        {
            "waiting": editions,
            "documents": documents,
            "mine": my_plans_in_approval(user=request.user),
            "monitoring": monitoring,
        },
    )


@require_http_methods(["GET", "POST"])
def notifications(request):
    if request.method == "POST":
        if "email" in request.POST:
            form = NotificationSettingsForm(request.POST)
            form.is_valid()
            Profile.objects.update_or_create(
                user=request.user,
                defaults={
                    "email_notifications": form.cleaned_data["email_notifications"]
                },
            )
            messages.success(request, _("Your settings are saved."))
        else:
            Notification.objects.filter(user=request.user, read_at__isnull=True).update(
                read_at=timezone.now()
            )
        return redirect("roadmaps:notifications")
    profile = Profile.objects.filter(user=request.user).first()
    return render(
        request,
        "roadmaps/notifications.html",
        {
            "notifications": Notification.objects.filter(user=request.user)[:100],
            "settings_form": NotificationSettingsForm(
                initial={
                    "email_notifications": profile.email_notifications
                    if profile
                    else True
                }
            ),
        },
    )


def workflow_panel(user, roadmap, edition) -> dict:
    """What the plan page shows of the workflow and offers the user."""
    actions = workflow.allowed_actions(
        user,
        level=roadmap.level,
        owner=roadmap.owner,
        year=roadmap.period_start.year,
        status=edition.status,
        submitted_by_id=edition.submitted_by_id,
    )
    return {
        "actions": actions,
        "events": list(edition.events.select_related("actor")),
        "can_start_edition": is_plan_editor(user, roadmap)
        and roadmap.current_edition_id is not None
        and roadmap.latest_edition_id == roadmap.current_edition_id,
        "can_comment": can(user, "comment", edition),
    }
