"""Stage 4: writing what grading found, for students, instructors and Gradescope."""
