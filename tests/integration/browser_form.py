"""What a browser sends when a page's form is submitted as it is shown: its hidden and visible
fields with their values, the options selected, the boxes ticked (buttons aside), so that a
test posts exactly what the page offers, hidden fields (``next``, ``revision``) included."""

from __future__ import annotations

from html.parser import HTMLParser


class _Fields(HTMLParser):
    def __init__(self, form_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_class = form_class
        self.inside = False
        self.done = False
        self.fields: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.multiple = False

    def _add(self, name: str | None, value: str) -> None:
        if name:
            self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done and self.form_class in a.get("class", "").split():
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("type", "text") not in ("submit", "button", "reset"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(a.get("name"), a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "textarea":
            self.textarea = a.get("name")
            self._add(self.textarea, "")
        elif tag == "select":
            self.select, self.options = a.get("name"), []
            self.multiple = "multiple" in a
        elif tag == "option" and self.select:
            self.options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data: str) -> None:
        if self.inside and self.textarea:
            self.fields[self.textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self.textarea:
            # A browser drops the one newline that may follow <textarea>.
            value = self.fields[self.textarea][-1]
            self.fields[self.textarea][-1] = value[1:] if value.startswith("\n") else value
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and self.options and not self.multiple:
                chosen = [self.options[0][0]]  # a browser sends the first option
            for value in chosen:
                self._add(self.select, value)
            self.select = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_as_sent(page: str, form_class: str = "edit-form") -> dict[str, list[str]]:
    """The fields of the first form of ``page`` with ``form_class``, as a browser sends them."""
    parser = _Fields(form_class)
    parser.feed(page)
    return parser.fields
