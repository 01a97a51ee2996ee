"""The form screens: create (and duplicate), scale and export a container."""
