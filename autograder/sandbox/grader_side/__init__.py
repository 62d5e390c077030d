"""The trusted side of the sandbox: starting student processes, and talking to them in plain data
(proxy.py), with limits on time and output. Nothing here runs student code."""
