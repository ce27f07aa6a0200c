"""Who hears of a workflow move, in the portal and by e-mail.

Called from `transaction.on_commit`: nothing is sent for a move that was
rolled back. E-mail goes through Django's mail framework (console by
default, SMTP with EMAIL_URL) to users who have not switched it off.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from schools.models import CuratorAssignment, Profile, Role

from .models import Level, Notification, RoadmapEdition, SchoolDocument, WorkflowAction

log = logging.getLogger(__name__)
Action = WorkflowAction


def _texts():
    # Built per call so that the active language applies.
    return {
        Action.SUBMIT: _("«%(title)s» was submitted for approval by %(actor)s."),
        Action.AGREE: _("«%(title)s» was agreed by the curator %(actor)s."),
        Action.APPROVE: _("«%(title)s» was approved by %(actor)s."),
        Action.RETURN: _(
            "«%(title)s» was returned for revision by %(actor)s: %(comment)s"
        ),
    }


def _owners(level: str, owner) -> Q:
    """Users who write plans of this owner."""
    if level == Level.SCHOOL:
        return Q(memberships__role=Role.SCHOOL, memberships__organisation=owner)
    if level == Level.MUNICIPAL:
        return Q(
            memberships__role=Role.MUNICIPAL_COORDINATOR,
            memberships__organisation__municipality_id=owner.municipality_id,
        )
    return Q(
        memberships__role=Role.REGIONAL_STAFF,
        memberships__organisation__region_id=owner.region_id,
    )


def _municipal(owner) -> Q:
    return Q(
        memberships__role=Role.MUNICIPAL_COORDINATOR,
        memberships__organisation__municipality_id=owner.municipality_id,
    )


def _regional(owner) -> Q:
    return Q(
        memberships__role__in=[Role.REGIONAL_STAFF, Role.REGIONAL_COORDINATOR],
        memberships__organisation__region_id=owner.region_id,
    )


def recipients(*, level, owner, year, action, submitted_by_id) -> Q:
    """Whom a move concerns: the next deciders, or the plan's own people."""
    if action == Action.SUBMIT:
        if level == Level.SCHOOL:
            curators = CuratorAssignment.objects.filter(school=owner, year=year).values(
                "curator"
            )
            return Q(pk__in=curators) | _municipal(owner)
        return _regional(owner)
    if action == Action.AGREE:
        return _municipal(owner) | _owners(level, owner)
    # Approve and return concern the plan's own people and its submitter.
    q = _owners(level, owner)
    if submitted_by_id:
        q |= Q(pk=submitted_by_id)
    return q


def notify_move(*, action, actor_id, edition_id=None, document_id=None) -> int:
    """Create notifications (and e-mails) for one move; returns how many."""
    User = get_user_model()
    actor = User.objects.get(pk=actor_id)
    if edition_id is not None:
        edition = RoadmapEdition.objects.select_related("roadmap__owner").get(
            pk=edition_id
        )
        roadmap = edition.roadmap
        level, owner, year = roadmap.level, roadmap.owner, roadmap.period_start.year
        title, url = roadmap.title, roadmap.get_absolute_url()
        submitted_by_id = edition.submitted_by_id
        comment = (
            edition.events.order_by("-pk").values_list("comment", flat=True).first()
        )
    else:
        document = SchoolDocument.objects.select_related("school").get(pk=document_id)
        level, owner, year = Level.SCHOOL, document.school, document.year
        title = document.title
        url = reverse("roadmaps:document-list", args=[document.school_id])
        submitted_by_id = document.submitted_by_id
        comment = (
            document.events.order_by("-pk").values_list("comment", flat=True).first()
        )
    text = _texts()[action] % {
        "title": title[:200],
        "actor": actor.get_full_name() or actor.username,
        "comment": comment or "",
    }
    who = recipients(
        level=level,
        owner=owner,
        year=year,
        action=action,
        submitted_by_id=submitted_by_id,
    )
    return notify(who, actor_id=actor_id, text=text, url=url)


def notify(who: Q, *, actor_id: int, text: str, url: str) -> int:
    """Deliver `text` to the active users matching `who`, except the actor;
    returns how many were told."""
    users = list(
        get_user_model()
        .objects.filter(who, is_active=True)
        .exclude(pk=actor_id)
        .distinct()
    )
    deliver(users, text, url)
    return len(users)


def deliver(users, text: str, url: str) -> None:
    """Notify `users` in the portal and, unless they opted out, by e-mail.

    Call it from `transaction.on_commit` so a rolled-back change says nothing.
    """
    users = list(users)
    Notification.objects.bulk_create(
        Notification(user=u, text=text[:500], url=url) for u in users
    )
    opted_out = set(
        Profile.objects.filter(user__in=users, email_notifications=False).values_list(
            "user_id", flat=True
        )
    )
    link = settings.PORTAL_URL.rstrip("/") + url
    for user in users:
        if not user.email or user.pk in opted_out:
            continue
        try:
            send_mail(
                subject=_("Roadmap portal: %(text)s") % {"text": text[:120]},
                message=f"{text}\n\n{link}\n",
                from_email=None,
                recipient_list=[user.email],
            )
        except OSError:
            # The move is done; a mail server being down must not undo it.
            log.exception("Notification e-mail to %s failed", user.email)


def unread_count(user) -> int:
    """Unread notifications of a user."""
    return unread_notifications(user).count()


def unread_notifications(user):
    """The user's unread notifications (a queryset)."""
    return Notification.objects.filter(user=user, read_at__isnull=True)
