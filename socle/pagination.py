from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Stable page-number pagination; ``taille`` is capped."""

    page_size = 50
    page_size_query_param = "taille"
    max_page_size = 200
    page_query_param = "page"
