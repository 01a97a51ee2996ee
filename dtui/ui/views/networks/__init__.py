"""The networks view (issue 22): table, actions, create form, container picker and screen."""
