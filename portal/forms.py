"""Form helpers shared by the apps."""


class OwnIdsFormMixin:
    """Element ids of their own (`<id_prefix>_<field>`) for a form shown beside others.

    Two forms on one page with a field of the same name would both render `id="id_title"`:
    invalid HTML, and a label that points to the wrong input. Field names stay as they are,
    so what the form posts does not change.
    """

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
