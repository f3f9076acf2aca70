"""People and access: users, enterprises, staff roles, proxy authorisations, identity checks."""
