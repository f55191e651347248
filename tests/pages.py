"""Reading the site's pages in tests: a small HTML tree from the standard library's parser,
so tests check what a page says rather than how its markup is spelt."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.test import Client

VOID = {"br", "img", "input", "meta", "link", "hr", "col", "source", "wbr", "area", "base", "embed"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(
            "".join(c if isinstance(c, str) else f" {c.text} " for c in self.children).split()
        )

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag and all(
                    child.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()
                ):
                    found.append(child)
                found.extend(child.find_all(tag, **attrs))
        return found

    def find(self, tag: str, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]

    def elements(self) -> list[Node]:
        """Every element below this one, in document order."""
        out = []
        for child in self.children:
            if isinstance(child, Node):
                out.append(child)
                out.extend(child.elements())
        return out


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(content: bytes) -> Node:
    builder = TreeBuilder()
    builder.feed(content.decode())
    return builder.root


def page(client: Client, path: str, **params: str) -> Node:
    response = client.get(path, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return parse(response.content)


def body_rows(table: Node) -> list[Node]:
    return table.find("tbody").find_all("tr")
