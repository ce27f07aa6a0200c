"""The admin's history pages for audited models, safe for view-only staff.

simple-history's `SimpleHistoryAdmin` (3.13) saves a POST to its "revert to
this version" page for anyone who may merely view the history: a staff user
with the view permission alone could change the object. `HistoryAdmin`
refuses such a POST unless the user may change the object.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not self.has_change_permission(
            request, self.get_object(request, unquote(object_id))
        ):
            raise PermissionDenied
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )
