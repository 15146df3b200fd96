"""Interactive pyvis maps of the concept graph; its views arrive with the maps issue."""
