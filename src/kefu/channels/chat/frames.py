"""What the widget and the agent console send over their WebSockets (docs/chat-protocol.md)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

MAX_TEXT_CHARS = 2000
MAX_CLIENT_ID = 64
MAX_SURVEY_COMMENT = 2000


class _Frame(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Hello(_Frame):
    type: Literal["hello"]
    token: str | None = None  # the exchange-signed identity token; None: anonymous
    session: str | None = None  # the signed session token from an earlier `welcome`
    lang: str | None = None
    last_seq: int = 0  # the highest seq the client holds: everything after it is resent


class Say(_Frame):
    type: Literal["message"]
    client_id: str = Field(min_length=1, max_length=MAX_CLIENT_ID)
    text: str = ""  # length is checked by hand: a clear error beats a validation failure
    category: str | None = None
    uploads: list[int] = Field(default_factory=list, max_length=5)


class Typing(_Frame):
    type: Literal["typing"]
    on: bool = True


class Read(_Frame):
    type: Literal["read"]
    seq: int


class Ping(_Frame):
    type: Literal["ping"]


class Transcript(_Frame):
    type: Literal["transcript"]
    email: str | None = None  # anonymous visitors say where to; verified ones use the account's


class Rate(_Frame):
    type: Literal["rate"]
    survey: str = Field(min_length=1, max_length=200)  # the token the survey message carried
    score: int  # 1–5, checked where ratings are recorded (a clear error, not a bad frame)
    comment: str = Field(default="", max_length=MAX_SURVEY_COMMENT)


class Freeze(_Frame):
    """A verified customer's emergency freeze (the same playbook as the portal's button)."""

    type: Literal["freeze"]
    client_id: str = Field(min_length=1, max_length=64)  # a resend freezes once
    note: str = Field(default="", max_length=2000)


CustomerFrame = Annotated[
    Hello | Say | Typing | Read | Ping | Transcript | Rate | Freeze, Field(discriminator="type")
]
CUSTOMER_FRAME: TypeAdapter[CustomerFrame] = TypeAdapter(CustomerFrame)


class Presence(_Frame):
    type: Literal["presence"]
    presence: Literal["online", "away", "offline"]


class Open(_Frame):
    type: Literal["open"]
    ticket: str  # the chat's ticket number: send its history and follow it live


class Accept(_Frame):
    type: Literal["accept"]
    ticket: str


class Reply(_Frame):
    type: Literal["reply"]
    ticket: str
    text: str
    internal: bool = False


class AgentTyping(_Frame):
    type: Literal["typing"]
    ticket: str
    on: bool = True


class AgentRead(_Frame):
    type: Literal["read"]
    ticket: str
    seq: int


class End(_Frame):
    type: Literal["end"]
    ticket: str


class Refresh(_Frame):
    type: Literal["refresh"]  # send the queue and my chats again


AgentFrame = Annotated[
    Presence | Open | Accept | Reply | AgentTyping | AgentRead | End | Ping | Refresh,
    Field(discriminator="type"),
]
AGENT_FRAME: TypeAdapter[AgentFrame] = TypeAdapter(AgentFrame)
