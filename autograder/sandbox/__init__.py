"""Running student code in a separate process and talking to it in plain data."""
