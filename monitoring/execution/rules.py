"""Object-level rights of execution, registered in schools.access (see ready()).

Reporting follows the activity's executors (selectors.reportable_q) on a plan
in force; curators confirm or reject the reports on their schools' plans;
reports and their evidence are read wherever the plan is read.
"""

from monitoring.models import ActivityReport, ReportEvidence
from roadmaps.models import Activity, RoadmapEdition
from schools.access import rule

from .selectors import decidable_q, reportable_q, reports_visible


def in_force(activity: Activity) -> bool:
    """The activity belongs to its roadmap's edition in force."""
    edition = activity.edition
    return (
        edition.status == RoadmapEdition.Status.APPROVED
        and edition.roadmap.current_edition_id == edition.pk
    )


@rule(Activity, "report")
def activity_report(user, activity: Activity) -> bool:
    if not in_force(activity):
        return False
    return (
        Activity.objects.visible_to(user)
        .filter(reportable_q(user), pk=activity.pk)
        .exists()
    )


@rule(ActivityReport, "view")
def report_view(user, report: ActivityReport) -> bool:
    return reports_visible(user=user).filter(pk=report.pk).exists()


@rule(ActivityReport, "decide")
def report_decide(user, report: ActivityReport) -> bool:
    return reports_visible(user=user).filter(decidable_q(user), pk=report.pk).exists()


@rule(ReportEvidence, "download")
def evidence_download(user, evidence: ReportEvidence) -> bool:
    return report_view(user, evidence.report)
