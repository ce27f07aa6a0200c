"""The audit log: every recorded change and workflow move, for administrators.

django-simple-history records each save and delete of the audited models in
a historical table; the approval workflows record their moves as events. This
package reads all of them as one list, newest first (selectors.py), with the
changed fields of each row, filtered, paginated and exported to Excel.
"""
