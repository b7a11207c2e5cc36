"""`kefu.web.asgi:app` for multi-process servers: settings come from the environment."""

from kefu.settings import load_settings
from kefu.web.app import create_app
from kefu.web.runtime import tune_for_serving

app = create_app(load_settings())
tune_for_serving()
