"""Resource views: one table of engine objects per kind, all built the same way.

A view is a column list (:mod:`.table`), an action list (:mod:`.actions`), a kind (a list
call and event types, :mod:`dtui.live.kind`) and a screen joining them (:mod:`.screen`).
Containers are the first (:mod:`.containers`); README "Adding a view" shows the recipe.
"""
