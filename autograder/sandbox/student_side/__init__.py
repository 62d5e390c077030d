"""What runs in the process that hosts student code: the warm template that forks it (template.py),
the confinement applied before any student code runs (confine, landlock, seccomp), the server that
imports the submission and answers calls (child.py), and the from-scratch watch (scratch_guard.py).
Nothing here may trust what the student's code leaves behind."""
