"""Pages of plans and orders. Every queryset is scoped to the user."""

from django.db.models import Count
from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView
from django_filters.views import FilterView

from config.pagecache import per_user_page
from monitoring import progress
from monitoring.execution.display import execution_of
from schools.access import can, scope_for
from schools.models import CuratorAssignment, Membership
from schools.tables import PagedTableMixin

from ..filters import OrderFilter, RoadmapFilter
from ..forms import CommentForm
from ..models import Level, Order, Roadmap, RoadmapEdition
from ..permissions import has_full_view, may_open_editor
from ..selectors import (
    edition_for_display,
    edition_rows,
    editions_visible,
    may_create_plans,
    order_editions_visible,
    order_get_visible,
    roadmap_get_visible,
    roadmap_list_visible,
)
from ..tables import OrderTable, RoadmapTable


@method_decorator(per_user_page, name="dispatch")
class HomeView(TemplateView):
    template_name = "roadmaps/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        memberships = list(
            Membership.objects.filter(user=user).select_related(
                "organisation", "organisation__kind", "organisation__municipality"
            )
        )
        assignments = list(
            CuratorAssignment.objects.filter(curator=user)
            .select_related("school", "school__municipality", "project")
            .order_by("-year", "school__name")
        )
        own_ids = {m.organisation_id for m in memberships if m.organisation_id}
        own_ids |= {a.school_id for a in assignments}
        visible = roadmap_list_visible(user=user)
        own_plans = visible.filter(owner_id__in=own_ids).order_by(
            "-period_start", "title"
        )
        by_level = dict(
            Roadmap.objects.visible_to(user)
            .order_by()
            .values_list("level")
            .annotate(n=Count("pk"))
        )
        levels = [
            (value, label, by_level.get(value, 0)) for value, label in Level.choices
        ]
        return super().get_context_data(
            memberships=memberships,
            assignments=assignments,
            own_plans=own_plans,
            levels=levels,
            scope=scope_for(user),
            can_create=may_create_plans(user=user),
            **kwargs,
        )


@method_decorator(per_user_page, name="dispatch")
class RoadmapListView(PagedTableMixin, FilterView):
    table_class = RoadmapTable
    filterset_class = RoadmapFilter
    template_name = "roadmaps/roadmap_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=may_create_plans(user=self.request.user), **kwargs
        )

    def get_queryset(self):
        return roadmap_list_visible(user=self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["visible"] = Roadmap.objects.visible_to(self.request.user)
        return kwargs


class EditionPageMixin:
    """The roadmap page: one edition rendered like the document."""

    template_name = "roadmaps/roadmap_detail.html"

    def choose_edition(self, roadmap, editions):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        user = self.request.user
        roadmap = roadmap_get_visible(user=user, pk=self.kwargs["pk"])
        editions = editions_visible(user=user, roadmap=roadmap)
        chosen = self.choose_edition(roadmap, editions)
        if chosen is None:
            raise Http404
        in_force = (
            chosen.pk == roadmap.current_edition_id
            and chosen.status == RoadmapEdition.Status.APPROVED
        )
        edition = edition_for_display(
            edition=chosen, execution_for=user if in_force else None
        )
        edition.roadmap = roadmap
        activities = list(edition.activities.all())
        if in_force:
            on = progress.today()
            for activity in activities:
                activity.execution = execution_of(activity, on)
        latest = next((e for e in editions if e.pk == roadmap.latest_edition_id), None)
        from .approval import workflow_panel

        return super().get_context_data(
            workflow=workflow_panel(user, roadmap, edition),
            can_edit=may_open_editor(user, roadmap) and latest is not None,
            latest_editable=latest is not None and latest.is_editable,
            can_comment=can(user, "comment", edition),
            comments=list(
                edition.comments.select_related("author", "activity").order_by(
                    "-created_at"
                )[:100]
            ),
            comment_form=CommentForm(activities=activities),
            roadmap=roadmap,
            editions=editions,
            edition=edition,
            order=edition.approving_order,
            rows=edition_rows(edition),
            columns=edition.columns,
            full_view=has_full_view(user, roadmap),
            in_force=in_force,
            **kwargs,
        )


@method_decorator(per_user_page, name="dispatch")
class RoadmapDetailView(EditionPageMixin, TemplateView):
    def choose_edition(self, roadmap, editions):
        by_pk = {e.pk: e for e in editions}
        for pk in (roadmap.current_edition_id, roadmap.latest_edition_id):
            if pk in by_pk:
                return by_pk[pk]
        return editions[-1] if editions else None


class EditionDetailView(EditionPageMixin, TemplateView):
    def choose_edition(self, roadmap, editions):
        for e in editions:
            if e.number == self.kwargs["number"]:
                return e
        return None


class OrderDetailView(TemplateView):
    template_name = "roadmaps/order_detail.html"

    def get_context_data(self, **kwargs):
        order = order_get_visible(user=self.request.user, pk=self.kwargs["pk"])
        return super().get_context_data(
            order=order,
            editions=order_editions_visible(user=self.request.user, order=order),
            **kwargs,
        )


class OrderListView(PagedTableMixin, FilterView):
    """The order registry: every order the user may read, by body and year."""

    table_class = OrderTable
    filterset_class = OrderFilter
    template_name = "roadmaps/order_list.html"

    def get_queryset(self):
        return Order.objects.visible_to(self.request.user).select_related("issuer")
