"""The exchange adapter: kefu asks the exchange for account facts and to freeze accounts.

See docs/exchange-adapter.md for the wire protocol. `client.py` is the interface the
rest of kefu uses, `http.py` speaks it over signed HTTP, `demo.py` is a real demo
exchange implementing the server side.
"""
