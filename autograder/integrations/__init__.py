"""Where courses run the kit: Gradescope's bundle, nbgrader's gradebook, Canvas's gradebook import."""
