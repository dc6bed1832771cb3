"""``python -m compare`` and the ``policy-compare`` command. Ctrl-C while the engine is still being imported
ends the run as quietly as Ctrl-C during the work (exit code 130, no traceback)."""
import sys


def run() -> int:
    try:
        from .cli import main
    except KeyboardInterrupt:
        print("policy-compare: interrupted before it started; nothing was written", file=sys.stderr)
        return 130
    return main()


if __name__ == "__main__":
    sys.exit(run())
