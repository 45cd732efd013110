"""Serve the page: python -m app [--host H] [--port P] [--model NAME] [--share] [--replicas N]"""

import argparse
import os
import sys
from pathlib import Path

if not __package__:  # run as a file (a Hugging Face Space's app_file): make `app` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import registry  # noqa: E402
from app.serving import port_is_free, serve  # noqa: E402

AUTH_VARIABLE = "LENET_LENS_AUTH"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__.split(":")[0])
    # Gradio's own variables win over the defaults, as a Hugging Face Space sets them.
    parser.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
                        help="0.0.0.0 to serve other machines")
    parser.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", 7860)))
    parser.add_argument("--model", choices=registry.MODELS, default=registry.DEFAULT_MODEL,
                        help="the model shown first")
    parser.add_argument("--weights", type=Path, help="a .safetensors file for --model")
    parser.add_argument("--share", action="store_true", help="ask Gradio for a public link")
    parser.add_argument("--auth", default=os.environ.get(AUTH_VARIABLE),
                        help=f"USER:PASS for every page and API route; better, set {AUTH_VARIABLE}=USER:PASS "
                             "(anyone who can list processes sees a password given here)")
    parser.add_argument("--replicas", type=int, default=0,
                        help="serve from N processes behind HAProxy on --port (needs the haproxy package)")
    parser.add_argument("--proxy", default="",
                        help="the balancer's address(es), comma-separated: the client named in its X-Forwarded-For "
                             "is believed (counting failed logins) only from these")
    args = parser.parse_args(argv)
    if args.replicas < 0 or (args.replicas and args.share):
        parser.error("--replicas takes N ≥ 1, and no --share (put the balancer's port on the public address)")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    auth = None
    if args.auth:
        user, _, password = args.auth.partition(":")
        if not user or not password:
            print("error: --auth needs USER:PASS", file=sys.stderr)
            return 2
        auth = (user, password)
        if args.auth != os.environ.get(AUTH_VARIABLE):
            print(f"* --auth shows the password to anyone who can list processes; set {AUTH_VARIABLE} instead",
                  file=sys.stderr)
    if args.replicas:
        from app import replicas

        return replicas.run(args, auth)
    if not port_is_free(args.host, args.port):
        print(f"error: port {args.port} on {args.host} is busy; pick another with --port", file=sys.stderr)
        return 2
    return serve(args, auth)


if __name__ == "__main__":
    sys.exit(main())
