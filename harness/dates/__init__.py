"""Dates: the temporal-expression tagger and the date resolvers (rules, dateparser).

Imports only :mod:`harness.gold`.
"""
