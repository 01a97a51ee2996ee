"""Conventions the whole UI keeps: messages are written one way (dataclasses)."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil

import pytest
from textual.message import Message

import dtui.ui


def _dtui_messages() -> list[type[Message]]:
    for module in pkgutil.walk_packages(dtui.ui.__path__, "dtui.ui."):
        importlib.import_module(module.name)
    found: dict[str, type[Message]] = {}
    for module_name, module in list(__import__("sys").modules.items()):
        if not module_name.startswith("dtui."):
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Message) and cls.__module__ == module_name:
                found[f"{module_name}.{cls.__qualname__}"] = cls
            for _, inner in inspect.getmembers(cls, inspect.isclass):
                if issubclass(inner, Message) and inner.__module__ == module_name:
                    found[f"{module_name}.{inner.__qualname__}"] = inner
    return [found[name] for name in sorted(found)]


@pytest.mark.parametrize("message", _dtui_messages(), ids=lambda cls: cls.__qualname__)
def test_every_message_is_a_dataclass(message: type[Message]) -> None:
    assert dataclasses.is_dataclass(message) and "__dataclass_fields__" in message.__dict__, (
        f"{message.__module__}.{message.__qualname__} is not declared with @dataclass"
    )
