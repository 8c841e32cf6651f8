"""What a REFI-QDA file says, read into plain records before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RefiCode:
    guid: str
    name: str
    colour: str = ""  # "#RRGGBB" when the file gives one
    description: str = ""
    codable: bool = True
    children: tuple[RefiCode, ...] = ()


@dataclass(frozen=True)
class RefiSelection:
    """A ``PlainTextSelection``: a span of the source's plain text and its codes."""

    guid: str
    start: int
    end: int
    user: str  # the creating (else modifying) user's GUID, "" if none
    codes: tuple[str, ...]  # the GUIDs of the codes (CodeRef) it is coded with
    memo: str = ""  # its Description
    notes: tuple[str, ...] = ()  # NoteRef GUIDs


@dataclass(frozen=True)
class RefiVariable:
    guid: str
    name: str
    type: str  # typeOfVariable: Text, Boolean, Integer, Float, Date, DateTime


@dataclass
class RefiSource:
    guid: str
    name: str
    location: str  # plainTextPath or path ("internal://…", "relative://…", "absolute://…")
    content: str | None = None  # PlainTextContent, when the text is in the XML itself
    description: str = ""
    selections: list[RefiSelection] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)  # variable GUID → value
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RefiNote:
    guid: str
    name: str
    text: str  # its PlainTextContent (a note whose text is a file: read at storing)
    location: str = ""


@dataclass
class RefiProject:
    name: str
    origin: str  # the tool that wrote it (Project@origin)
    users: dict[str, str] = field(default_factory=dict)  # GUID → name
    codes: list[RefiCode] = field(default_factory=list)
    variables: dict[str, RefiVariable] = field(default_factory=dict)
    sources: list[RefiSource] = field(default_factory=list)
    notes: dict[str, RefiNote] = field(default_factory=dict)
    description: str = ""
    creator: str = ""  # Project@creatingUserGUID
    # What the file holds that the import does not read, by kind: count.
    unread: dict[str, int] = field(default_factory=dict)

    def skip(self, what: str, count: int = 1) -> None:
        self.unread[what] = self.unread.get(what, 0) + count
