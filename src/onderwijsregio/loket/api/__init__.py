"""The candidate desk's API: serializers in `serializers`, viewsets in `viewsets` (wired in conf/api_urls.py)."""

from .viewsets import CandidateViewSet, HandoverViewSet, TrajectoryViewSet

__all__ = ["CandidateViewSet", "HandoverViewSet", "TrajectoryViewSet"]
