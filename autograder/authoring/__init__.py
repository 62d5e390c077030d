"""Making what students get from solutions/: the stubs, the notebooks, nbgrader's source notebooks."""
