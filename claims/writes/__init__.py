"""Writes inside the caller's ``Database.write()`` transaction: claims, links and statuses
(``store``), entities (``entities``), sources (``sources``), the domain's checks
(``rules``) and the seed data (``seed``)."""
