"""Ashby's webhooks in the sandbox: which events a change announces (``events``), Ashby's retry
schedule (``schedule``) and the background delivery (``delivery``). The settings themselves
(``webhook.create/update/delete/info``) are endpoints, in ``endpoints/webhooks.py``.
"""

from .delivery import Dispatcher, sign

__all__ = ["Dispatcher", "sign"]
