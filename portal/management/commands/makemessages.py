from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """makemessages without fuzzy matching.

    msgmerge's guesses ("Not balanced" for a new string because "Not allowed" looks alike)
    end up shipped once someone clears the fuzzy flag; a new string stays empty instead, and
    the catalogue test points at it.
    """

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
