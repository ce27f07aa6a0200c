"""Demo data of the monitoring app, loaded after the seeds by `load_demo`."""

from .execution import demo as execution
from .risks import demo as risks
from .stages import demo as stages
from .visits import demo as visits


def load(orgs, projects) -> None:
    """Risk profiles, monitoring stages, reports and visits of the demo."""
    for area in (risks, stages, execution, visits):
        area.load(orgs, projects)
