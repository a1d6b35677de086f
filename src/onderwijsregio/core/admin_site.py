"""The themed admin for the regional team. Every ModelAdmin registered on it filters by permission."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class RegionAdminSite(admin.AdminSite):
    site_header = _("Open Onderwijsregio — beheer")
    site_title = _("Open Onderwijsregio beheer")
    index_title = _("Beheer")
    enable_nav_sidebar = False
