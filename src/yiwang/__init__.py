"""一网 Yiwang — integrated online government service platform."""

__version__ = "0.1.0"
