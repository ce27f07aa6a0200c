"""The portal's URLs plus the benchmark's admin site (ROOT_URLCONF of a bench run)."""

from django.urls import path

from config.urls import urlpatterns as portal

from .admin_site import site

urlpatterns = [path("bench-admin/", site.urls), *portal]
