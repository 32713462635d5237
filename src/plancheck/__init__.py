"""plancheck: did we hit the plan's targets?"""

__version__ = "0.1.0"
