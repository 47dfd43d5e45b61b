"""A mypy plugin for one gap in PySide6's stubs: Qt constructors take properties and signals as
keywords (`QLabel(text, objectName="x")`, `QShortcut(key, self, activated=fn)`), and the stubs
list only each class's own properties, so every inherited one (objectName above all) is an
"unexpected keyword".

It adds `**qt_properties: Any` to the constructors of PySide6's classes, and to nothing else:
their positional arguments and the keywords the stubs do know stay checked, and so does every
call into our own code (our QWidget subclasses' __init__ included). mypy applies no signature
hook to `super().__init__(...)`: there we call setObjectName() instead of passing the keyword.
"""

from __future__ import annotations

from collections.abc import Callable

from mypy.nodes import ARG_STAR2, TypeInfo
from mypy.plugin import FunctionSigContext, MethodSigContext, Plugin
from mypy.types import AnyType, CallableType, FunctionLike, TypeOfAny

_PREFIX = "PySide6."


def _with_qt_keywords(sig: CallableType) -> CallableType:
    if ARG_STAR2 in sig.arg_kinds:
        return sig
    return sig.copy_modified(
        arg_types=[*sig.arg_types, AnyType(TypeOfAny.explicit)],
        arg_kinds=[*sig.arg_kinds, ARG_STAR2],
        arg_names=[*sig.arg_names, "qt_properties"],
    )


def _constructor(ctx: FunctionSigContext | MethodSigContext) -> FunctionLike:
    return _with_qt_keywords(ctx.default_signature)


class PySideKeywords(Plugin):
    def _is_qt_class(self, fullname: str) -> bool:
        if not fullname.startswith(_PREFIX):
            return False
        node = self.lookup_fully_qualified(fullname)
        return node is not None and isinstance(node.node, TypeInfo)

    def get_function_signature_hook(
            self, fullname: str) -> Callable[[FunctionSigContext], FunctionLike] | None:
        return _constructor if self._is_qt_class(fullname) else None  # QLabel(...)

    def get_method_signature_hook(
            self, fullname: str) -> Callable[[MethodSigContext], FunctionLike] | None:
        owner, _, name = fullname.rpartition(".")
        if name == "__init__" and self._is_qt_class(owner):  # super().__init__(...)
            return _constructor
        return None


def plugin(version: str) -> type[Plugin]:
    return PySideKeywords
