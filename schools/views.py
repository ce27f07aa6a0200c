"""Pages of bodies and schools, scoped to the user."""

from django.http import Http404
from django.views.generic import TemplateView
from django_filters.views import FilterView

from monitoring.dashboards.rules import dashboard_url
from roadmaps.models import Order, Roadmap

from .filters import OrganisationFilter
from .models import CuratorAssignment, Organisation
from .tables import OrganisationTable, PagedTableMixin


class OrganisationListView(PagedTableMixin, FilterView):
    table_class = OrganisationTable
    filterset_class = OrganisationFilter
    template_name = "schools/organisation_list.html"

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).select_related(
            "kind", "region", "municipality"
        )


class OrganisationDetailView(TemplateView):
    template_name = "schools/organisation_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        org = (
            Organisation.objects.visible_to(user)
            .select_related("kind", "region", "municipality", "parent")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if org is None:
            raise Http404
        roadmaps = (
            Roadmap.objects.visible_to(user)
            .filter(owner=org)
            .select_related("project", "latest_edition", "current_edition")
            .order_by("-period_start")
        )
        orders = (
            Order.objects.visible_to(user).filter(issuer=org).order_by("-date")[:50]
        )
        context = {
            "org": org,
            "dashboard_url": dashboard_url(user, org),
            "roadmaps": roadmaps,
            "orders": orders,
            "children": Organisation.objects.visible_to(user)
            .filter(parent=org)
            .select_related("kind"),
        }
        if org.is_school:
            context["participations"] = org.participations.select_related("project")
            context["curators"] = CuratorAssignment.objects.filter(
                school=org
            ).select_related("curator", "project")
        elif org.municipality_id and org.kind.level == "municipal":
            context["schools"] = (
                Organisation.objects.visible_to(user)
                .schools()
                .filter(municipality_id=org.municipality_id)
                .select_related("kind")
            )
        return super().get_context_data(**context, **kwargs)
