"""The volumes view (issue 22): table, actions, create form and screen."""
