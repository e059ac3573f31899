#!/usr/bin/env python3
"""ptypass.py PASSFILE INFILE OUTFILE COMMAND...

Runs COMMAND with INFILE as its standard input and OUTFILE as its standard
output, under a pseudo-terminal that answers its first password prompt with
the first line of PASSFILE. `step crypto jwe encrypt --alg PBES2-...` asks
for its password on /dev/tty only (it has no --password-file)."""
import os
import pty
import select
import sys

passfile, infile, outfile, *cmd = sys.argv[1:]
password = open(passfile, 'rb').read().split(b'\n')[0]
pid, fd = pty.fork()
if pid == 0:
    os.dup2(os.open(infile, os.O_RDONLY), 0)
    os.dup2(os.open(outfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 1)
    os.execvp(cmd[0], cmd)
seen, answered = b'', False
while True:
    try:
        ready, _, _ = select.select([fd], [], [], 60)
        data = os.read(fd, 1024) if ready else b''
    except OSError:  # the pty closes when the command exits
        break
    if not data:  # silent for 60 s, or closed
        break
    seen += data
    # step's prompt hides the cursor (ESC [?25l) when it starts and redraws
    # itself while typing: a second start means the password was refused.
    if answered and b'\x1b[?25l' in seen:
        sys.stderr.write('ptypass: asked again for the password: it was refused\n')
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        sys.exit(1)
    if not answered and b'password' in seen.lower():
        os.write(fd, password + b'\r')
        answered, seen = True, b''
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
