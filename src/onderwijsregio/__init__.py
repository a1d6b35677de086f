"""Open Onderwijsregio: the platform on which a Dutch onderwijsregio runs its work."""

__version__ = "0.1.0"
