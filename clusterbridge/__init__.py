"""ClusterBridge: the open platform for Europe's industrial cluster ecosystems."""

__version__ = "0.1.0"
