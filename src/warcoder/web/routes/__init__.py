"""The API's resources, one ``APIRouter`` each; :func:`warcoder.web.app.create_app` includes them."""
