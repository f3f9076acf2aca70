"""Applicant pages of cases (the staff workbench is in ``views_workbench``): applying
(``apply``), my cases and their detail (``mine``), printable notices (``notices``) and the
anonymous progress query (``progress``)."""
