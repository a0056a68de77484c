"""convzoo's commands, one module each; ``cli.py``'s root group registers them, and decides every exit status."""
