"""An auto-graded exercise kit for d2l chapter 3 (Linear Neural Networks)."""

__version__ = "0.1.0"
