"""The swarm views: services, one service's tasks, nodes (issue 21)."""
