"""`kefu.web.asgi:app` for multi-process servers: settings come from the environment."""

from kefu.settings import load_settings
from kefu.web.app import create_app

app = create_app(load_settings())
