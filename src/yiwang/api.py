"""The REST API under /api/v1/ (django-ninja); each app contributes a router."""

from ninja import NinjaAPI

from yiwang import __version__
from yiwang.core.api import install_error_handlers

api = NinjaAPI(
    title="一网 Yiwang API",
    version="1",
    description="一体化政务服务平台接口。错误统一为 {code, message, fields}；列表统一为 {items, total, page, page_size}。",
    urls_namespace="api",
)
install_error_handlers(api)


def _register_routers() -> None:
    from yiwang.accounts.api import router as accounts_router
    from yiwang.cases.api import router as cases_router
    from yiwang.certificates.api import router as certificates_router
    from yiwang.notifications.api import router as notifications_router
    from yiwang.sharing.api import router as sharing_router
    from yiwang.sharing.api_imports import router as sharing_imports_router
    from yiwang.sharing.api_steward import router as sharing_steward_router

    api.add_router("/", accounts_router)
    api.add_router("/", cases_router)
    api.add_router("/", certificates_router)
    api.add_router("/", sharing_router)
    api.add_router("/", sharing_imports_router)
    api.add_router("/", sharing_steward_router)
    api.add_router("/", notifications_router)
    from yiwang.catalog.api import router as catalog_router

    api.add_router("/catalog/", catalog_router)


_register_routers()
__all__ = ["api", "__version__"]
