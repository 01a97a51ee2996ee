"""The images view (``I`` on the container screen) and the disk usage screen (``U``)."""
