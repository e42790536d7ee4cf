"""`crossings token` and `crossings audit`: API tokens for machine clients; the audit chain."""

from __future__ import annotations

import sys

import click

from crossings.commands.common import EXIT_REJECTED, echo_json, require_store


@click.group()
def token() -> None:
    """API tokens for machine clients (shown once, stored hashed)."""


@token.command("create")
@click.argument("username")
@click.option("--name", default="api", show_default=True, help="What the token is for.")
def token_create(username: str, name: str) -> None:
    """Create a token for USERNAME and print it (it cannot be shown again)."""
    require_store()
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    from crossings.web.accounts.tokens import create_token  # noqa: PLC0415

    try:
        row, plain = create_token(username, name)
    except get_user_model().DoesNotExist:
        raise click.UsageError(f"there is no active user '{username}'.") from None
    click.echo(plain)
    click.echo(f"Token {row.prefix}… for {username} created; send it as "
               "`Authorization: Bearer <token>`. It is not shown again.", err=True)


@token.command("revoke")
@click.argument("prefix")
def token_revoke(prefix: str) -> None:
    """Revoke the token starting with PREFIX (as `token create` printed it)."""
    require_store()
    from crossings.web.accounts.tokens import revoke_token  # noqa: PLC0415

    if not revoke_token(prefix[:10]):
        raise click.UsageError(f"there is no active token '{prefix}'.")
    click.echo(f"Token {prefix[:10]}… revoked.", err=True)


@click.group()
def audit() -> None:
    """The audit log: append-only and hash-chained."""


@audit.command("verify")
@click.option("--json", "as_json", is_flag=True)
def audit_verify(as_json: bool) -> None:
    """Check the hash chain; exit 1 naming the first entry that was altered or removed."""
    require_store()
    from crossings.web.audit.log import verify_chain  # noqa: PLC0415

    result = verify_chain()
    if as_json:
        echo_json({"ok": result.ok, "entries": result.entries, "broken": result.broken_seq,
                   "reason": result.reason})
    elif result.ok:
        click.echo(f"The audit chain is intact: {result.entries} entries.")
    else:
        click.echo(f"The audit chain is broken at entry #{result.broken_seq}: {result.reason}.",
                   err=True)
    if not result.ok:
        sys.exit(EXIT_REJECTED)
