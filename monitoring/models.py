"""What happened: reference data of monitoring and risk profiles."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from schools.models import CodeManager


class RiskFactor(models.Model):
    """A factor of the school risk profile (fixtures/reference.json)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=300)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = CodeManager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("risk factor")
        verbose_name_plural = _("risk factors")

    def __str__(self):
        return f"{self.number}. {self.name}"

    def natural_key(self):
        return (self.code,)


class MonitoringStageType(models.Model):
    """A kind of monitoring stage: entry survey, first stage, second stage."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    usual_month = models.PositiveSmallIntegerField(
        _("usual month"), help_text=_("1-12: the month the stage usually runs in.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = CodeManager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("kind of monitoring stage")
        verbose_name_plural = _("kinds of monitoring stages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(usual_month__gte=1, usual_month__lte=12),
                name="stage_type_month_valid",
            )
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)
