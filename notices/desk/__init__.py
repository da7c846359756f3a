"""The Designated Agent's desk (the Django admin) and its forms. May import every other
part of notices except the tasks."""
